package com.example.catalog;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The catalog over HTTP; bad input answers 400 with an RFC 7807 problem body. */
@RestController
@RequestMapping("/products")
public class ProductController {

    /** What a client sends to add a product. */
    public record NewProduct(String name, Long priceCents) {
    }

    /** What a client sends to change a price. */
    public record NewPrice(Long priceCents) {
    }

    private final ProductCatalog catalog;

    public ProductController(ProductCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping
    public List<Product> all() {
        return catalog.all();
    }

    @GetMapping("/{id}")
    public Product product(@PathVariable long id) {
        return catalog.product(id);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Product add(@RequestBody NewProduct product) {
        if (product.name() == null || product.name().isBlank() || product.name().length() > 100) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "name must be 1 to 100 characters");
        }
        return catalog.add(product.name(), validPrice(product.priceCents()));
    }

    @PutMapping("/{id}/price")
    public Product reprice(@PathVariable long id, @RequestBody NewPrice price) {
        return catalog.reprice(id, validPrice(price.priceCents()));
    }

    private static long validPrice(Long priceCents) {
        if (priceCents == null || priceCents < 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "priceCents must be a number of cents, 0 or more");
        }
        return priceCents;
    }
}
