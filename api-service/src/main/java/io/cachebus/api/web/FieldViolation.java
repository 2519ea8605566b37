package io.cachebus.api.web;

/**
 * One reason a request was refused, in the {@code errors} list of a problem body.
 *
 * @param field   where in the request: a JSON path such as {@code steps[0].name}, or a query parameter name;
 *                empty when the request as a whole is at fault
 * @param message what is wrong with it, for a human
 */
public record FieldViolation(String field, String message) {
}
