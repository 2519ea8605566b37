package io.cachebus.localcluster;

import io.cachebus.api.ApiServiceApplication;
import io.cachebus.api.security.LocalTokens;
import io.cachebus.client.autoconfigure.CachebusAutoConfigurations;
import io.cachebus.invalidator.InvalidatorApplication;
import io.cachebus.local.FreePorts;
import io.cachebus.local.kafka.KafkaBroker;
import io.cachebus.local.kafka.LocalKafka;
import io.cachebus.local.redis.RedisCluster;
import io.cachebus.local.redis.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole cachebus cluster on loopback: an in-process Kafka broker (KRaft), a redis-server of its own (when
 * installed; or a Redis Cluster of several), one database shared by the API nodes, several API nodes and
 * invalidators, each a real Spring Boot application on its own port, talking over HTTP, Kafka and Redis exactly as
 * in production. Services run as Spring contexts in this JVM, or, where {@link ClusterOptions#separateJvm()} names
 * them, each in a JVM of its own that a drill can kill with SIGKILL (their output goes to a log file in a private
 * temporary directory, mode 0700).
 *
 * <p>Nothing guessable guards it: bearer tokens are signed with {@code CACHEBUS_JWT_SECRET} when set, else with a
 * random secret of this cluster's own; the embedded H2 database has a random password, and when API nodes in JVMs
 * of their own need it over TCP, its server listens on loopback only and serves only the cluster's existing
 * database. Secrets reach those JVMs through their environment, never their command line (which {@code ps} shows
 * to every user).
 *
 * <p>Used by {@code ./cachebus demo}, the load-test harness and the cluster test suite. Every component can be
 * stopped and started again, which is how outages are simulated.
 */
public final class LocalCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);

    private static final String H2_BIND_ADDRESS_PROPERTY = "h2.bindAddress";
    private static final String H2_USER = "cachebus";
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        // Read once, when H2 first loads: its TCP server then binds to loopback instead of every interface (without
        // -tcpAllowOthers it refuses remote clients anyway, but they should not reach it at all).
        if (System.getProperty(H2_BIND_ADDRESS_PROPERTY) == null) {
            System.setProperty(H2_BIND_ADDRESS_PROPERTY, "127.0.0.1");
        }
    }

    private static final String INVALIDATOR_PREFIX = "invalidator-";
    /** The redis-server's name in a {@link CorePlacement}. */
    public static final String REDIS = "redis";
    private static final String H2_DATABASE_PREFIX = "cachebus-";
    private static final String H2_SETTINGS =
            ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    /** The invalidator's default consumer group ({@code cachebus.invalidator.consumer-group}). */
    private static final String INVALIDATOR_GROUP = "cachebus-invalidator";

    private final ClusterOptions options;
    private final LocalKafka kafka;
    private final RedisServer redis;
    private final RedisCluster redisCluster;
    private final String jdbcUrl;
    /** The cluster's hold on its PostgreSQL database; empty for the embedded H2. */
    private final Optional<DatabaseClaim> databaseClaim;
    /** The password of the embedded H2 database; null when the database is the one {@code options} named. */
    private final String h2Password;
    /** The in-memory database served over TCP, for API nodes in JVMs of their own; null when none needs it. */
    private final org.h2.tools.Server databaseServer;
    private final String jwtSecret;
    /** Where services in JVMs of their own write their logs; made when the first such service is added. */
    private Path logDir;
    private final List<ServiceInstance> apiNodes = new ArrayList<>();
    private final List<ServiceInstance> invalidators = new ArrayList<>();
    private final List<ServiceInstance> extraApiNodes = new ArrayList<>();
    /** Extra API nodes started with the cluster and frozen until a phase takes them. */
    private final Map<String, ServiceInstance> standby = new LinkedHashMap<>();

    private LocalCluster(ClusterOptions options) {
        this.options = options;
        // first: a cluster that cannot have its database must fail before it starts a process
        this.databaseClaim = options.jdbcUrl() == null ? Optional.empty()
                : DatabaseClaim.takeIfPostgres(options.jdbcUrl());
        // what a failing start already started, stopped in reverse (the claim last), as close() would
        Deque<AutoCloseable> started = new ArrayDeque<>();
        databaseClaim.ifPresent(started::push);
        try {
            this.jwtSecret = Optional.ofNullable(System.getenv("CACHEBUS_JWT_SECRET")).filter(s -> !s.isBlank())
                    .orElseGet(LocalCluster::randomSecret);
            this.kafka = startKafka();
            started.push(kafka);
            boolean redisWanted = redisWanted(options);
            this.redisCluster = redisWanted && options.redisClusterPrimaries() > 0
                    ? RedisCluster.start(options.redisClusterPrimaries(), 0) : null;
            if (redisCluster != null) {
                started.push(redisCluster);
            }
            this.redis = redisWanted && redisCluster == null ? startRedis() : null;
            if (redis != null) {
                started.push(redis);
            }
            this.jdbcUrl = options.jdbcUrl() != null ? options.jdbcUrl()
                    : "jdbc:h2:mem:" + H2_DATABASE_PREFIX + UUID.randomUUID() + H2_SETTINGS;
            this.h2Password = options.jdbcUrl() == null ? randomSecret() : null;
            if (h2Password != null) {
                createEmbeddedDatabase();
            }
            // any service in a JVM of its own but an invalidator is an API node, and needs the database from outside
            boolean apiNodeInOwnJvm = processes()
                    || options.separateJvm().stream().anyMatch(name -> !name.startsWith(INVALIDATOR_PREFIX));
            this.databaseServer = options.jdbcUrl() == null && apiNodeInOwnJvm ? startDatabaseServer() : null;
        } catch (RuntimeException | Error e) {
            stopAll(started, e);
            throw e;
        }
    }

    private static void stopAll(Deque<AutoCloseable> started, Throwable cause) {
        for (AutoCloseable part : started) {
            try {
                part.close();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
    }

    private boolean processes() {
        return options.topology() == Topology.PROCESSES;
    }

    private LocalKafka startKafka() {
        boolean proxied = !options.kafkaThroughProxy().isEmpty();
        if (processes()) {
            return KafkaBrokerProcess.start(options.mutationPartitions(), proxied,
                    options.placement().cpusOf(KafkaBrokerProcess.NAME), logDir());
        }
        return proxied ? KafkaBroker.startWithProxiedListener(options.mutationPartitions())
                : KafkaBroker.start(options.mutationPartitions());
    }

    /**
     * The cluster's redis-server; in the separate-process topology with docker-compose.yml's memory settings (a
     * cache: no persistence, at most 256 MB, least recently used keys with an expiry go first) and pinned where the
     * placement says.
     */
    private RedisServer startRedis() {
        if (!processes()) {
            return RedisServer.start();
        }
        return RedisServer.startWithPrefix(options.placement().commandPrefix(REDIS), FreePorts.next(),
                "--maxmemory", "256mb", "--maxmemory-policy", "volatile-lru");
    }

    /** 48 random bytes, Base64: enough for HS256 and for a database password. */
    private static String randomSecret() {
        byte[] bytes = new byte[48];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * Creates the in-memory database with the cluster's credentials before anything can reach it, so its first user
     * (the administrator) is the cluster's and the TCP server never has to create databases for its clients.
     */
    private void createEmbeddedDatabase() {
        try (Connection ignored = openDatabaseConnection()) {
            // DB_CLOSE_DELAY=-1 keeps it open after this connection closes
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the cluster's H2 database", e);
        }
    }

    private static org.h2.tools.Server startDatabaseServer() {
        try {
            // No -ifNotExists: a client may only open the database the cluster created (and with its password);
            // no -tcpAllowOthers: only local clients, on the loopback address h2.bindAddress names
            return org.h2.tools.Server.createTcpServer("-tcpPort", String.valueOf(FreePorts.next())).start();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot serve the cluster's H2 database over TCP", e);
        }
    }

    /** The port of the H2 TCP server serving the database to API nodes in JVMs of their own, if one runs. */
    Optional<Integer> databaseServerPort() {
        return Optional.ofNullable(databaseServer).map(org.h2.tools.Server::getPort);
    }

    /**
     * A connection to the API nodes' database, with the cluster's credentials when it is the embedded H2 (for a
     * database named by {@link ClusterOptions#jdbcUrl()}, the credentials are in its URL).
     */
    public Connection openDatabaseConnection() throws SQLException {
        return h2Password == null ? DriverManager.getConnection(jdbcUrl)
                : DriverManager.getConnection(jdbcUrl, H2_USER, h2Password);
    }

    /** The database URL for a node: the embedded one in this JVM, the same database over TCP from another JVM. */
    private String jdbcUrlFor(boolean separateJvm) {
        if (!separateJvm || databaseServer == null) {
            return jdbcUrl;
        }
        return jdbcUrl.replace("jdbc:h2:mem:", "jdbc:h2:tcp://127.0.0.1:" + databaseServer.getPort() + "/mem:");
    }

    public static LocalCluster start(ClusterOptions options) {
        return start(options, Map.of());
    }

    /**
     * {@link #start(ClusterOptions)} with extra API nodes ({@link #startExtraApiNode}) started beside the others and,
     * in the {@link Topology#PROCESSES} topology, frozen (SIGSTOP) once every service is ready, so they cost no CPU
     * until a phase takes them with {@link #standbyApiNode}: their start overlaps the cluster's instead of adding to
     * the run. In this JVM nothing can be frozen, so none is started ahead.
     *
     * @param standbyApiNodes extra properties by node name
     */
    public static LocalCluster start(ClusterOptions options, Map<String, Map<String, String>> standbyApiNodes) {
        LocalCluster cluster = new LocalCluster(options);
        try {
            List<ServiceInstance> services = new ArrayList<>();
            for (int i = 1; i <= options.invalidators(); i++) {
                services.add(cluster.addInvalidator());
            }
            for (int i = 1; i <= options.apiNodes(); i++) {
                services.add(cluster.addApiNode());
            }
            if (options.topology() == Topology.PROCESSES) {
                List<ServiceInstance> standby = new ArrayList<>();
                standbyApiNodes.forEach((name, properties) -> standby.add(cluster.addExtraApiNode(name, properties)));
                services.addAll(standby);
                startTogether(services);
                standby.forEach(ServiceInstance::suspend);
                standby.forEach(node -> cluster.standby.put(node.name(), node));
            } else {
                services.forEach(ServiceInstance::start);
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Whether {@code node} was started with the cluster and is frozen until a phase takes it. */
    synchronized boolean inStandby(ServiceInstance node) {
        return standby.containsValue(node);
    }

    /**
     * The extra API node {@code name} started with the cluster and frozen since ({@link #start(ClusterOptions, Map)}),
     * now running again; empty when none was (in this JVM, or not asked for), or it was taken already.
     */
    public synchronized Optional<ServiceInstance> standbyApiNode(String name) {
        ServiceInstance node = standby.remove(name);
        if (node == null) {
            return Optional.empty();
        }
        node.continueRunning();
        return Optional.of(node);
    }

    /**
     * Starts services in processes of their own all at once: a JVM's start waits on much besides CPU (class files,
     * connections), and one after another they would take minutes on two cores.
     */
    private static void startTogether(List<ServiceInstance> services) {
        try {
            together(services, "cachebus-service-start", ServiceInstance::start);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure
                    : new IllegalStateException("a service did not start", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the services started", e);
        }
    }

    /** Runs {@code action} on every service, each on a thread of its own, and returns once all are done. */
    private static void together(List<ServiceInstance> services, String threadName, Consumer<ServiceInstance> action)
            throws ExecutionException, InterruptedException {
        if (services.isEmpty()) {
            return;
        }
        ExecutorService workers = Executors.newFixedThreadPool(services.size(), runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> done = new ArrayList<>();
            for (ServiceInstance service : services) {
                done.add(workers.submit(() -> action.accept(service)));
            }
            for (Future<?> service : done) {
                service.get();
            }
        } finally {
            workers.shutdownNow();
        }
    }

    private static boolean redisWanted(ClusterOptions options) {
        if (!options.useRedis()) {
            return false;
        }
        if (!RedisServer.isAvailable()) {
            log.warn("""

                    ***************************************************************************
                    *  No redis-server installed: every API node runs on its IN-MEMORY FALLBACK *
                    *  L2 cache. Install redis-server for the shared L2 the design describes.   *
                    ***************************************************************************""");
            return false;
        }
        return true;
    }

    private ServiceInstance addApiNode() {
        ServiceInstance node = apiNode("api-" + (apiNodes.size() + 1), Map.of());
        apiNodes.add(node);
        return node;
    }

    /**
     * Starts an API node outside {@link #apiNodes()}, on the cluster's database, Kafka and Redis, with extra
     * properties (a baseline node with caching or publishing switched off, say). Closed with the cluster.
     */
    public synchronized ServiceInstance startExtraApiNode(String name, Map<String, String> extraProperties) {
        return addExtraApiNode(name, extraProperties).start();
    }

    private synchronized ServiceInstance addExtraApiNode(String name, Map<String, String> extraProperties) {
        ServiceInstance node = apiNode(name, extraProperties);
        extraApiNodes.add(node);
        return node;
    }

    private ServiceInstance apiNode(String name, Map<String, String> extraProperties) {
        Map<String, String> properties = new LinkedHashMap<>(commonProperties(name));
        properties.put("spring.datasource.url", jdbcUrlFor(inOwnJvm(name)));
        if (h2Password != null) {
            properties.put("spring.datasource.username", H2_USER);
            properties.put("spring.datasource.password", h2Password);
        }
        properties.put("cachebus.node-id", name);
        properties.put("cachebus.security.jwt-secret", jwtSecret);
        properties.put("cachebus.security.tokens.issuer", LocalTokens.ISSUER);
        properties.put("cachebus.security.tokens.audience", LocalTokens.AUDIENCE);
        properties.putAll(options.apiProperties());
        properties.putAll(extraProperties);
        properties.replaceAll((key, value) -> ClusterOptions.FREE_PORT.equals(value)
                ? String.valueOf(FreePorts.next()) : value);
        return service(name, ApiServiceApplication.class, properties);
    }

    /** Adds and starts one more invalidator in the group (e.g. to replace a killed one). */
    public ServiceInstance addInvalidator() {
        String name = INVALIDATOR_PREFIX + (invalidators.size() + 1);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.config.name", InvalidatorApplication.CONFIG_NAME);
        // One classpath holds every service here: keep the API side's auto-configurations (the tiered cache, its
        // database and migrations, security) out of the invalidator, as in its own deployment.
        List<String> excluded = new ArrayList<>(CachebusAutoConfigurations.names());
        excluded.addAll(List.of(
                "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
                "org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration"));
        properties.put("spring.autoconfigure.exclude", String.join(",", excluded));
        // The API's OpenAPI endpoints are on this classpath too; the invalidator has no API to describe.
        properties.put("springdoc.api-docs.enabled", "false");
        properties.put("springdoc.swagger-ui.enabled", "false");
        properties.putAll(commonProperties(name));
        properties.put("cachebus.invalidator.invalidator-id", name);
        properties.putAll(options.invalidatorProperties());
        ServiceInstance invalidator = service(name, InvalidatorApplication.class, properties);
        invalidators.add(invalidator);
        return invalidator;
    }

    private boolean inOwnJvm(String service) {
        return processes() || options.separateJvm().contains(service);
    }

    private ServiceInstance service(String name, Class<?> application, Map<String, String> properties) {
        if (!inOwnJvm(name)) {
            return ServiceInstance.inThisJvm(name, application, FreePorts.next(), properties);
        }
        return processes()
                ? ServiceInstance.inOwnJvm(name, application, FreePorts.next(), properties, logDir(), JvmFlags.IMAGE,
                        options.placement().cpusOf(name))
                : ServiceInstance.inOwnJvm(name, application, FreePorts.next(), properties, logDir(), JvmFlags.DRILL,
                        Optional.empty());
    }

    /** A directory only this user can enter, under a name nobody can guess ahead (no symlink planted for us). */
    private synchronized Path logDir() {
        if (logDir == null) {
            try {
                logDir = Files.createTempDirectory("cachebus-cluster-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a private directory for the services' logs", e);
            }
            log.info("local cluster logDir={}", logDir);
        }
        return logDir;
    }

    private Map<String, String> commonProperties(String name) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.application.name", name);
        // Noise of running several services in one JVM, not signals: Flyway's "H2 newer than verified" warning
        // once per node, and Tomcat's leak warning for resilience4j's shared auto-transition thread at shutdown.
        properties.put("logging.level.org.flywaydb.core.internal.database.base.Database", "ERROR");
        properties.put("logging.level.org.apache.catalina.loader.WebappClassLoaderBase", "ERROR");
        properties.put("spring.kafka.bootstrap-servers", options.kafkaThroughProxy().contains(name)
                ? kafka.proxiedBootstrapServers() : kafka.bootstrapServers());
        if (redisCluster != null) {
            properties.put("spring.data.redis.cluster.nodes", redisCluster.nodeAddresses());
        } else if (redis != null) {
            properties.put("spring.data.redis.host", redis.host());
            properties.put("spring.data.redis.port", String.valueOf(redis.port()));
        } else {
            properties.put("cachebus.l2.enabled", "false");
        }
        return properties;
    }

    public List<ServiceInstance> apiNodes() {
        return List.copyOf(apiNodes);
    }

    /** {@link #apiNodes()} and the extra ones started for a baseline. */
    public synchronized List<ServiceInstance> allApiNodes() {
        List<ServiceInstance> all = new ArrayList<>(apiNodes);
        all.addAll(extraApiNodes);
        return all;
    }

    /**
     * Gives the API nodes at {@code baseUrls} a CPU of their own for a measurement ({@link CoreIsolation}); empty
     * unless every part runs in a process of its own ({@link Topology#PROCESSES}) on a machine of several CPUs.
     */
    public Optional<CoreIsolation> isolate(List<String> baseUrls) {
        if (!processes()) {
            return Optional.empty();
        }
        List<ServiceInstance> underTest = allApiNodes().stream()
                .filter(node -> baseUrls.contains(node.baseUrl()))
                .toList();
        if (underTest.size() != baseUrls.size()) {
            throw new IllegalArgumentException("not API nodes of this cluster: " + baseUrls);
        }
        return CoreIsolation.of(this, underTest);
    }

    /**
     * Gives the first invalidator a CPU of its own for a measurement, every other process of the cluster the other
     * CPUs ({@link CoreIsolation}); no API node is frozen. Empty unless every part runs in a process of its own on a
     * machine of several CPUs.
     */
    public Optional<CoreIsolation> isolateFirstInvalidator() {
        if (!processes() || invalidators.isEmpty()) {
            return Optional.empty();
        }
        return CoreIsolation.of(this, List.of(invalidators.get(0)), false);
    }

    public ServiceInstance apiNode(int index) {
        return apiNodes.get(index);
    }

    public List<ServiceInstance> invalidators() {
        return List.copyOf(invalidators);
    }

    public LocalKafka kafka() {
        return kafka;
    }

    /**
     * The API nodes that reach Kafka only through the broker's proxy ({@link ClusterOptions#kafkaThroughProxy()}):
     * closing {@code kafka().proxy()} cuts them, and only them, off from Kafka.
     */
    public List<ServiceInstance> apiNodesBehindKafkaProxy() {
        return apiNodes.stream().filter(node -> options.kafkaThroughProxy().contains(node.name())).toList();
    }

    /** The cluster's redis-server, or empty when the nodes run on a Redis Cluster or the in-memory fallback. */
    public Optional<RedisServer> redis() {
        return Optional.ofNullable(redis);
    }

    /** The cluster's Redis Cluster, when {@link ClusterOptions#redisClusterPrimaries()} asked for one. */
    public Optional<RedisCluster> redisCluster() {
        return Optional.ofNullable(redisCluster);
    }

    /** How many partitions the mutation topic has. */
    public int mutationPartitions() {
        return options.mutationPartitions();
    }

    /** The consumer group the invalidators share. */
    public String invalidatorGroup() {
        return options.invalidatorProperties().getOrDefault("cachebus.invalidator.consumer-group",
                INVALIDATOR_GROUP);
    }

    /**
     * Every process of the cluster and the starting JVM (the load generator), where it runs and with which JVM flags:
     * the topology a report states.
     */
    public List<ClusterProcess> processLayout() {
        long self = ProcessHandle.current().pid();
        CorePlacement placement = options.placement();
        List<ClusterProcess> layout = new ArrayList<>();
        layout.add(new ClusterProcess(CorePlacement.LOAD_GENERATOR, self,
                placement.cpusOf(CorePlacement.LOAD_GENERATOR).orElse(ClusterProcess.ANY_CPU), ClusterProcess.THIS_JVM));
        if (kafka instanceof KafkaBrokerProcess process) {
            layout.add(new ClusterProcess(KafkaBrokerProcess.NAME, process.pid().orElse(0),
                    placement.cpusOf(KafkaBrokerProcess.NAME).orElse(ClusterProcess.ANY_CPU), JvmFlags.KAFKA.name()));
        } else {
            layout.add(new ClusterProcess(KafkaBrokerProcess.NAME, self, ClusterProcess.ANY_CPU, ClusterProcess.THIS_JVM));
        }
        if (redis != null) {
            layout.add(new ClusterProcess(REDIS, redis.pid().orElse(0),
                    processes() ? placement.cpusOf(REDIS).orElse(ClusterProcess.ANY_CPU) : ClusterProcess.ANY_CPU,
                    ClusterProcess.NATIVE));
        }
        if (!jdbcUrl.startsWith("jdbc:h2:")) {
            // the machine's server, shared: never pinned, its process id is not ours to know
            layout.add(new ClusterProcess("postgresql", 0, ClusterProcess.ANY_CPU, ClusterProcess.NATIVE));
        }
        List<ServiceInstance> services = new ArrayList<>(apiNodes);
        services.addAll(extraApiNodes);
        services.addAll(invalidators);
        for (ServiceInstance service : services) {
            boolean ownJvm = !service.runsInThisJvm();
            layout.add(new ClusterProcess(service.name(), service.pid().orElse(ownJvm ? 0 : self),
                    ownJvm && processes() ? placement.cpusOf(service.name()).orElse(ClusterProcess.ANY_CPU)
                            : ClusterProcess.ANY_CPU,
                    !ownJvm ? ClusterProcess.THIS_JVM : processes() ? JvmFlags.IMAGE.name() : JvmFlags.DRILL.name()));
        }
        return layout;
    }

    public ClusterOptions options() {
        return options;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * The secret the API nodes verify bearer tokens with: {@code CACHEBUS_JWT_SECRET} when set, else one made for
     * this cluster.
     */
    public String jwtSecret() {
        return jwtSecret;
    }

    @Override
    public void close() {
        synchronized (this) {
            // a frozen JVM would hold its SIGTERM until SIGCONT: the clean stop would wait out its grace period
            standby.values().forEach(LocalCluster::resumeToStop);
            standby.clear();
        }
        List<ServiceInstance> nodes = new ArrayList<>(apiNodes);
        nodes.addAll(extraApiNodes);
        if (processes()) {
            // the API nodes first (their relays still send to a running group), as one after another did
            closeTogether(nodes);
            closeTogether(invalidators);
        } else {
            // Spring contexts of this JVM: one at a time, in that order, as they always stopped
            nodes.forEach(ServiceInstance::close);
            invalidators.forEach(ServiceInstance::close);
        }
        if (redis != null) {
            redis.close();
        }
        if (redisCluster != null) {
            redisCluster.close();
        }
        kafka.close();
        if (databaseServer != null) {
            databaseServer.stop();
        }
        databaseClaim.ifPresent(DatabaseClaim::close);
    }

    /**
     * SIGCONT before the stop. A service whose process is already gone (it died, or someone killed it) cannot be
     * signalled, and that must not end the close before the rest of the cluster (redis-server above all, which no
     * parent-watch stops) is stopped.
     */
    private static void resumeToStop(ServiceInstance service) {
        try {
            service.continueRunning();
        } catch (RuntimeException e) {
            log.warn("a frozen service could not be resumed before its stop, stopping the rest name={} reason={}",
                    service.name(), e.toString());
        }
    }

    /**
     * Stops services in processes of their own at once, as they were started: each waits out its own shutdown (a JVM
     * may be writing its class data sharing archive, see {@link ChildClasspath}), and one after another the waits add
     * up.
     */
    private static void closeTogether(List<ServiceInstance> services) {
        try {
            together(services, "cachebus-service-stop", ServiceInstance::close);
        } catch (ExecutionException e) {
            log.warn("a service did not stop cleanly reason={}", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
