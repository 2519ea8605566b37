package io.cachebus.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.client.MutationPublisher;
import io.cachebus.client.Tier;
import io.cachebus.client.sql.SqlCache;
import io.cachebus.client.sql.TenantSql;
import io.cachebus.client.testsupport.AllCachebusAutoConfigurations;
import io.cachebus.client.testsupport.LookupRecorder;
import io.cachebus.events.InvalidNameException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** When the SqlCache bean exists, and that its properties change what they say, without Kafka or Redis. */
class SqlCacheAutoConfigurationTest {

    private final ApplicationContextRunner bare = AllCachebusAutoConfigurations.runner()
            .withPropertyValues("cachebus.eviction.enabled=false", "spring.kafka.bootstrap-servers=127.0.0.1:9")
            .withBean(LookupRecorder.class);

    private final ApplicationContextRunner withDatabase = bare
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:sqlcache-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @Test
    void anApplicationWithADatabaseGetsTheSqlCacheWithoutConfiguringAnything() {
        withDatabase.run(context -> assertThat(context).hasSingleBean(SqlCache.class));
    }

    @Test
    void noDatabaseNoOutboxNoSqlCache() {
        bare.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SqlCache.class));
    }

    @Test
    void itCanBeSwitchedOff() {
        withDatabase.withPropertyValues("cachebus.sql.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(SqlCache.class));
    }

    @Test
    void withoutJSqlParserThereIsNoSqlCacheAndTheOutboxStays() {
        withDatabase.withClassLoader(new FilteredClassLoader(CCJSqlParserUtil.class)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(SqlCache.class)
                        .hasSingleBean(MutationPublisher.class));
    }

    @Test
    void switchedOnExplicitlyWithoutJSqlParserItStopsTheStartNamingTheDependency() {
        withDatabase.withClassLoader(new FilteredClassLoader(CCJSqlParserUtil.class))
                .withPropertyValues("cachebus.sql.enabled=true").run(context ->
                        assertThat(context).getFailure().rootCause()
                                .hasMessageContaining("cachebus.sql.enabled=true")
                                .hasMessageContaining("com.github.jsqlparser:jsqlparser"));
    }

    @Test
    void aZeroParseTimeoutStopsTheStartNamingTheProperty() {
        withDatabase.withPropertyValues("cachebus.sql.parse-timeout=0").run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("object 'cachebus.sql' on field 'parseTimeout'"));
    }

    @Test
    void aBadTableScopeStopsTheApplicationAtStartup() {
        withDatabase.withPropertyValues("cachebus.sql.table-scopes.workflow_steps=work*flows").run(context ->
                assertThat(context).getFailure().rootCause().isInstanceOf(InvalidNameException.class)
                        .hasMessageContaining("cachebus.sql.table-scopes[workflow_steps]"));
    }

    @Test
    void readsAreCachedAndWritesRecordOneOutboxRowPerScopeOfTheTablesTheyWrite() {
        withDatabase.withPropertyValues("cachebus.sql.table-scopes.workflow_steps=workflows")
                .run(context -> {
                    TenantSql sql = prepare(context);
                    assertThat(tiersOf(context, () -> countSteps(sql), () -> countSteps(sql)))
                            .containsExactly(Tier.LOADER, Tier.L1);

                    transactions(context).executeWithoutResult(status -> sql.sql(
                            "INSERT INTO workflow_steps (tenant_id, step) VALUES ('t1', 's2')").update());

                    assertThat(jdbc(context).queryForList("SELECT domain FROM cachebus_outbox WHERE tenant = 't1'",
                            String.class)).as("the table maps to the domain").containsExactly("workflows");
                    assertThat(tiersOf(context, () -> countSteps(sql))).containsExactly(Tier.LOADER);
                    assertThat(countSteps(sql)).isEqualTo(2L);
                });
    }

    @Test
    void readsInAReadOnlyTransactionAreCachedAndInAReadWriteOneAreNot() {
        withDatabase.run(context -> {
            TenantSql sql = prepare(context);
            TransactionTemplate readOnly = transactions(context);
            readOnly.setReadOnly(true);
            assertThat(tiersOf(context, () -> readOnly.executeWithoutResult(status -> countSteps(sql)),
                    () -> readOnly.executeWithoutResult(status -> countSteps(sql)))).containsExactly(Tier.LOADER, Tier.L1);
            assertThat(tiersOf(context, () -> transactions(context).executeWithoutResult(status -> countSteps(sql))))
                    .isEmpty();
        });
    }

    @Test
    void withReadCachingOffEveryReadGoesToTheDatabaseAndWritesStillPublish() {
        withDatabase.withPropertyValues("cachebus.sql.cache-reads=false").run(context -> {
            TenantSql sql = prepare(context);
            assertThat(tiersOf(context, () -> countSteps(sql), () -> countSteps(sql))).isEmpty();
            transactions(context).executeWithoutResult(status -> sql.sql(
                    "DELETE FROM workflow_steps WHERE tenant_id = 't1'").update());
            assertThat(jdbc(context).queryForList("SELECT domain FROM cachebus_outbox WHERE tenant = 't1'",
                    String.class)).containsExactly("workflow_steps");
        });
    }

    @Test
    void tablesConfiguredUncachedAreReadFromTheDatabase() {
        withDatabase.withPropertyValues("cachebus.sql.uncached-tables=Workflow_Steps").run(context -> {
            TenantSql sql = prepare(context);
            assertThat(tiersOf(context, () -> countSteps(sql), () -> countSteps(sql))).isEmpty();
        });
    }

    @Test
    void resultsAboveTheRowLimitAreReturnedButNotCached() {
        withDatabase.withPropertyValues("cachebus.sql.max-cached-rows=1").run(context -> {
            TenantSql sql = prepare(context);
            transactions(context).executeWithoutResult(status -> sql.sql(
                    "INSERT INTO workflow_steps (tenant_id, step) VALUES ('t1', 's2')").update());
            Runnable steps = () -> assertThat(sql.sql("SELECT step FROM workflow_steps WHERE tenant_id = ? ORDER BY step")
                    .param("t1").query(String.class).list()).containsExactly("s1", "s2");
            assertThat(tiersOf(context, steps, steps)).containsExactly(Tier.LOADER, Tier.LOADER);
            assertThat(tiersOf(context, () -> countSteps(sql), () -> countSteps(sql)))
                    .containsExactly(Tier.LOADER, Tier.L1);
        });
    }

    private static TenantSql prepare(AssertableApplicationContext context) {
        jdbc(context).execute("CREATE TABLE workflow_steps (tenant_id VARCHAR(64), step VARCHAR(64))");
        jdbc(context).execute("INSERT INTO workflow_steps VALUES ('t1', 's1')");
        return context.getBean(SqlCache.class).tenant("t1");
    }

    private static long countSteps(TenantSql sql) {
        return sql.sql("SELECT COUNT(*) FROM workflow_steps WHERE tenant_id = ?").param("t1").query(Long.class)
                .single();
    }

    /** The tier of each cache lookup the reads made, in order (a read that skipped the cache makes none). */
    private static List<Tier> tiersOf(AssertableApplicationContext context, Runnable... reads) {
        LookupRecorder recorder = context.getBean(LookupRecorder.class);
        List<Tier> tiers = new ArrayList<>();
        for (Runnable read : reads) {
            recorder.takeLastTier();
            read.run();
            Tier tier = recorder.takeLastTier();
            if (tier != null) {
                tiers.add(tier);
            }
        }
        return tiers;
    }

    private static JdbcTemplate jdbc(AssertableApplicationContext context) {
        return context.getBean(JdbcTemplate.class);
    }

    private static TransactionTemplate transactions(AssertableApplicationContext context) {
        return new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
    }
}
