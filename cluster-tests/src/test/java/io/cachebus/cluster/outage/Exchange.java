package io.cachebus.cluster.outage;

import io.cachebus.testfixtures.api.ApiResponse;

/**
 * One request of the drills' client traffic and what came back, or why nothing came back at all.
 *
 * @param kind     the request without its ids, e.g. {@code PATCH /api/workflows/{id}}
 * @param response the answer, or {@code null} when the request failed before one arrived
 * @param failure  why no answer arrived, or {@code null}
 * @param sentNanos when the request was sent ({@link System#nanoTime()})
 */
public record Exchange(String kind, ApiResponse response, String failure, long sentNanos) {

    @Override
    public String toString() {
        return failure != null ? kind + " failed: " + failure : response.toString();
    }
}
