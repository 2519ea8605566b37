package io.cachebus.api.web;

import java.util.List;

/**
 * One page of a list.
 *
 * @param items      the page's items, in the list's order
 * @param page       the page number, from 0
 * @param size       the requested page size
 * @param totalItems how many items the whole filtered list has
 * @param totalPages how many pages of {@code size} that makes
 */
public record Page<T>(List<T> items, int page, int size, long totalItems, long totalPages) {

    public Page {
        items = List.copyOf(items);
    }

    public static <T> Page<T> of(List<T> items, PageQuery query, long totalItems) {
        return new Page<>(items, query.page(), query.size(), totalItems, (totalItems + query.size() - 1) / query.size());
    }
}
