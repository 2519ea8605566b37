package io.cachebus.client.autoconfigure.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each optional library of cache-client really is optional: an application starts with the test classpath minus
 * that library's jars, in a class loader of its own (a FilteredClassLoader only hides classes from conditions, the
 * classes cachebus loads would still find them), and gets every feature that does not need it. SqlCache needs the
 * outbox, so it goes with Kafka too.
 */
class WithoutOneLibraryTest {

    @ParameterizedTest(name = "without {0}")
    @CsvSource(delimiter = '|', value = {
        // library    | jars left out (path fragments)                                                 | beans expected
        "Kafka       | /org/apache/kafka/,/org/springframework/kafka/,/spring-boot-kafka/              | TieredCache RedisEntryStore CachebusHealthIndicator",
        "Redis       | /spring-data-redis/,/io/lettuce/,/spring-boot-data-redis/                        | TieredCache MutationPublisher EvictionSubscription EnforcedStalenessBound SqlCache CachebusHealthIndicator",
        "JDBC        | /spring-jdbc/,/spring-boot-jdbc/,/com/zaxxer/,/com/h2database/,/org/postgresql/ | TieredCache RedisEntryStore EvictionSubscription EnforcedStalenessBound CachebusHealthIndicator",
        "actuator    | /spring-boot-actuator,/spring-boot-health/                                       | TieredCache RedisEntryStore MutationPublisher EvictionSubscription EnforcedStalenessBound SqlCache",
        "JSqlParser  | /com/github/jsqlparser/                                                          | TieredCache RedisEntryStore MutationPublisher EvictionSubscription EnforcedStalenessBound CachebusHealthIndicator",
        // the table-tagging DataSource is off unless switched on: without its library nothing is missed
        "datasource-proxy | /net/ttddyy/                                                             | TieredCache RedisEntryStore MutationPublisher EvictionSubscription EnforcedStalenessBound SqlCache CachebusHealthIndicator"})
    void theApplicationStartsWithEveryFeatureThatDoesNotNeedIt(String library, String leftOut, String expected)
            throws Exception {
        try (URLClassLoader loader = classLoaderWithout(leftOut)) {
            List<String> beans = ((List<?>) startIn(loader, arguments())).stream().map(String::valueOf).toList();
            assertThat(beans).as("without " + library).containsExactlyInAnyOrder(expected.split(" "));
        }
    }

    @Test
    void theTableTaggingDataSourceSwitchedOnWithoutDatasourceProxyStopsTheStartNamingThePropertyAndTheDependency()
            throws Exception {
        String[] switchedOn = arguments("--cachebus.sql.datasource-tags.enabled=true",
                "--cachebus.sql.datasource-tags.tenant=t1");
        try (URLClassLoader loader = classLoaderWithout("/net/ttddyy/")) {
            assertThatThrownBy(() -> startIn(loader, switchedOn)).rootCause()
                    .hasMessageContaining("cachebus.sql.datasource-tags.enabled=true")
                    .hasMessageContaining("net.ttddyy:datasource-proxy");
        }
    }

    private static String[] arguments(String... more) {
        return Stream.concat(Stream.of("--spring.main.banner-mode=off",
                // loopback addresses where nothing listens: the clients start, find nothing and stop with the context
                "--spring.kafka.bootstrap-servers=127.0.0.1:9", "--spring.data.redis.port=9",
                "--spring.datasource.url=jdbc:h2:mem:isolated-" + UUID.randomUUID()), Stream.of(more))
                .toArray(String[]::new);
    }

    /** The test classpath minus every entry whose path contains one of the comma-separated fragments. */
    private static URLClassLoader classLoaderWithout(String leftOut) {
        List<String> fragments = List.of(leftOut.split(","));
        URL[] classpath = Arrays.stream(testClasspath().split(File.pathSeparator))
                .filter(entry -> fragments.stream().noneMatch(entry::contains))
                .map(WithoutOneLibraryTest::url)
                .toArray(URL[]::new);
        return new URLClassLoader(classpath, ClassLoader.getPlatformClassLoader());
    }

    /** {@link IsolatedStart#cachebusBeans} run inside {@code loader}, as the thread's context class loader too. */
    private static Object startIn(URLClassLoader loader, String[] arguments) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return loader.loadClass(IsolatedStart.class.getName()).getMethod("cachebusBeans", String[].class)
                    .invoke(null, (Object) arguments);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Surefire starts tests through a manifest-only jar; the real classpath is in this property. */
    private static String testClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private static URL url(String entry) {
        try {
            return new File(entry).toURI().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(entry, e);
        }
    }
}
