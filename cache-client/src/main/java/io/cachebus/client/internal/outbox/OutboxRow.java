package io.cachebus.client.internal.outbox;

import io.cachebus.events.CacheKeys;

/** An unsent outbox row, as the relay reads it. */
record OutboxRow(long id, String eventId, String tenant, String domain, String payload) {

    String recordKey() {
        return CacheKeys.recordKey(tenant, domain);
    }
}
