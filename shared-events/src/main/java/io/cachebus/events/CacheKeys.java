package io.cachebus.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
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
 *   collections    cachebus:gen:{<tid>}:<domain>/collections       (ADR 0017)
 *   entity         cachebus:gen:{<tid>}:<domain>/entity/<entity>   (ADR 0017)
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

    /**
     * What only an entity's counter has in its key ({@code /} is in no name): the scripts of {@link GenerationLedger}
     * vouch for entity counters by the ledger's start time, not by a field per counter (ADR 0017).
     */
    public static final String ENTITY_MARK = "/entity/";
    private static final String COLLECTIONS_SUFFIX = "/collections";
    /** The longest entity id a key carries as it is; longer ids and ids of other characters go as a digest. */
    private static final int MAX_PLAIN_ENTITY_LENGTH = 64;
    /** Marks a digest: no plain id starts with it, so a digest never equals a plain id. */
    private static final String DIGEST_MARK = "~";
    private static final int ENTITY_DIGEST_LENGTH = 32;

    private static final String HASH_PART = "[A-Za-z0-9_.-]+";
    private static final Pattern HASH = Pattern.compile(HASH_PART + "(:" + HASH_PART + ")*");
    /** tenant:{tid}:{domain}: followed by any number of hash parts, each closed by ':' (tag prefixes among them). */
    private static final Pattern PREFIX = Pattern.compile(
            Pattern.quote(TENANT_ROOT) + Names.REGEX + ":" + Names.REGEX + ":(" + HASH_PART + ":)*");
    /** A generation scope: a domain, or a tag's domain:name. */
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
        if (scope == null || !isScope(scope)) {
            throw new InvalidNameException("scope", "must be a domain or domain:name of valid names");
        }
        return GENERATION_ROOT + tenantTag + ":" + scope;
    }

    /**
     * A domain or {@code domain:name} of valid names, checked without a regex: every invalidation and every cache
     * read names the counters of its scopes.
     */
    private static boolean isScope(String scope) {
        int colon = scope.indexOf(':');
        return colon < 0 ? Names.isValid(scope)
                : Names.isValid(scope.substring(0, colon)) && Names.isValid(scope.substring(colon + 1));
    }

    public static String generationKey(String tenant, Tag tag) {
        return generationKey(tenant, Names.require("tag.domain", tag.domain()) + ":" + tag.name());
    }

    public static String generationKeyOfDomain(String tenant, String domain) {
        return generationKey(tenant, Names.require("domain", domain));
    }

    /**
     * The counter of a domain's collections: every entry of the domain not keyed by one entity (lists, counts,
     * derived data of many entities) depends on it, and every write of a single entity bumps it (ADR 0017).
     */
    public static String collectionsGenerationKey(String tenant, String domain) {
        return generationKeyOfDomain(tenant, domain) + COLLECTIONS_SUFFIX;
    }

    /**
     * The counter of one entity of a domain: entries keyed by that entity depend on it, a write of that entity alone
     * bumps it. The id is part of the key as it is when it is a short plain name, else as a digest (an id is any
     * printable text of up to {@value DomainMutated#MAX_ENTITY_ID_LENGTH} characters).
     */
    public static String entityGenerationKey(String tenant, String domain, String entityId) {
        return generationKeyOfDomain(tenant, domain) + ENTITY_MARK + entityPart(entityId);
    }

    /**
     * Whether the id is 1 to {@value #MAX_PLAIN_ENTITY_LENGTH} of {@code [A-Za-z0-9_.-]}, checked without a regex: the
     * invalidator builds an entity's counter key for every single-entity write, a node for every entity read.
     */
    private static boolean isPlainEntity(String entityId) {
        if (entityId.isEmpty() || entityId.length() > MAX_PLAIN_ENTITY_LENGTH) {
            return false;
        }
        for (int i = 0; i < entityId.length(); i++) {
            char c = entityId.charAt(i);
            if (!Names.isNameCharacter(c) && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** Returns {@code entityId} if it is a valid entity id, else throws naming {@code field}. */
    public static String requireEntityId(String field, String entityId) {
        DomainMutated.requirePrintable(field, entityId, DomainMutated.MAX_ENTITY_ID_LENGTH);
        return entityId;
    }

    private static String entityPart(String entityId) {
        requireEntityId("entityId", entityId);
        if (isPlainEntity(entityId)) {
            return entityId;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(entityId.getBytes(StandardCharsets.UTF_8));
            return DIGEST_MARK + Base64.getUrlEncoder().withoutPadding().encodeToString(digest)
                    .substring(0, ENTITY_DIGEST_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
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
