package io.cachebus.api.jdbc;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Fail closed: an API node starts only on a database it was given. Without {@code spring.datasource.url} Spring
 * Boot would start it on a private in-memory H2 database of its own, healthy to every probe while its writes are
 * seen by no other node; the embedded database is configured by the {@code local} profile only. Checked before any
 * bean is created, so nothing connects anywhere first.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseRequirement {

    /** The profile whose configuration (application-local.yml) brings the embedded database. */
    public static final String LOCAL_PROFILE = "local";

    @Bean
    static BeanFactoryPostProcessor cachebusDatabaseRequired(Environment environment) {
        return beanFactory -> {
            if (!StringUtils.hasText(environment.getProperty("spring.datasource.url"))) {
                throw new MissingDatabaseException("No database is configured: spring.datasource.url "
                        + "(SPRING_DATASOURCE_URL) is not set, and an API node does not start on an embedded "
                        + "database of its own outside the '" + LOCAL_PROFILE + "' profile.");
            }
        };
    }

    /** No {@code spring.datasource.url}: the service must not start. */
    public static final class MissingDatabaseException extends IllegalStateException {

        MissingDatabaseException(String message) {
            super(message);
        }
    }
}
