package io.cachebus.events;

import java.util.regex.Pattern;

/**
 * The one place cache keys, prefixes and SCAN patterns are built ({@code <x>} marks a part, braces are literal).
 *
 * <pre>
 *   entry key      tenant:<tid>:<domain>:{<tid>}<hash>         e.g. tenant:t1:workflows:{t1}Zk3q...
 *   tag entry key  tenant:<tid>:<domain>:<tag>:{<tid>}<hash>   e.g. tenant:t1:workflows:steps:{t1}9aX...
 *   domain prefix  tenant:<tid>:<domain>:
 *   tag prefix     tenant:<tid>:<domain>:<tag>:
 *   generation     cachebus:gen:{<tid>}:<scope>   (outside every tenant: prefix, so SCAN-delete never resets it)
 *   ledger         cachebus:ledger:{<tid>}        (which Redis incarnation last vouched for the tenant's counters)
 * </pre>
 *
 * <p>{@code {<tid>}} is the tenant's Redis Cluster hash tag ({@link #hashTag}): Redis hashes only the text between
 * the first <code>{</code> and the next <code>}</code>, and no prefix part can contain a brace, so every entry and
 * every generation counter of a tenant lies in one hash slot. That is what lets the compare-and-set script of
 * cache-client read the counters and write the entry in one step on a cluster (ADR 0008). The tag sits inside the
 * hash part, after the prefix, so prefixes and SCAN patterns are those of plain
 * {@code tenant:<tid>:<domain>:<hash>} keys (no hash tag, as other writers put them), which the SCAN strategy therefore still removes.
 *
 * <p>Tenant, domain and tag parts are validated by {@link Names}; the hash part may only contain the same
 * characters plus {@code .} and {@code :} (to nest derived data), so no part can carry a glob character or a brace.
 */
public final class CacheKeys {

    public static final String TENANT_ROOT = "tenant:";
    public static final String GENERATION_ROOT = "cachebus:gen:";
    public static final String LEDGER_ROOT = "cachebus:ledger:";

    private static final String HASH_PART = "[A-Za-z0-9_.-]+";
    private static final Pattern HASH = Pattern.compile(HASH_PART + "(:" + HASH_PART + ")*");
    /** tenant:{tid}:{domain}: followed by any number of hash parts, each closed by ':' (tag prefixes among them). */
    private static final Pattern PREFIX = Pattern.compile(
            Pattern.quote(TENANT_ROOT) + Names.REGEX + ":" + Names.REGEX + ":(" + HASH_PART + ":)*");
    /** A generation scope: a domain, or a tag's domain:name. */
    private static final Pattern SCOPE = Pattern.compile(Names.REGEX + "(:" + Names.REGEX + ")?");
    private static final int MAX_HASH_LENGTH = 256;

    private CacheKeys() {
    }

    public static String prefix(String tenant, String domain) {
        return TENANT_ROOT + Names.require("tenant", tenant) + ":" + Names.require("domain", domain) + ":";
    }

    public static String prefix(String tenant, Tag tag) {
        return prefix(tenant, tag.domain()) + tag.name() + ":";
    }

    public static String key(String tenant, String domain, String hash) {
        return prefix(tenant, domain) + hashTag(tenant) + requireHash(hash);
    }

    public static String key(String tenant, Tag tag, String hash) {
        return prefix(tenant, tag) + hashTag(tenant) + requireHash(hash);
    }

    /**
     * The Redis Cluster hash tag every key of {@code tenant} carries: <code>{t1}</code>. Tenants are distinct names
     * without braces, so two tenants never share a tag (<code>{t1}</code> vs <code>{t10}</code>); they may still
     * share a slot by the CRC16, which only colocates them.
     */
    public static String hashTag(String tenant) {
        return "{" + Names.require("tenant", tenant) + "}";
    }

    /**
     * The SCAN MATCH pattern for everything under a prefix built by this class. The prefix is checked part by
     * part, not just at its ends: {@code tenant:*:} or {@code tenant:t1:workflows:a?:} would otherwise turn into
     * a pattern that matches other tenants' or other entries' keys.
     */
    public static String scanPattern(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new InvalidNameException("prefix", "not a prefix built by CacheKeys: " + prefix);
        }
        return prefix + "*";
    }

    /**
     * The Redis counter whose value is folded into the hash of every entry of a domain or tag; it carries the
     * tenant's {@link #hashTag}, so it shares the slot of the tenant's entries and other counters.
     */
    public static String generationKey(String tenant, String scope) {
        String tenantTag = hashTag(tenant);
        if (scope == null || !SCOPE.matcher(scope).matches()) {
            throw new InvalidNameException("scope", "must be a domain or domain:name of valid names");
        }
        return GENERATION_ROOT + tenantTag + ":" + scope;
    }

    public static String generationKey(String tenant, Tag tag) {
        return generationKey(tenant, Names.require("tag.domain", tag.domain()) + ":" + tag.name());
    }

    public static String generationKeyOfDomain(String tenant, String domain) {
        return generationKey(tenant, Names.require("domain", domain));
    }

    /**
     * The tenant's generation ledger ({@link GenerationLedger}): the Redis run that last vouched for the tenant's
     * counters and the value each had then. It carries the tenant's {@link #hashTag}, so the scripts that read or bump
     * counters can check it in the same slot.
     */
    public static String ledgerKey(String tenant) {
        return LEDGER_ROOT + hashTag(tenant);
    }

    /** The Kafka record key: events of one tenant and domain share a partition and so keep their order. */
    public static String recordKey(String tenant, String domain) {
        return Names.require("tenant", tenant) + ":" + Names.require("domain", domain);
    }

    private static String requireHash(String hash) {
        if (hash == null || hash.isEmpty() || hash.length() > MAX_HASH_LENGTH || !HASH.matcher(hash).matches()) {
            throw new InvalidNameException("hash", "must be 1-" + MAX_HASH_LENGTH
                    + " characters of letters, digits, '-', '_', '.' in ':'-separated parts");
        }
        return hash;
    }
}
