package io.cachebus.events;

/**
 * The Lua scripts through which cache-client and the invalidator read, compare and bump generation counters, so that
 * a counter never takes a value it had before (ADR 0010). Every script checks the counters it touches against the
 * tenant's ledger ({@link CacheKeys#ledgerKey}) first:
 *
 * <ul>
 *   <li>The ledger names the Redis run ({@code run_id} of {@code INFO server}) that wrote it. A run ID is random per
 *       process start and per node, and is not part of the dataset, so a ledger restored from a snapshot after a
 *       restart, or replicated to a replica that a failover promoted, names another run: the script then forgets
 *       everything the ledger vouched for.</li>
 *   <li>For each counter the ledger holds the highest value this run has seen it have. A counter that is missing
 *       (evicted, expired), lower than that (deleted and recreated) or that the ledger does not vouch for (restored,
 *       inherited, never seen in this run) is <em>re-seeded</em>: set to the largest of the server's clock in
 *       microseconds, its old value + 1 and the ledger's value + 1. Within a run the ledger value alone makes the new
 *       value larger than any the counter had; across runs (whose lost values nobody can read back) the clock does,
 *       since every value was seeded from that clock and one counter is bumped far less than once per microsecond.
 *       A counter above the ledger's value in the same run (a plain {@code INCR}, by an invalidator of an earlier
 *       release during a rolling upgrade) is taken as it is: it exceeds every value this run has used.</li>
 * </ul>
 *
 * <p>Entity counters (ADR 0017, {@link CacheKeys#ENTITY_MARK} in their key) are too many for a field each in the
 * ledger, which would grow with every entity ever read. The ledger records instead when this run started vouching
 * ({@code since}, the server clock in microseconds when it named the run): an entity counter is accepted if it exists
 * and is not below {@code since}, else re-seeded to the clock. Every value of an earlier run is at most the clock at
 * its last bump, before {@code since}; every value of this run was seeded at or after it. Within a run a missing
 * entity counter is re-seeded from the clock, above every value it had, by the argument that covers runs below.
 * An entity's counter is only needed while entries may be stored or read under it, so only reads create one: a bump
 * INCRs an entity counter the ledger vouches for and removes any other (ADR 0023), and the next read re-seeds it.
 *
 * <p>So an entry stored under an earlier generation can only become reachable again if a counter takes that value
 * again, and it never does: neither a missing nor an evicted nor a restored counter maps a key onto an older entry.
 * Counters and the ledger carry a TTL, refreshed by every script that touches them (an entity's counter by reads
 * alone: a bump leaves its TTL as the last read set it); a counter that expires is re-seeded like an evicted one,
 * which is why they need not live forever.
 *
 * <p>All keys of one call belong to one tenant and carry its hash tag: one slot on Redis Cluster. The scripts write,
 * so they run on primaries only.
 */
public final class GenerationLedger {

    /**
     * {@code current_generations(ledger, first, ttl)}: the vouched-for value of every counter in
     * {@code KEYS[first..]}, re-seeding those the ledger cannot vouch for; refreshes the TTLs.
     * {@code vouched_generations(ledger, first, last, ttl, run, now)} does the same for {@code KEYS[first..last]}
     * with the run and the time read once by the caller, for scripts that check several ledgers.
     */
    private static final String CURRENT_GENERATIONS = """
            local ENTITY_MARK = 'ENTITY_MARK_TEXT'
            local function is_entity(key)
              return string.find(key, ENTITY_MARK, 1, true) ~= nil
            end
            local function run_and_now()
              local run = string.match(redis.call('INFO', 'server'), 'run_id:(%w+)')
              local time = redis.call('TIME')
              return run, tonumber(time[1]) * 1000000 + tonumber(time[2])
            end
            local function vouched_since(ledger, run, now)
              if redis.call('HGET', ledger, 'run') ~= run then
                redis.call('DEL', ledger)
                redis.call('HSET', ledger, 'run', run, 'since', string.format('%.0f', now))
              end
              local since = tonumber(redis.call('HGET', ledger, 'since'))
              if since == nil then
                since = now
                redis.call('HSET', ledger, 'since', string.format('%.0f', now))
              end
              return since
            end
            local function vouched_counter(ledger, key, ttl, since, now)
              local value = redis.call('GET', key)
              local current = tonumber(value)
              if is_entity(key) then
                if current == nil or current < since then
                  current = math.max(now, (current or 0) + 1)
                  value = string.format('%.0f', current)
                  redis.call('SET', key, value, 'PX', ttl)
                else
                  redis.call('PEXPIRE', key, ttl)
                end
              else
                local vouched = tonumber(redis.call('HGET', ledger, key))
                if current == nil or vouched == nil or current < vouched then
                  current = math.max(now, (current or 0) + 1, (vouched or 0) + 1)
                  value = string.format('%.0f', current)
                  redis.call('SET', key, value, 'PX', ttl)
                  redis.call('HSET', ledger, key, value)
                else
                  if current > vouched then
                    redis.call('HSET', ledger, key, value)
                  end
                  redis.call('PEXPIRE', key, ttl)
                end
              end
              return value
            end
            local function vouched_generations(ledger, first, last, ttl, run, now)
              local since = vouched_since(ledger, run, now)
              local generations = {}
              for i = first, last do
                generations[#generations + 1] = vouched_counter(ledger, KEYS[i], ttl, since, now)
              end
              redis.call('PEXPIRE', ledger, ttl)
              return generations
            end
            local function current_generations(ledger, first, ttl)
              local run, now = run_and_now()
              return vouched_generations(ledger, first, #KEYS, ttl, run, now)
            end
            """.replace("ENTITY_MARK_TEXT", CacheKeys.ENTITY_MARK);

