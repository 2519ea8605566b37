package io.cachebus.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.events.NameArbitraries.NamePair;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Invariant 6 at the key level: a SCAN MATCH pattern built for one tenant (or one domain) matches none of
 * another's keys, whatever valid names they have, and a tenant's Redis Cluster hash tag is its alone. "Matches"
 * is decided by {@link RedisGlob}, the port of Redis's own matcher, and "hash tag" and "slot" by
 * {@link RedisHashSlot}, the port of Redis Cluster's key-to-slot mapping.
 *
 * <p>"Keys" include plain {@code tenant:<tid>:<domain>:<hash>} keys without a hash tag: the SCAN
 * strategy exists to remove those too, so the patterns must cover them exactly as they cover ours.
 */
class TenantIsolationProperties {

    @Property(tries = 500)
    void anotherTenantsKeysNeverMatchATenantsPatterns(@ForAll(supplier = NameArbitraries.DistinctPairSupplier.class) NamePair tenants,
            @ForAll(supplier = NameArbitraries.DomainSupplier.class) String domainOfA, @ForAll(supplier = NameArbitraries.DomainSupplier.class) String domainOfB,
            @ForAll(supplier = NameArbitraries.NameSupplier.class) String tagName, @ForAll(supplier = NameArbitraries.HashSupplier.class) String hash) {
        Statistics.label("tenants").collect(tenants.relation());
        Statistics.label("same domain").collect(domainOfA.equals(domainOfB));
        List<String> patternsOfA = patterns(tenants.a(), domainOfA, tagName);

        for (String keyOfB : keys(tenants.b(), domainOfB, tagName, hash)) {
            for (String patternOfA : patternsOfA) {
                assertThat(RedisGlob.matches(patternOfA, keyOfB))
                        .as("%s must not match %s", patternOfA, keyOfB).isFalse();
            }
        }
        // the same domain and tag for both tenants is the closest a foreign key can come
        for (String keyOfB : keys(tenants.b(), domainOfA, tagName, hash)) {
            for (String patternOfA : patternsOfA) {
                assertThat(RedisGlob.matches(patternOfA, keyOfB))
                        .as("%s must not match %s", patternOfA, keyOfB).isFalse();
            }
        }
        Statistics.label("tenants").coverage(coverage -> {
            coverage.check("a is a prefix of b").percentage(p -> p >= 10);
            coverage.check("b is a prefix of a").percentage(p -> p >= 10);
            coverage.check("differ in one character").percentage(p -> p >= 5);
        });
    }

    @Property(tries = 300)
    void aTenantsOwnKeysAlwaysMatchItsPatterns(@ForAll(supplier = NameArbitraries.NameSupplier.class) String tenant, @ForAll(supplier = NameArbitraries.DomainSupplier.class) String domain,
            @ForAll(supplier = NameArbitraries.NameSupplier.class) String tagName, @ForAll(supplier = NameArbitraries.HashSupplier.class) String hash) {
        Tag tag = new Tag(domain, tagName);
        String domainPattern = CacheKeys.scanPattern(CacheKeys.prefix(tenant, domain));
        String tagPattern = CacheKeys.scanPattern(CacheKeys.prefix(tenant, tag));

        assertThat(RedisGlob.matches(domainPattern, CacheKeys.key(tenant, domain, hash))).isTrue();
        assertThat(RedisGlob.matches(domainPattern, CacheKeys.key(tenant, tag, hash)))
                .as("invalidating a domain covers its derived data").isTrue();
        assertThat(RedisGlob.matches(tagPattern, CacheKeys.key(tenant, tag, hash))).isTrue();
        assertThat(RedisGlob.matches(domainPattern, plainKey(tenant, domain, hash)))
                .as("plain keys lie under the same prefix").isTrue();
        assertThat(RedisGlob.matches(domainPattern, CacheKeys.prefix(tenant, tag) + hash)).isTrue();
        assertThat(RedisGlob.matches(tagPattern, CacheKeys.prefix(tenant, tag) + hash)).isTrue();
    }

