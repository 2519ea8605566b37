package io.cachebus.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the key builder (Jazzer): a name is accepted only if it carries no glob,
 * separator, whitespace or non-ASCII character, and every key, prefix and pattern built from accepted names
 * lies inside its own tenant's prefix (SCAN MATCH is a glob: one stray character would reach another tenant).
 */
class CacheKeysFuzz {

    private static final String FORBIDDEN = "*?[]\\:^ \t\r\n";

    @FuzzTest(maxDuration = "20s")
    void everyKeyBuiltFromAcceptedNamesStaysInsideItsTenantsPrefix(FuzzedDataProvider data) {
        String tenant = data.consumeString(80);
        String domain = data.consumeString(80);
        String tagName = data.consumeString(80);
        String hash = data.consumeRemainingAsString();

        String acceptedTenant = accepted(() -> Names.require("tenant", tenant));
        String acceptedDomain = accepted(() -> Names.require("domain", domain));
        if (acceptedTenant == null || acceptedDomain == null) {
            return;
        }
        assertOnlyPlainAscii(acceptedTenant);
        assertOnlyPlainAscii(acceptedDomain);
        String tenantRoot = CacheKeys.TENANT_ROOT + acceptedTenant + ":";
        String domainPrefix = CacheKeys.prefix(acceptedTenant, acceptedDomain);
        assertThat(domainPrefix).startsWith(tenantRoot);
        assertThat(CacheKeys.scanPattern(domainPrefix)).isEqualTo(domainPrefix + "*");
        assertThat(CacheKeys.generationKeyOfDomain(acceptedTenant, acceptedDomain))
                .startsWith(CacheKeys.GENERATION_ROOT).doesNotStartWith(CacheKeys.TENANT_ROOT);

        String key = accepted(() -> CacheKeys.key(acceptedTenant, acceptedDomain, hash));
        if (key != null) {
            assertThat(key).startsWith(domainPrefix);
            assertThat(key.substring(domainPrefix.length())).doesNotContainAnyWhitespaces()
                    .matches("[^*?\\[\\]\\\\]*");
        }
        Tag tag = accepted(() -> new Tag(acceptedDomain, tagName));
        if (tag != null) {
            assertOnlyPlainAscii(tag.name());
            String tagPrefix = CacheKeys.prefix(acceptedTenant, tag);
            assertThat(tagPrefix).startsWith(domainPrefix);
            assertThat(CacheKeys.scanPattern(tagPrefix)).isEqualTo(tagPrefix + "*");
        }
    }

    private static void assertOnlyPlainAscii(String name) {
        assertThat(name).isNotEmpty().hasSizeLessThanOrEqualTo(Names.MAX_LENGTH);
        for (char c : name.toCharArray()) {
            assertThat(c).as("character of %s", name).isBetween('!', '~');
            assertThat(FORBIDDEN.indexOf(c)).as("glob or separator %s in %s", c, name).isEqualTo(-1);
        }
    }

    private static <T> T accepted(java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (InvalidNameException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return null;
        }
    }
}