    /**
     * The current generations. KEYS[1] = ledger, KEYS[2..] = counters; ARGV[1] = counter TTL in ms. Returns the
     * generations as strings, in the order of the counters.
     */
    public static final String READ = CURRENT_GENERATIONS + """
            return current_generations(KEYS[1], 2, ARGV[1])
            """;

    /**
     * Stores an entry only if every counter still has the generation the loader saw before it read the database. A
     * load that raced an invalidation, a re-seed or a change of Redis run stores nothing. KEYS[1] = entry, KEYS[2] =
     * ledger, KEYS[3..] = counters; ARGV[1] = JSON, ARGV[2] = entry TTL in ms, ARGV[3] = counter TTL in ms, ARGV[4..] =
     * expected generations in the order of the counters. Returns 1 if stored, else 0.
     */
    public static final String COMPARE_AND_SET = CURRENT_GENERATIONS + """
            local generations = current_generations(KEYS[2], 3, ARGV[3])
            for i = 1, #generations do
              if tonumber(generations[i]) ~= tonumber(ARGV[i + 3]) then
                return 0
              end
            end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1
            """;

    /**
     * Invalidations: every counter one past its current generation, for one or many groups (the invalidator's poll
     * batch, ADR 0014) in one call, in order, with the run and the time read once. KEYS = for each group its ledger,
     * then its counters; ARGV[1] = counter TTL in ms, ARGV[2..] = how many counters each group has. Returns the new
     * generations of all groups' counters as integers, in the order of KEYS. All keys of a call must share one slot
     * on Redis Cluster: the caller sends one call per slot.
     *
     * <p>Every counter is INCRed first and re-seeded only when its old value turns out to be one the ledger cannot
     * vouch for (missing, below the ledger's value; not a number): the same values, and the same ledger, as vouching
     * for it and then INCRing it, without reading it first. An INCR of a missing counter gives 1, as if its old value
     * were 0: a result of 1 or less is re-seeded whatever the ledger says, since every value a ledger holds came from
     * the server's clock or from above it.
     *
     * <p>An entity counter is INCRed alone, its TTL left to the reads that refresh it, and one the ledger cannot vouch
     * for (missing, below {@code since}, not a number) is removed rather than re-seeded; its value in the result is
     * then 0 (ADR 0023). No entry can be stored under a generation of it the bump has not moved past: the read that
     * re-seeds it takes the clock, above every value it had, and a load stores only if its counters still hold what
     * it saw ({@link #COMPARE_AND_SET}). A backlog of writes to entities nobody read since their counters expired
     * leaves no counter behind them, where each used to create one for the counters' TTL.
     *
     * <p>A tenant's ledger is checked for the Redis run once per call and its TTL refreshed once, at the end, however
     * many of the call's groups are the tenant's (a poll batch names most tenants once per domain): the same ledger
     * and results as checking it for every group, since nothing in the script changes the run it names or when it
     * started vouching.
     */
    public static final String BUMP = CURRENT_GENERATIONS + """
            local function bumped_entity(key, since)
              local value = redis.pcall('INCR', key)
              if type(value) ~= 'number' or value - 1 < since then
                redis.call('DEL', key)
                return 0
              end
              return value
            end
            local function bumped_counter(ledger, key, ttl, now)
              local vouched = tonumber(redis.call('HGET', ledger, key))
              local value = redis.pcall('INCR', key)
              if type(value) ~= 'number' or vouched == nil or value <= 1 or value - 1 < vouched then
                value = math.max(now, type(value) == 'number' and value or 1, (vouched or 0) + 1) + 1
                redis.call('SET', key, string.format('%.0f', value), 'PX', ttl)
              else
                redis.call('PEXPIRE', key, ttl)
              end
              redis.call('HSET', ledger, key, string.format('%.0f', value))
              return value
            end
            local run, now = run_and_now()
            local sinces, ledgers = {}, {}
            local bumped = {}
            local ledgerIndex = 1
            for group = 2, #ARGV do
              local counters = tonumber(ARGV[group])
              local ledger = KEYS[ledgerIndex]
              local since = sinces[ledger]
              if since == nil then
                since = vouched_since(ledger, run, now)
                sinces[ledger] = since
                ledgers[#ledgers + 1] = ledger
              end
              for i = ledgerIndex + 1, ledgerIndex + counters do
                local value
                if is_entity(KEYS[i]) then
                  value = bumped_entity(KEYS[i], since)
                else
                  value = bumped_counter(ledger, KEYS[i], ARGV[1], now)
                end
                bumped[#bumped + 1] = value
              end
              ledgerIndex = ledgerIndex + counters + 1
            end
            for _, ledger in ipairs(ledgers) do
              redis.call('PEXPIRE', ledger, ARGV[1])
            end
            return bumped
            """;

    private GenerationLedger() {
    }
}
