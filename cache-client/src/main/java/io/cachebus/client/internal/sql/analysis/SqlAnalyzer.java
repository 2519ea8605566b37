package io.cachebus.client.internal.sql.analysis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.UnsupportedStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells what a SQL text reads and writes, with JSqlParser. Never throws: whatever the parser cannot read (a dialect
 * feature it does not know, a syntax error, a parse that takes longer than the timeout) comes back as
 * {@link StatementAnalysis.Unreadable}, and is logged once per text.
 *
 * <p>Results are remembered per text (bounded by the total length of the texts held), so each distinct statement of
 * an application is parsed once. Parsing runs on a thread of its own so a pathological text can be given up on
 * after the timeout; threads are created on demand and end when idle.
 */
public final class SqlAnalyzer implements AutoCloseable {

    /**
     * Functions whose result differs between two calls with the same arguments, or that change state: a read calling
     * one is executed uncached (caching it would freeze {@code now()} or repeat a {@code random()}).
     */
    public static final Set<String> VOLATILE_FUNCTIONS = Set.of(
            "now", "current_timestamp", "current_date", "current_time", "localtime", "localtimestamp",
            "clock_timestamp", "statement_timestamp", "transaction_timestamp", "timeofday", "sysdate", "systimestamp",
            "getdate", "getutcdate", "sysdatetime", "utc_timestamp", "utc_date", "utc_time", "unix_timestamp",
            "curdate", "curtime", "random", "rand", "random_uuid", "gen_random_uuid", "uuid", "uuid_generate_v1",
            "uuid_generate_v4", "newid", "nextval", "currval", "setval", "lastval", "last_insert_id", "identity",
            "scope_identity", "txid_current", "pg_current_xact_id", "current_setting", "set_config", "pg_sleep",
            "sleep", "pg_advisory_lock", "pg_try_advisory_lock", "pg_advisory_xact_lock", "get_lock", "release_lock",
            "session_user", "current_user", "user");

    /** Texts longer than this are not remembered (they are parsed on every use); they would crowd out the rest. */
    static final int MAX_REMEMBERED_LENGTH = 64 * 1024;

    /** How many unreadable texts are remembered as already logged (as digests) before the oldest are forgotten. */
    private static final int MAX_LOGGED_DIGESTS = 10_000;

    private static final Logger log = LoggerFactory.getLogger(SqlAnalyzer.class);

    private final long parseTimeoutMillis;
    private final Set<String> volatileFunctions;
    private final Cache<String, StatementAnalysis> analyses;
    private final Cache<String, Boolean> loggedUnreadable;
    private final ExecutorService parsers;
    private final AtomicLong parses = new AtomicLong();

    /**
     * @param parseTimeout               longest a parse may take before the text counts as unreadable
     * @param extraVolatileFunctions     more function names (case-insensitive) to treat like {@link #VOLATILE_FUNCTIONS}
     * @param rememberedCharacters       total length of the texts whose analysis is remembered
     */
    public SqlAnalyzer(Duration parseTimeout, Set<String> extraVolatileFunctions, long rememberedCharacters) {
        this.parseTimeoutMillis = Math.max(1, parseTimeout.toMillis());
        Set<String> functions = new HashSet<>(VOLATILE_FUNCTIONS);
        extraVolatileFunctions.forEach(name -> functions.add(name.toLowerCase(Locale.ROOT)));
        this.volatileFunctions = Set.copyOf(functions);
        this.analyses = Caffeine.newBuilder().maximumWeight(rememberedCharacters)
                .weigher((String sql, StatementAnalysis analysis) -> sql.length()).build();
        this.loggedUnreadable = Caffeine.newBuilder().maximumSize(MAX_LOGGED_DIGESTS).build();
        AtomicInteger threads = new AtomicInteger();
        this.parsers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "cachebus-sql-parser-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    public StatementAnalysis analyze(String sql) {
        if (sql.length() > MAX_REMEMBERED_LENGTH) {
            return logIfUnreadable(sql, parse(sql));
        }
        return analyses.get(sql, text -> logIfUnreadable(text, parse(text)));
    }

    /** How many times a text was given to the parser: once per distinct remembered text, however often it runs. */
    public long parseCount() {
        return parses.get();
    }

    private StatementAnalysis parse(String sql) {
        parses.incrementAndGet();
        List<Statement> statements;
        try {
            statements = parseStatements(sql);
        } catch (JSQLParserException e) {
            return new StatementAnalysis.Unreadable(firstLine(e));
        } catch (RuntimeException e) {
            // e.g. the parser threads refused work while the application shuts down
            return new StatementAnalysis.Unreadable("parser failed: " + e);
        }
        if (statements == null || statements.isEmpty()) {
            return new StatementAnalysis.Unreadable("no statement");
        }
        if (statements.stream().anyMatch(UnsupportedStatement.class::isInstance)) {
            return new StatementAnalysis.Unreadable("unsupported statement");
        }
        try {
            return StatementWalker.analyze(statements, volatileFunctions);
        } catch (RuntimeException | StackOverflowError e) {
            // a syntax tree the walker cannot take apart (or one nested deeper than the stack) is as good as unread:
            // the statement runs uncached
            return new StatementAnalysis.Unreadable("syntax tree not walkable: " + e);
        }
    }

    /** Like {@link CCJSqlParserUtil#parseStatements(String)}: simple parsing first, complex parsing if that failed. */
    private List<Statement> parseStatements(String sql) throws JSQLParserException {
        try {
            return CCJSqlParserUtil.parseStatements(newParser(sql, false), parsers);
        } catch (JSQLParserException simpleFailed) {
            if (CCJSqlParserUtil.getNestingDepth(sql) > CCJSqlParserUtil.ALLOWED_NESTING_DEPTH) {
                throw simpleFailed;
            }
            Statements statements = CCJSqlParserUtil.parseStatements(newParser(sql, true), parsers);
            return statements;
        }
    }

    private CCJSqlParser newParser(String sql, boolean complex) {
        return CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(complex).withTimeOut(parseTimeoutMillis);
    }

    private StatementAnalysis logIfUnreadable(String sql, StatementAnalysis analysis) {
        if (analysis instanceof StatementAnalysis.Unreadable unreadable) {
            String digest = digest(sql);
            if (loggedUnreadable.asMap().putIfAbsent(digest, Boolean.TRUE) == null) {
                log.warn("sql statement not understood: through SqlCache it runs uncached and invalidates only its "
                        + "tags(\"table:...\"); through the table-tagging DataSource it invalidates every table of the "
                        + "tenant statementDigest={} reason={} sql={}",
                        digest, unreadable.reason(), abbreviate(sql));
            }
        }
        return analysis;
    }

    /** A short stable name for a text, for logs and cache keys. */
    public static String digest(String sql) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String abbreviate(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }

    private static String firstLine(Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = String.valueOf(cause.getMessage());
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }

    @Override
    public void close() {
        parsers.shutdownNow();
    }
}
