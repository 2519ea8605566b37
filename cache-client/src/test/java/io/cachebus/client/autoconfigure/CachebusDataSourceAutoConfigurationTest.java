package io.cachebus.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.TenantResolver;
import io.cachebus.client.testsupport.AllCachebusAutoConfigurations;
import io.cachebus.client.internal.sql.datasource.WriteTenantResolver;
import io.cachebus.events.InvalidNameException;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** When the table-tagging DataSource wrapper is there, on the real auto-configuration start path. */
@ExtendWith(OutputCaptureExtension.class)
class CachebusDataSourceAutoConfigurationTest {

    private final ApplicationContextRunner runner = AllCachebusAutoConfigurations.runner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class))
            .withPropertyValues("cachebus.eviction.enabled=false", "spring.kafka.bootstrap-servers=127.0.0.1:9",
                    "cachebus.l2.enabled=false", "cachebus.consistency.enforce=false",
                    "spring.datasource.url=jdbc:h2:mem:wrap-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @Test
    void offByDefault() {
        runner.run(context -> assertThat(context).hasNotFailed().getBean(DataSource.class)
                .isNotInstanceOf(ProxyDataSource.class));
    }

    @Test
    void switchedOnItWrapsTheDataSource() {
        runner.withPropertyValues("cachebus.sql.datasource-tags.enabled=true", "cachebus.sql.datasource-tags.tenant=t1")
                .run(context -> assertThat(context).hasNotFailed().getBean(DataSource.class)
                        .isInstanceOf(ProxyDataSource.class));
    }

    @Test
    void switchedOnWithoutDatasourceProxyOrJSqlParserTheStartFailsNamingThePropertyAndTheDependency() {
        Map<Class<?>, String> dependencies = Map.of(ProxyDataSourceBuilder.class, "net.ttddyy:datasource-proxy",
                CCJSqlParserUtil.class, "com.github.jsqlparser:jsqlparser");
        dependencies.forEach((missing, dependency) -> runner
                .withPropertyValues("cachebus.sql.datasource-tags.enabled=true",
                        "cachebus.sql.datasource-tags.tenant=t1")
                .withClassLoader(new FilteredClassLoader(missing))
                .run(context -> assertThat(context).as("without %s", missing.getSimpleName())
                        .getFailure().rootCause().isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("cachebus.sql.datasource-tags.enabled=true")
                        .hasMessageContaining(dependency)));
    }

    @Test
    void notSwitchedOnWithoutDatasourceProxyTheApplicationStartsUnwrappedAndNothingIsSaid(CapturedOutput output) {
        runner.withClassLoader(new FilteredClassLoader(ProxyDataSourceBuilder.class))
                .run(context -> assertThat(context).hasNotFailed().getBean(DataSource.class)
                        .isNotInstanceOf(ProxyDataSource.class));
        assertThat(output).doesNotContain("table-tagging DataSource").doesNotContain("datasource-proxy");
    }

    @Test
    void withoutAFixedTenantTheWriteIsOfTheApplicationsTenantResolver() {
        runner.withPropertyValues("cachebus.sql.datasource-tags.enabled=true")
                .withBean(TenantResolver.class, () -> () -> "from-resolver")
                .run(context -> assertThat(context.getBean(WriteTenantResolver.class).currentTenant())
                        .contains("from-resolver"));
    }

    @Test
    void aResolverWithoutATenantForTheCallMeansNone() {
        runner.withPropertyValues("cachebus.sql.datasource-tags.enabled=true")
                .withBean(TenantResolver.class, () -> () -> {
                    throw new IllegalStateException("no authentication");
                })
                .run(context -> assertThat(context.getBean(WriteTenantResolver.class).currentTenant()).isEmpty());
    }

    @Test
    void anInvalidTenantStopsTheApplicationAtStartupNamingTheProperty() {
        runner.withPropertyValues("cachebus.sql.datasource-tags.enabled=true",
                        "cachebus.sql.datasource-tags.tenant=no tenant")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(InvalidNameException.class)
                        .hasMessageContaining("cachebus.sql.datasource-tags.tenant"));
    }
}
