package io.cachebus.loadtest.workload;

import io.cachebus.events.Names;
import java.util.Objects;

/** One entity the harness created and then reads and writes: a tenant's workflow or notification. */
public record EntityRef(String tenant, Domain domain, String id) {

    public EntityRef {
        Names.require("tenant", tenant);
        Objects.requireNonNull(domain, "domain");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("entity id must not be blank");
        }
    }

    @Override
    public String toString() {
        return tenant + "/" + domain.pathSegment() + "/" + id;
    }
}
