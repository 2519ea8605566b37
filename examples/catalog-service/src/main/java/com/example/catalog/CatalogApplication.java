package com.example.catalog;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/**
 * A product catalog: a plain Spring Boot service on PostgreSQL that caches with Spring's annotations. It knows nothing
 * of cachebus; the cache-client dependency and {@code application.yml} make every node's cache consistent.
 */
@SpringBootApplication
@EnableCaching
public class CatalogApplication {

    public static void main(String[] args) {
        SpringApplication.run(CatalogApplication.class, args);
    }
}
