package com.example.catalog;

/** A product and its price in cents. */
public record Product(long id, String name, long priceCents) {
}