    @Property(tries = 300)
    void everyKeyOfATenantHashesOnlyItsTagAndSoSharesOneSlot(@ForAll(supplier = NameArbitraries.NameSupplier.class) String tenant,
            @ForAll(supplier = NameArbitraries.DomainSupplier.class) String domainA, @ForAll(supplier = NameArbitraries.DomainSupplier.class) String domainB, @ForAll(supplier = NameArbitraries.NameSupplier.class) String tagName,
            @ForAll(supplier = NameArbitraries.HashSupplier.class) String hash) {
        // what one compare-and-set touches: an entry of one domain and the counters of its domain, its tag and a
        // dependsOn domain; on a cluster they must share a slot
        List<String> keys = List.of(
                CacheKeys.key(tenant, domainA, hash), CacheKeys.key(tenant, new Tag(domainA, tagName), hash),
                CacheKeys.key(tenant, domainB, hash), CacheKeys.generationKeyOfDomain(tenant, domainA),
                CacheKeys.generationKey(tenant, new Tag(domainA, tagName)), CacheKeys.generationKeyOfDomain(tenant, domainB),
                CacheKeys.generationKey(tenant, new Tag(domainB, tagName)));

        assertThat(keys).allSatisfy(key -> assertThat(RedisHashSlot.hashedPart(key)).as(key).isEqualTo(tenant));
        assertThat(keys).extracting(RedisHashSlot::of).containsOnly(RedisHashSlot.of(CacheKeys.hashTag(tenant)));
    }

    @Property(tries = 500)
    void noTwoTenantsShareAHashTag(@ForAll(supplier = NameArbitraries.DistinctPairSupplier.class) NamePair tenants, @ForAll(supplier = NameArbitraries.DomainSupplier.class) String domain,
            @ForAll(supplier = NameArbitraries.NameSupplier.class) String tagName, @ForAll(supplier = NameArbitraries.HashSupplier.class) String hash) {
        Statistics.label("tenants").collect(tenants.relation());
        List<String> tagsOfA = taggedKeys(tenants.a(), domain, tagName, hash).stream().map(RedisHashSlot::hashedPart).toList();
        List<String> tagsOfB = taggedKeys(tenants.b(), domain, tagName, hash).stream().map(RedisHashSlot::hashedPart).toList();

        assertThat(tagsOfA).containsOnly(tenants.a());
        assertThat(tagsOfB).containsOnly(tenants.b()).doesNotContainAnyElementsOf(tagsOfA);
        Statistics.label("tenants").coverage(coverage -> {
            coverage.check("a is a prefix of b").percentage(p -> p >= 10);
            coverage.check("b is a prefix of a").percentage(p -> p >= 10);
        });
    }

    @Property(tries = 300)
    void aHashCannotBorrowAnotherTenantsTag(@ForAll(supplier = NameArbitraries.DistinctPairSupplier.class) NamePair tenants, @ForAll(supplier = NameArbitraries.DomainSupplier.class) String domain,
            @ForAll(supplier = NameArbitraries.HashSupplier.class) String hash) {
        // the tag comes first in the hash part, and a hash cannot contain braces: whatever the hash, the slot is
        // the tenant's own (a hash spelled like another tenant's tag is refused, see CacheKeysTest)
        String key = CacheKeys.key(tenants.a(), domain, tenants.b() + "." + hash);

        assertThat(RedisHashSlot.hashedPart(key)).isEqualTo(tenants.a());
    }

    @Property(tries = 300)
    void anotherDomainsKeysOfTheSameTenantNeverMatch(@ForAll(supplier = NameArbitraries.NameSupplier.class) String tenant,
            @ForAll(supplier = NameArbitraries.DistinctPairSupplier.class) NamePair domains, @ForAll(supplier = NameArbitraries.NameSupplier.class) String tagName, @ForAll(supplier = NameArbitraries.HashSupplier.class) String hash) {
        Statistics.label("domains").collect(domains.relation());
        List<String> patternsOfA = patterns(tenant, domains.a(), tagName);

        for (String keyOfB : keys(tenant, domains.b(), tagName, hash)) {
            for (String patternOfA : patternsOfA) {
                assertThat(RedisGlob.matches(patternOfA, keyOfB))
                        .as("%s must not match %s", patternOfA, keyOfB).isFalse();
            }
        }
    }

    /** One text cut into a tenant and a domain at two different places, e.g. t1|0x and t10|x. */
    record TwoCuts(String text, int first, int second) {

        String tenantA() {
            return text.substring(0, first);
        }

        String domainA() {
            return text.substring(first);
        }

