package io.cachebus.localcluster.dataset;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a benchmark's database holds, for its report ({@code dataset} {tenants, rows}).
 *
 * @param tenants   tenants of the dataset
 * @param rows      rows of each table the dataset filled ({@code workflows}, {@code workflow_steps},
 *                  {@code notifications}), as generated
 * @param spec      the spec it was generated from
 * @param generated whether this run generated it (false: an earlier run had, and it was reused)
 * @param tookMs    how long this run spent on it (checking, or generating)
 */
public record DatasetSummary(int tenants, Map<String, Long> rows, DatasetSpec spec, boolean generated, long tookMs) {

    public DatasetSummary {
        rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
    }

    public long totalRows() {
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }
}
