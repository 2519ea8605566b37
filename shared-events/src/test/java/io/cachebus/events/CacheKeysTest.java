package io.cachebus.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class CacheKeysTest {

    private static final Tag STEPS = new Tag("workflows", "steps");

    private static void assertInvalid(ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidNameException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void entryKeysAndPrefixesHaveTheDocumentedFormat() {
        assertThat(CacheKeys.key("t1", "workflows", "abc")).isEqualTo("tenant:t1:workflows:{t1}abc");
        assertThat(CacheKeys.prefix("t1", "workflows")).isEqualTo("tenant:t1:workflows:");
        assertThat(CacheKeys.prefix("t1", STEPS)).isEqualTo("tenant:t1:workflows:steps:");
        assertThat(CacheKeys.key("t1", STEPS, "wf-1.v2")).isEqualTo("tenant:t1:workflows:steps:{t1}wf-1.v2");
        assertThat(CacheKeys.key("t1", "workflows", "list:page-2")).isEqualTo("tenant:t1:workflows:{t1}list:page-2");
    }

    @Test
    void everyKeyOfATenantCarriesItsHashTagSoTheyShareOneSlot() {
        assertThat(CacheKeys.hashTag("t1")).isEqualTo("{t1}");
        List<String> keysOfT1 = List.of(
                CacheKeys.key("t1", "workflows", "abc"), CacheKeys.key("t1", STEPS, "x:y"),
                CacheKeys.key("t1", "notifications", "n"), CacheKeys.generationKeyOfDomain("t1", "workflows"),
                CacheKeys.generationKey("t1", STEPS), CacheKeys.generationKeyOfDomain("t1", "notifications"));

        assertThat(keysOfT1).allSatisfy(key -> assertThat(RedisHashSlot.hashedPart(key)).isEqualTo("t1"));
        assertThat(keysOfT1).extracting(RedisHashSlot::of).containsOnly(RedisHashSlot.of("{t1}"));
        assertThat(RedisHashSlot.hashedPart(CacheKeys.key("t10", "workflows", "abc"))).isEqualTo("t10");
    }

    @Test
    void theHashTagKeepsThePrefixesOfPlainKeys() {
        String plainKey = "tenant:t1:workflows:abc";
        String ourKey = CacheKeys.key("t1", "workflows", "abc");

        for (String key : List.of(plainKey, ourKey)) {
            assertThat(key).startsWith(CacheKeys.prefix("t1", "workflows"));
        }
    }

    @Test
    void aTagsKeysLieUnderItsDomainsPrefix() {
        assertThat(CacheKeys.key("t1", STEPS, "x")).startsWith(CacheKeys.prefix("t1", "workflows"));
        assertThat(CacheKeys.prefix("t1", new Tag("notifications", "unread-count")))
                .isEqualTo("tenant:t1:notifications:unread-count:");
    }

    @Test
    void scanPatternsAppendOneStarToTheirPrefix() {
        assertThat(CacheKeys.scanPattern(CacheKeys.prefix("t1", "workflows"))).isEqualTo("tenant:t1:workflows:*");
        assertThat(CacheKeys.scanPattern(CacheKeys.prefix("t1", STEPS))).isEqualTo("tenant:t1:workflows:steps:*");
        assertThat(CacheKeys.scanPattern("tenant:t1:workflows:list:page.2:")).isEqualTo("tenant:t1:workflows:list:page.2:*");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "tenant:", "tenant:t1:", "tenant:t1:workflows", "tenant:*:", "tenant:*:workflows:",
            "tenant:t1:*:", "tenant:t?:workflows:", "tenant:t[12]:workflows:", "tenant:t\\1:workflows:",
            "tenant:t1:workflows:a*:", "tenant:t1:workflows::", "tenant:t1 :workflows:", "tenant:t\u0435:workflows:",
            "cachebus:gen:t1:workflows:", "x:tenant:t1:workflows:", "TENANT:t1:workflows:", "tenant:{t1}:workflows:",
            "tenant:t1:workflows:{t1}:"})
    void scanPatternsAreOnlyBuiltFromWellFormedPrefixes(String prefix) {
        assertInvalid(() -> CacheKeys.scanPattern(prefix), "prefix");
    }

    @Test
    void scanPatternsRefuseAnOverLongTenant() {
        assertInvalid(() -> CacheKeys.scanPattern("tenant:" + "x".repeat(Names.MAX_LENGTH + 1) + ":workflows:"), "prefix");
    }

    @Test
    void generationKeysLiveOutsideEveryTenantPrefix() {
        assertThat(CacheKeys.generationKeyOfDomain("t1", "workflows")).isEqualTo("cachebus:gen:{t1}:workflows");
        assertThat(CacheKeys.generationKey("t1", STEPS)).isEqualTo("cachebus:gen:{t1}:workflows:steps");
        assertThat(CacheKeys.generationKey("t1", "workflows:steps")).isEqualTo(CacheKeys.generationKey("t1", STEPS));
        assertThat(CacheKeys.generationKeyOfDomain("t1", "workflows")).doesNotStartWith(CacheKeys.TENANT_ROOT);
    }

    @Test
    void recordKeysAreTenantColonDomain() {
        assertThat(CacheKeys.recordKey("t1", "workflows")).isEqualTo("t1:workflows");
    }

    static Stream<String> invalidNames() {
        return Stream.concat(InvalidNames.ALL.stream(), Stream.of((String) null));
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    void everyBuilderRefusesAnInvalidTenant(String tenant) {
        assertInvalid(() -> CacheKeys.prefix(tenant, "workflows"), "tenant");
        assertInvalid(() -> CacheKeys.prefix(tenant, STEPS), "tenant");
        assertInvalid(() -> CacheKeys.key(tenant, "workflows", "abc"), "tenant");
        assertInvalid(() -> CacheKeys.key(tenant, STEPS, "abc"), "tenant");
        assertInvalid(() -> CacheKeys.generationKeyOfDomain(tenant, "workflows"), "tenant");
        assertInvalid(() -> CacheKeys.generationKey(tenant, STEPS), "tenant");
        assertInvalid(() -> CacheKeys.generationKey(tenant, "workflows"), "tenant");
        assertInvalid(() -> CacheKeys.recordKey(tenant, "workflows"), "tenant");
        assertInvalid(() -> CacheKeys.hashTag(tenant), "tenant");
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    void everyBuilderRefusesAnInvalidDomain(String domain) {
        assertInvalid(() -> CacheKeys.prefix("t1", domain), "domain");
        assertInvalid(() -> CacheKeys.key("t1", domain, "abc"), "domain");
        assertInvalid(() -> CacheKeys.generationKeyOfDomain("t1", domain), "domain");
        assertInvalid(() -> CacheKeys.recordKey("t1", domain), "domain");
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    void tagsRefuseInvalidParts(String name) {
        assertInvalid(() -> new Tag(name, "steps"), "tag.domain");
        assertInvalid(() -> new Tag("workflows", name), "tag.name");
    }

    static Stream<String> invalidNamesWithoutNull() {
        return InvalidNames.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("invalidNamesWithoutNull")
    void parsedTagsRefuseInvalidPartsNamingTheirField(String name) {
        assertInvalid(() -> Tag.parse("tags", "workflows:" + name), "tags");
        assertInvalid(() -> Tag.parse("tags", name + ":steps"), "tags");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "*", "a?", "[a]", "a]", "a\\b", "a b", " a", "a\t", "a\nb", ":a", "a:", "a::b",
            "a\u0435", "caf\u00e9", "a/b", "a^b", "{t2}x", "a{b", "a}b"})
    void keysRefuseAnInvalidHash(String hash) {
        assertInvalid(() -> CacheKeys.key("t1", "workflows", hash), "hash");
        assertInvalid(() -> CacheKeys.key("t1", STEPS, hash), "hash");
    }

    @Test
    void hashesAreBoundedInLength() {
        assertThat(CacheKeys.key("t1", "workflows", "h".repeat(256))).endsWith(":{t1}" + "h".repeat(256));
        assertInvalid(() -> CacheKeys.key("t1", "workflows", "h".repeat(257)), "hash");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "*", "workflows:*", "a:b:c", ":steps", "workflows:", "work flows", "w\u0435"})
    void generationScopesAreDomainsOrTags(String scope) {
        assertInvalid(() -> CacheKeys.generationKey("t1", scope), "scope");
    }

    @Test
    void namesAtTheLengthLimitAreAccepted() {
        String longest = "a".repeat(Names.MAX_LENGTH);
        assertThat(CacheKeys.prefix(longest, longest)).isEqualTo("tenant:" + longest + ":" + longest + ":");
        assertThat(CacheKeys.scanPattern(CacheKeys.prefix(longest, new Tag(longest, longest)))).endsWith(longest + ":*");
    }
}
