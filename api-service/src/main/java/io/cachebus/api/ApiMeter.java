package io.cachebus.api;

/**
 * Every Micrometer meter the API service registers itself, beside cache-client's ({@code CachebusMeter}) and those
 * of Spring Boot and the libraries it binds.
 */
public enum ApiMeter {

    /** Counter. Tag {@code limit} ({@code tenant}, {@code token}); no tenant tag, its cardinality is unbounded. */
    RATE_LIMITED("cachebus.api.rate.limited", "Requests answered 429 because a tenant's or a token's limit was used up");

    private final String meterName;
    private final String description;

    ApiMeter(String meterName, String description) {
        this.meterName = meterName;
        this.description = description;
    }

    public String meterName() {
        return meterName;
    }

    public String description() {
        return description;
    }
}