        String tenantB() {
            return text.substring(0, second);
        }

        String domainB() {
            return text.substring(second);
        }
    }

    @Property(tries = 300)
    void tenantAndDomainCannotSlideIntoEachOther(@ForAll("twoCuts") TwoCuts cuts, @ForAll(supplier = NameArbitraries.NameSupplier.class) String tagName,
            @ForAll(supplier = NameArbitraries.HashSupplier.class) String hash) {
        // the separators are what keeps these apart: without them both keys would read tenant:t10x:...
        List<String> patternsOfA = patterns(cuts.tenantA(), cuts.domainA(), tagName);

        for (String keyOfB : keys(cuts.tenantB(), cuts.domainB(), tagName, hash)) {
            for (String patternOfA : patternsOfA) {
                assertThat(RedisGlob.matches(patternOfA, keyOfB))
                        .as("%s must not match %s", patternOfA, keyOfB).isFalse();
            }
        }
    }

    @Provide
    Arbitrary<TwoCuts> twoCuts() {
        return Arbitraries.strings().withChars(NameArbitraries.NAME_CHARS).ofMinLength(3).ofMaxLength(Names.MAX_LENGTH)
                .flatMap(text -> Arbitraries.integers().between(1, text.length() - 1).list().ofSize(2).uniqueElements()
                        .map(cuts -> new TwoCuts(text, cuts.get(0), cuts.get(1))));
    }

    @Property(tries = 200)
    void generationCountersNeverMatchAnyTenantsPattern(@ForAll(supplier = NameArbitraries.NameSupplier.class) String tenant, @ForAll(supplier = NameArbitraries.DomainSupplier.class) String domain,
            @ForAll(supplier = NameArbitraries.NameSupplier.class) String tagName) {
        List<String> generationKeys = List.of(
                CacheKeys.generationKeyOfDomain(tenant, domain), CacheKeys.generationKey(tenant, new Tag(domain, tagName)));

        for (String pattern : patterns(tenant, domain, tagName)) {
            assertThat(generationKeys).noneMatch(key -> RedisGlob.matches(pattern, key));
        }
    }

    @Property(tries = 300)
    void patternsCarryNoGlobCharacterButTheirTrailingStar(@ForAll(supplier = NameArbitraries.NameSupplier.class) String tenant,
            @ForAll(supplier = NameArbitraries.DomainSupplier.class) String domain, @ForAll(supplier = NameArbitraries.NameSupplier.class) String tagName) {
        for (String pattern : patterns(tenant, domain, tagName)) {
            assertThat(pattern).endsWith(":*");
            assertThat(pattern.substring(0, pattern.length() - 1)).doesNotContainAnyWhitespaces()
                    .doesNotContain("*", "?", "[", "]", "\\", "^");
        }
    }

    /** The patterns an invalidation of {@code tenant}'s domain or one of its tags would SCAN with. */
    private static List<String> patterns(String tenant, String domain, String tagName) {
        return List.of(
                CacheKeys.scanPattern(CacheKeys.prefix(tenant, domain)),
                CacheKeys.scanPattern(CacheKeys.prefix(tenant, new Tag(domain, tagName))));
    }

    /** Every kind of key {@code tenant} may own in {@code domain}, plain keys included. */
    private static List<String> keys(String tenant, String domain, String tagName, String hash) {
        List<String> keys = new ArrayList<>(taggedKeys(tenant, domain, tagName, hash));
        keys.add(plainKey(tenant, domain, hash));
        keys.add(CacheKeys.prefix(tenant, new Tag(domain, tagName)) + hash);
        return keys;
    }

    /** The keys cachebus itself writes for {@code tenant} in {@code domain}: entries and counters. */
    private static List<String> taggedKeys(String tenant, String domain, String tagName, String hash) {
        return List.of(
                CacheKeys.key(tenant, domain, hash),
                CacheKeys.key(tenant, new Tag(domain, tagName), hash),
                CacheKeys.generationKeyOfDomain(tenant, domain),
                CacheKeys.generationKey(tenant, new Tag(domain, tagName)));
    }

    /** A plain key, {@code tenant:<tid>:<domain>:<hash>} without a hash tag, as other writers use. */
    private static String plainKey(String tenant, String domain, String hash) {
        return CacheKeys.prefix(tenant, domain) + hash;
    }

}
