package io.cachebus.api.security;

import io.cachebus.events.Names;

/**
 * The tenant of the authenticated caller, taken from the validated bearer token's {@value #CLAIM} claim and
 * from nowhere else (no header, no body field). Controllers receive it as a method parameter.
 */
public record Tenant(String id) {

    /** The JWT claim naming the caller's tenant. */
    public static final String CLAIM = "tenant";

    public Tenant {
        Names.require(CLAIM, id);
    }
}
