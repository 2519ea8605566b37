package io.cachebus.client.testsupport;

import io.cachebus.client.Tier;

/** What a read returned and where from. */
public record Read<T>(T value, Tier tier) {
}
