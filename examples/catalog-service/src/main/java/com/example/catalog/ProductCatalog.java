package com.example.catalog;

import java.util.List;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.Caching;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

/** The catalog's reads are cached per product and as one listing; every write evicts what it changed. */
@Service
public class ProductCatalog {

    private static final RowMapper<Product> PRODUCT = (rs, row) -> new Product(rs.getLong("id"), rs.getString("name"),
            rs.getLong("price_cents"));

    private final JdbcTemplate jdbc;

    public ProductCatalog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Cacheable("products")
    public Product product(long id) {
        try {
            return jdbc.queryForObject("SELECT id, name, price_cents FROM products WHERE id = ?", PRODUCT, id);
        } catch (EmptyResultDataAccessException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no product " + id);
        }
    }

    @Cacheable(cacheNames = "product-listings", key = "'all'")
    public List<Product> all() {
        return jdbc.query("SELECT id, name, price_cents FROM products ORDER BY id", PRODUCT);
    }

    @Transactional
    @CacheEvict(cacheNames = "product-listings", allEntries = true)
    public Product add(String name, long priceCents) {
        Long id = jdbc.queryForObject("INSERT INTO products (name, price_cents) VALUES (?, ?) RETURNING id",
                Long.class, name, priceCents);
        return new Product(id, name, priceCents);
    }

    @Transactional
    @Caching(evict = {
            @CacheEvict(cacheNames = "products", key = "#id"),
            @CacheEvict(cacheNames = "product-listings", allEntries = true)})
    public Product reprice(long id, long priceCents) {
        if (jdbc.update("UPDATE products SET price_cents = ? WHERE id = ?", priceCents, id) == 0) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no product " + id);
        }
        return jdbc.queryForObject("SELECT id, name, price_cents FROM products WHERE id = ?", PRODUCT, id);
    }
}
