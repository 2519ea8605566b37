package io.cachebus.deployment.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.deployment.Repository;
import io.cachebus.deployment.metadata.ConfigurationMetadata;
import io.cachebus.deployment.metadata.ConfigurationProperty;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigurationReferenceTest {

    /** {@code -Dcachebus.docs.update=true} (what {@code ./cachebus docs} passes) rewrites the committed file. */
    private static final String UPDATE = "cachebus.docs.update";

    private final Repository repository = Repository.locate();

    @Test
    void committedReferenceIsGeneratedFromTheCurrentMetadata() {
        if (Boolean.getBoolean(UPDATE)) {
            ConfigurationReference.write(repository);
        }
        assertThat(repository.path(ConfigurationReference.FILE)).as("run ./cachebus docs").isRegularFile();
        assertThat(repository.read(ConfigurationReference.FILE))
                .as("%s is out of date with the @ConfigurationProperties metadata: run ./cachebus docs",
                        ConfigurationReference.FILE)
                .isEqualTo(ConfigurationReference.render(repository));
    }

    @Test
    void everyPropertyOfTheProjectIsDescribed() {
        for (String module : ConfigurationReference.modules()) {
            ConfigurationMetadata metadata = ConfigurationMetadata.of(
                    List.of(repository.module(module).resolve("target/classes")));
            assertThat(metadata.properties()).as(module).isNotEmpty();
            assertThat(metadata.properties()).as("%s: properties without javadoc", module)
                    .filteredOn(property -> property.description().isBlank())
                    .extracting(ConfigurationProperty::name)
                    .isEmpty();
        }
    }

    @Test
    void javadocBecomesMarkdown() {
        assertThat(ConfigurationReference.description("the {@code scan} strategy;\n   see {@link Topics#EVICTIONS}"))
                .isEqualTo("The `scan` strategy; see `Topics#EVICTIONS`");
        assertThat(ConfigurationReference.environmentVariable("cachebus.l2.redis-timeout"))
                .isEqualTo("CACHEBUS_L2_REDISTIMEOUT");
        assertThat(ConfigurationReference.type("java.time.Duration")).isEqualTo("Duration");
        assertThat(ConfigurationReference.type("io.cachebus.invalidator.InvalidatorProperties$Strategy"))
                .isEqualTo("one of `generation`, `scan`");
        assertThat(ConfigurationReference.defaultValue(null)).isEmpty();
        assertThat(ConfigurationReference.defaultValue("10s")).isEqualTo("`10s`");
    }
}
