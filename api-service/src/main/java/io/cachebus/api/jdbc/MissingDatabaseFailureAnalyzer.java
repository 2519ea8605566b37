package io.cachebus.api.jdbc;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a missing database configuration into a start-up message that says what to set. */
public final class MissingDatabaseFailureAnalyzer
        extends AbstractFailureAnalyzer<DatabaseRequirement.MissingDatabaseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DatabaseRequirement.MissingDatabaseException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Production: set SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD"
                        + " (PostgreSQL 15+), or start with --spring.profiles.active=postgres. Local runs: start with"
                        + " --spring.profiles.active=" + DatabaseRequirement.LOCAL_PROFILE
                        + " for the embedded in-memory H2 database.",
                cause);
    }
}
