package io.cachebus.deployment.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cachebus.api.security.LocalTokens;
import io.cachebus.client.autoconfigure.CachebusAutoConfiguration;
import io.cachebus.deployment.Repository;
import io.cachebus.deployment.SpringServices;
import io.cachebus.deployment.service.ServiceConfiguration;
import io.cachebus.events.Topics;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml against the code: every image is one the build makes, every environment variable sets a
 * property the service's classpath knows (by Spring Boot's binding rules) or a placeholder of its application.yml,
 * every port is the service's server.port, every host a service of the file, every topic one kafka-init creates;
 * Prometheus and nginx reach every node on that port. Secure by default: every secret is a required variable the
 * setup script generates, only the API is published beyond loopback, Redis and Kafka authenticate every client and
 * Kafka's ACLs allow each service exactly its work. And Debian's docker-compose accepts the file.
 */
class ComposeFileTest {

    private static final Pattern CREATED_TOPIC = Pattern.compile("(?m)^create\\s+(\\S+)\\s+(\\d+)");
    private static final Pattern HOST_AND_PORT = Pattern.compile("(?:^|//|,|@)([a-z][a-z0-9-]*):(\\d+)");
    private static final Pattern NGINX_SERVER = Pattern.compile("(?m)^\\s*server\\s+([a-z0-9-]+):(\\d+)");
    private static final Pattern NGINX_LISTEN = Pattern.compile("(?m)^\\s*listen\\s+(\\d+);");
    /** Variables holding a secret, by their names. */
    private static final Pattern SECRET_NAME = Pattern.compile("PASSWORD|SECRET");
    /** Settings of a service that carry a credential. */
    private static final Pattern CREDENTIAL_SETTING = Pattern.compile("PASSWORD|SECRET|_PASS$");
    private static final Pattern SECRET_MARKER = Pattern.compile("<[A-Z_]*(PASSWORD|SECRET)[A-Z_]*>");
    private static final Pattern SCRIPT_USER = Pattern.compile("(?m)^user\\s+(\\S+)\\s+(\\S+)\\s*$");
    private static final Pattern SCRIPT_ALLOW = Pattern.compile(
            "(?m)^allow\\s+(\\S+)\\s+(\\S+)\\s+(topic|group)\\s+(\\S+)(\\s+prefixed)?\\s*$");
    private static final Pattern SCRAM_LOGIN = Pattern.compile(
            "ScramLoginModule required username=\"([^\"]+)\"\\s+password=\"<([A-Z_]+)>\";");
    private static final String KAFKA_ADMIN = "admin";

    /** The topic properties of each service and what they default to when nothing sets them. */
    private static final Map<String, Map<String, String>> TOPIC_PROPERTIES = Map.of(
            "api-service", Map.of(
                    "cachebus.mutation-topic", Topics.DOMAIN_MUTATED,
                    "cachebus.eviction.topic", Topics.EVICTIONS),
            "invalidator-service", Map.of(
                    "cachebus.invalidator.topics.mutations", Topics.DOMAIN_MUTATED,
                    "cachebus.invalidator.topics.dead-letter", Topics.DOMAIN_MUTATED_DLT,
                    "cachebus.invalidator.topics.evictions", Topics.EVICTIONS));

    private static Repository repository;
    private static ComposeFile compose;

    @BeforeAll
    static void readFiles() {
        repository = Repository.locate();
        compose = ComposeFile.read(repository.path("docker-compose.yml"));
    }

    @Test
    void debiansDockerComposeAcceptsTheFileWithTheGeneratedSecretsAndRefusesItWithout() throws Exception {
        Optional<Path> dockerCompose = onPath("docker-compose");
        assumeTrue(dockerCompose.isPresent(), "docker-compose is not installed, so `docker-compose config -q` was not "
                + "run: ./cachebus test installs Debian's docker-compose package when it runs as root");
        Path envFile = generatedSecretsFile();
        ComposeRun withSecrets = dockerCompose(dockerCompose.get(), "--env-file", envFile.toString(),
                "-f", "docker-compose.yml", "config", "-q");
        assertThat(withSecrets.exitValue()).as("docker-compose config -q said:%n%s", withSecrets.output()).isZero();

        Path empty = Files.createTempFile("cachebus-empty", ".env");
        ComposeRun without = dockerCompose(dockerCompose.get(), "--env-file", empty.toString(),
                "-f", "docker-compose.yml", "config", "-q");
        assertThat(without.exitValue()).as("without its secrets, docker-compose config said:%n%s", without.output())
                .isNotZero();
        assertThat(without.output()).contains("generate-secrets.sh");
    }

    private record ComposeRun(int exitValue, String output) {
    }

    private static ComposeRun dockerCompose(Path executable, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(executable.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(repository.root().toFile())
                .redirectErrorStream(true);
        // only the env file may set the secrets, whatever this JVM's environment holds
        builder.environment().keySet().removeAll(requiredVariables());
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("docker-compose config finished").isTrue();
        return new ComposeRun(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void everyProjectImageIsOneTheBuildMakesAtThisVersion() {
        List<ComposeService> projectServices = projectServices();
        assertThat(projectServices).extracting(service -> service.projectModule().orElseThrow())
                .contains("api-service", "invalidator-service", "load-test");
        for (ComposeService service : projectServices) {
            String module = service.projectModule().orElseThrow();
            assertThat(repository.buildsImage(module)).as("%s runs cachebus/%s, which the build does not make "
                    + "(cachebus.image.skip=false in %s/pom.xml)", service.name(), module, module).isTrue();
            assertThat(service.projectImageTag()).as("%s: image tag default", service.name())
                    .contains(repository.version());
        }
    }

    @Test
    void everyEnvironmentVariableMeansSomethingToItsService() {
        Map<String, String> meaningless = new TreeMap<>();
        for (ComposeService service : springServices()) {
            ServiceConfiguration configuration = configuration(service);
            service.environment().keySet().forEach(variable -> {
                if (configuration.meaningOf(variable).isEmpty()) {
                    meaningless.put(service.name() + ": " + variable, configuration.module());
                }
            });
        }
        assertThat(meaningless).as("environment variables that set no property the service knows "
                + "(service: variable -> module)").isEmpty();
    }

    @Test
    void theHarnessReadsEveryVariableAndOptionItIsGiven() throws IOException {
        Path sources = repository.module("load-test").resolve("src/main/java");
        assumeTrue(Files.isDirectory(sources), "load-test has no sources in this checkout");
        StringBuilder code = new StringBuilder();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                code.append(Files.readString(file));
            }
        }
        for (ComposeService service : projectServices()) {
            if (service.projectModule().orElseThrow().equals("load-test")) {
                assertThat(service.environment().keySet()).as(service.name()).allSatisfy(variable ->
                        assertThat(code).as("load-test reads %s", variable).contains("\"" + variable + "\""));
                assertThat(service.command()).as("%s runs a command", service.name()).isNotEmpty();
                // picocli: @Command(name = "bench"), @Option(names = "--profile")
                assertThat(code).as("load-test has the command %s", service.command().get(0))
                        .contains("@Command(name = \"" + service.command().get(0) + "\"");
                service.command().stream().filter(argument -> argument.startsWith("--")).forEach(option ->
                        assertThat(code).as("load-test knows the option %s", option)
                                .contains("names = \"" + option + "\""));
            }
        }
    }

    @Test
    void portsAndHealthChecksAreTheServicesOwn() {
        for (ComposeService service : springServices()) {
            ServiceConfiguration configuration = configuration(service);
            String port = serverPort(service);
            assertThat(service.expose()).as("%s exposes server.port", service.name()).containsExactly(port);
            assertThat(service.healthcheckPort()).as("%s health check port", service.name())
                    .contains(Integer.parseInt(port));
            String basePath = configuration.effectiveValue("management.endpoints.web.base-path", service.environment())
                    .orElse("/actuator");
            assertThat(configuration.effectiveValue("management.endpoint.health.probes.enabled", service.environment()))
                    .as("%s has health probe groups", service.name()).contains("true");
            assertThat(service.healthcheckPath()).as("%s health check path", service.name())
                    .hasValueSatisfying(path -> assertThat(path).isIn(basePath + "/health/readiness",
                            basePath + "/health/liveness"));
            assertThat(configuration.effectiveValue("management.server.port", service.environment()))
                    .as("%s: actuator on the server port", service.name()).isEmpty();
        }
    }

    @Test
    void prometheusScrapesEveryNodeOnItsPort() {
        Map<String, Object> prometheus = yaml("deploy/prometheus/prometheus.yml");
        Map<String, String> metricsPathByTarget = new LinkedHashMap<>();
        for (Map<String, Object> job : listOfMaps(prometheus.get("scrape_configs"))) {
            String metricsPath = String.valueOf(job.getOrDefault("metrics_path", "/metrics"));
            for (Map<String, Object> staticConfig : listOfMaps(job.get("static_configs"))) {
                for (Object target : (List<?>) staticConfig.get("targets")) {
                    metricsPathByTarget.put(String.valueOf(target), metricsPath);
                }
            }
        }
        for (ComposeService service : springServices()) {
            ServiceConfiguration configuration = configuration(service);
            String target = service.name() + ":" + serverPort(service);
            String basePath = configuration.effectiveValue("management.endpoints.web.base-path", service.environment())
                    .orElse("/actuator");
            assertThat(metricsPathByTarget).as("Prometheus scrapes %s", service.name())
                    .containsEntry(target, basePath + "/prometheus");
            assertThat(configuration.effectiveValue("management.endpoints.web.exposure.include", service.environment()))
                    .as("%s exposes the prometheus endpoint", service.name())
                    .hasValueSatisfying(include -> assertThat(include.split("\\s*,\\s*")).contains("prometheus"));
        }
        for (String target : metricsPathByTarget.keySet()) {
            String host = target.substring(0, target.indexOf(':'));
            String port = target.substring(target.indexOf(':') + 1);
            if (!host.equals("localhost")) {
                assertThat(compose.service(host)).as("Prometheus target %s is a service", target).isPresent();
                assertThat(compose.service(host).orElseThrow().expose()).as("Prometheus target %s", target)
                        .contains(port);
            }
        }
    }

    @Test
    void theLoadBalancerSendsToEveryApiNodeAndNothingElse() {
        String nginx = repository.read("deploy/nginx/nginx.conf");
        Set<String> upstream = new TreeSet<>();
        Matcher server = NGINX_SERVER.matcher(nginx);
        while (server.find()) {
            upstream.add(server.group(1) + ":" + server.group(2));
        }
        Set<String> apiNodes = new TreeSet<>();
        springServices().stream().filter(service -> service.projectModule().orElseThrow().equals("api-service"))
                .forEach(service -> apiNodes.add(service.name() + ":" + serverPort(service)));
        assertThat(apiNodes).hasSize(3);
        assertThat(upstream).isEqualTo(apiNodes);

        Matcher listen = NGINX_LISTEN.matcher(nginx);
        assertThat(listen.find()).as("nginx listens").isTrue();
        ComposeService loadBalancer = compose.service("load-balancer").orElseThrow();
        assertThat(loadBalancer.ports()).anySatisfy(port -> assertThat(port).endsWith(":" + listen.group(1)));
        assertThat(loadBalancer.healthcheckPort()).contains(Integer.parseInt(listen.group(1)));
        assertThat(loadBalancer.dependsOn()).containsAll(apiNodes.stream().map(node -> node.split(":")[0]).toList());
    }

    @Test
    void everyTopicTheServicesUseIsCreatedBeforeThemWithEnoughPartitions() {
        Map<String, Integer> created = new LinkedHashMap<>();
        Matcher create = CREATED_TOPIC.matcher(repository.read("deploy/kafka/create-topics.sh"));
        while (create.find()) {
            created.put(create.group(1), Integer.parseInt(create.group(2)));
        }
        int invalidatorThreads = 0;
        for (ComposeService service : springServices()) {
            String module = service.projectModule().orElseThrow();
            ServiceConfiguration configuration = configuration(service);
            TOPIC_PROPERTIES.getOrDefault(module, Map.of()).forEach((property, fallback) -> {
                String topic = configuration.effectiveValue(property, service.environment()).orElse(fallback);
                assertThat(created).as("%s uses topic %s (%s)", service.name(), topic, property).containsKey(topic);
            });
            assertThat(dependsTransitivelyOn(service.name(), "kafka-init"))
                    .as("%s starts after kafka-init created the topics", service.name()).isTrue();
            if (module.equals("invalidator-service")) {
                invalidatorThreads += Integer.parseInt(configuration
                        .effectiveValue("cachebus.invalidator.concurrency", service.environment()).orElseThrow());
            }
        }
        assertThat(created.get(Topics.DOMAIN_MUTATED)).as("partitions of %s: one per invalidator consumer thread",
                Topics.DOMAIN_MUTATED).isGreaterThanOrEqualTo(invalidatorThreads);
        assertThat(compose.service("kafka-init").orElseThrow().dependsOn()).contains("kafka");
    }

    @Test
    void everyHostAndServiceTheFileNamesExists() {
        for (ComposeService service : compose.services().values()) {
            assertThat(service.dependsOn()).as("%s depends on", service.name())
                    .allSatisfy(dependency -> assertThat(compose.services()).containsKey(dependency));
            service.environment().forEach((variable, value) -> {
                Matcher hostAndPort = HOST_AND_PORT.matcher(value);
                while (hostAndPort.find()) {
                    assertThat(compose.services()).as("%s: %s names host %s", service.name(), variable,
                            hostAndPort.group(1)).containsKey(hostAndPort.group(1));
                }
            });
            for (String volume : service.volumes()) {
                if (volume.startsWith("./")) {
                    Path source = repository.path(volume.substring(2, volume.indexOf(':')));
                    assertThat(source).as("%s mounts %s", service.name(), volume).exists();
                }
            }
        }
        for (ComposeService service : springServices()) {
            assertThat(service.environment().get("SPRING_DATA_REDIS_HOST")).as(service.name()).isIn(compose.services().keySet());
        }
    }

    @Test
    void everySecretIsARequiredVariableWithoutADefault() {
        Set<String> secrets = new TreeSet<>();
        for (ComposeFile.VariableReference reference : compose.variableReferences()) {
            if (SECRET_NAME.matcher(reference.name()).find()) {
                secrets.add(reference.name());
                assertThat(reference.required()).as("${%s%s%s} must be ${%s:?message}: no default, no empty value",
                        reference.name(), reference.operator(), reference.argument(), reference.name()).isTrue();
                assertThat(reference.argument()).as("%s says how to set it", reference.name())
                        .contains("generate-secrets.sh");
            }
        }
        assertThat(secrets).contains("CACHEBUS_JWT_SECRET", "POSTGRES_PASSWORD", "REDIS_PASSWORD",
                "GRAFANA_ADMIN_PASSWORD", "KAFKA_ADMIN_PASSWORD");

        // every credential a service is given comes from one of those variables, none is written in the file
        ComposeFile marked = ComposeFile.read(repository.path("docker-compose.yml"), markers());
        for (ComposeService service : marked.services().values()) {
            service.environment().forEach((variable, value) -> {
                if (CREDENTIAL_SETTING.matcher(variable).find() || value.contains("password=")) {
                    assertThat(value).as("%s: %s", service.name(), variable).containsPattern(SECRET_MARKER);
                }
            });
            service.command().stream().filter(argument -> argument.toLowerCase(Locale.ROOT).contains("password"))
                    .forEach(argument -> assertThat(argument).as("%s: command", service.name())
                            .satisfiesAnyOf(text -> assertThat(text).containsPattern(SECRET_MARKER),
                                    text -> assertThat(containerVariable(text)).as("a variable of the container")
                                            .hasValueSatisfying(name -> assertThat(service.environment().get(name))
                                                    .containsPattern(SECRET_MARKER))));
        }
        String file = repository.read("docker-compose.yml");
        assertThat(LocalTokens.WELL_KNOWN_SECRETS).allSatisfy(published -> assertThat(file).doesNotContain(published));
    }

    @Test
    void theSetupScriptGeneratesEveryRequiredVariablePrivatelyAndKeepsThemOnASecondRun() throws Exception {
        Path envFile = generatedSecretsFile();
        Map<String, String> generated = envFile(envFile);

        assertThat(generated.keySet()).isEqualTo(requiredVariables());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile))).isEqualTo("rw-------");
        assertThat(generated.values()).allSatisfy(value -> assertThat(value).hasSizeGreaterThanOrEqualTo(32)
                .matches("[A-Za-z0-9_-]+")).doesNotHaveDuplicates();

        runSetupScript(envFile);
        assertThat(envFile(envFile)).as("a second run keeps every secret").isEqualTo(generated);
    }

    @Test
    void onlyTheApiIsPublishedBeyondLoopback() {
        for (ComposeService service : compose.services().values()) {
            if (!service.name().equals("load-balancer")) {
                assertThat(service.ports()).as("%s publishes on loopback only", service.name())
                        .allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:"));
            }
        }
        assertThat(compose.service("grafana").orElseThrow().ports()).containsExactly("127.0.0.1:3000:3000");
        assertThat(compose.service("prometheus").orElseThrow().ports()).containsExactly("127.0.0.1:9090:9090");
    }

    @Test
    void redisNeedsAPasswordAndEveryClientHasIt() {
        ComposeFile marked = ComposeFile.read(repository.path("docker-compose.yml"), markers());
        ComposeService redis = marked.service("redis").orElseThrow();
        assertThat(redis.environment()).containsEntry("REDIS_PASSWORD", marker("REDIS_PASSWORD"));
        assertThat(String.join(" ", redis.command())).contains("requirepass $REDIS_PASSWORD");
        assertThat(String.join(" ", redis.healthcheck())).contains("REDISCLI_AUTH");
        for (ComposeService service : marked.services().values()) {
            if (service.environment().containsKey("SPRING_DATA_REDIS_HOST")) {
                assertThat(service.environment()).as(service.name())
                        .containsEntry("SPRING_DATA_REDIS_PASSWORD", marker("REDIS_PASSWORD"));
            }
        }
        assertThat(marked.service("redis-exporter").orElseThrow().environment())
                .containsEntry("REDIS_PASSWORD", marker("REDIS_PASSWORD"));
    }

    @Test
    void kafkaAuthenticatesEveryClientAndAllowsEachServiceOnlyItsOwnWork() {
        Map<String, String> broker = compose.service("kafka").orElseThrow().environment();
        assertThat(broker.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").split(",")).allSatisfy(listener ->
                assertThat(listener).as("listener protocol").contains(":SASL_"));
        assertThat(broker).containsEntry("KAFKA_AUTHORIZER_CLASS_NAME",
                        "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .containsEntry("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "false")
                .containsEntry("KAFKA_SUPER_USERS", "User:" + KAFKA_ADMIN)
                .containsEntry("KAFKA_LISTENER_NAME_CLIENT_SASL_ENABLED_MECHANISMS", "SCRAM-SHA-512");

        String script = repository.read("deploy/kafka/create-topics.sh");
        Map<String, String> passwordVariableByUser = new TreeMap<>();
        Matcher user = SCRIPT_USER.matcher(script);
        while (user.find()) {
            passwordVariableByUser.put(user.group(1), user.group(2));
        }
        Map<String, Set<String>> aclsByUser = new TreeMap<>();
        Matcher allow = SCRIPT_ALLOW.matcher(script);
        while (allow.find()) {
            aclsByUser.computeIfAbsent(allow.group(1), name -> new TreeSet<>())
                    .add(allow.group(2) + " " + allow.group(3) + " " + allow.group(4)
                            + (allow.group(5) == null ? "" : " prefixed"));
        }

        ComposeFile marked = ComposeFile.read(repository.path("docker-compose.yml"), markers());
        Map<String, String> userByModule = new TreeMap<>();
        for (ComposeService service : springServices()) {
            String module = service.projectModule().orElseThrow();
            Map<String, String> environment = marked.service(service.name()).orElseThrow().environment();
            assertThat(environment).as(service.name())
                    .containsEntry("SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
                    .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512")
                    .containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
            Matcher jaas = SCRAM_LOGIN.matcher(environment.getOrDefault("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", ""));
            assertThat(jaas.find()).as("%s logs in to Kafka with SCRAM", service.name()).isTrue();
            String kafkaUser = jaas.group(1);
            assertThat(userByModule.putIfAbsent(module, kafkaUser)).as("%s: one Kafka user per module", service.name())
                    .isIn(null, kafkaUser);
            assertThat(passwordVariableByUser).as("kafka-init creates %s with its password", kafkaUser)
                    .containsEntry(kafkaUser, jaas.group(2));
            assertThat(aclsByUser.get(kafkaUser)).as("what %s (%s) may do on Kafka", kafkaUser, module)
                    .isEqualTo(expectedAcls(module, service));
        }
        assertThat(Set.copyOf(userByModule.values())).as("every module its own Kafka user").hasSize(userByModule.size());

        List<String> exporter = compose.service("kafka-exporter").orElseThrow().command();
        String exporterUser = exporter.stream().filter(argument -> argument.startsWith("--sasl.username="))
                .map(argument -> argument.substring("--sasl.username=".length())).findFirst().orElseThrow();
        assertThat(exporter).contains("--sasl.enabled", "--sasl.mechanism=scram-sha512");
        assertThat(passwordVariableByUser).containsKey(exporterUser);
        assertThat(aclsByUser.get(exporterUser)).as("the lag exporter only describes")
                .allSatisfy(acl -> assertThat(acl).startsWith("Describe "));
        Set<String> known = new TreeSet<>(userByModule.values());
        known.add(exporterUser);
        assertThat(aclsByUser.keySet()).as("no ACL for anyone else").isEqualTo(known);
        assertThat(passwordVariableByUser.keySet()).as("no other Kafka user").isEqualTo(known);
    }

    /** The {@code $NAME} a command reads from its container's environment at run time, if it reads one. */
    private static Optional<String> containerVariable(String argument) {
        Matcher variable = Pattern.compile("\\$([A-Z_]+)").matcher(argument);
        return variable.find() ? Optional.of(variable.group(1)) : Optional.empty();
    }

    /** The ACLs a service's work needs, from its own configuration: nothing more. */
    private static Set<String> expectedAcls(String module, ComposeService service) {
        ServiceConfiguration configuration = configuration(service);
        Map<String, String> environment = service.environment();
        Map<String, String> topics = TOPIC_PROPERTIES.get(module);
        java.util.function.Function<String, String> topic = property ->
                configuration.effectiveValue(property, environment).orElse(topics.get(property));
        return switch (module) {
            case "api-service" -> Set.of(
                    "Write topic " + topic.apply("cachebus.mutation-topic"),
                    "Read topic " + topic.apply("cachebus.eviction.topic"),
                    "Read group " + CachebusAutoConfiguration.EVICTION_GROUP_PREFIX + " prefixed");
            case "invalidator-service" -> Set.of(
                    "Read topic " + topic.apply("cachebus.invalidator.topics.mutations"),
                    "Read group " + configuration.effectiveValue("cachebus.invalidator.consumer-group", environment)
                            .orElseThrow(),
                    "Write topic " + topic.apply("cachebus.invalidator.topics.evictions"),
                    "Write topic " + topic.apply("cachebus.invalidator.topics.dead-letter"));
            default -> throw new AssertionError("no Kafka ACLs known for module " + module);
        };
    }

    @Test
    void theServicesTakeTheirKafkaAndRedisCredentialsFromTheEnvironment() throws Exception {
        Map<String, String> secrets = envFile(generatedSecretsFile());
        ComposeFile withSecrets = ComposeFile.read(repository.path("docker-compose.yml"), secrets);
        for (ComposeService service : springServices()) {
            Map<String, String> environment = withSecrets.service(service.name()).orElseThrow().environment();
            Binder binder = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                    StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new LinkedHashMap<>(environment))));
            // what the services build their clients from (KafkaProperties.build*Properties, Boot's Lettuce factory)
            KafkaProperties kafka = binder.bind("spring.kafka", KafkaProperties.class).get();
            for (Map<String, Object> client : List.of(kafka.buildConsumerProperties(), kafka.buildProducerProperties())) {
                assertThat(client).as(service.name()).containsEntry("security.protocol", "SASL_PLAINTEXT")
                        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
                assertThat(String.valueOf(client.get("sasl.jaas.config"))).as(service.name())
                        .startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required")
                        .containsAnyOf(secrets.get("KAFKA_API_PASSWORD"), secrets.get("KAFKA_INVALIDATOR_PASSWORD"));
            }
            DataRedisProperties redis = binder.bind("spring.data.redis", DataRedisProperties.class).get();
            assertThat(redis.getPassword()).as(service.name()).isEqualTo(secrets.get("REDIS_PASSWORD"));
        }
    }

    @Test
    void everyServiceHasAStopGracePeriodLongerThanItsOwnShutdown() {
        for (ComposeService service : compose.services().values()) {
            assertThat(service.stopGracePeriod()).as("%s: stop_grace_period", service.name()).isNotBlank();
        }
        for (ComposeService service : springServices()) {
            Duration shutdown = configuration(service)
                    .effectiveValue("spring.lifecycle.timeout-per-shutdown-phase", service.environment())
                    .map(DurationStyle::detectAndParse).orElse(Duration.ofSeconds(30));
            assertThat(composeDuration(service.stopGracePeriod())).as("%s: stop_grace_period vs its shutdown phase",
                    service.name()).isGreaterThan(shutdown);
        }
    }

    /** A compose duration such as {@code 45s}, {@code 1m30s}. */
    private static Duration composeDuration(String text) {
        Matcher part = Pattern.compile("(\\d+)(ms|h|m|s)").matcher(text);
        Duration total = Duration.ZERO;
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMillis(amount);
            });
        }
        return total;
    }

    private static Set<String> requiredVariables() {
        Set<String> required = new TreeSet<>();
        compose.variableReferences().stream().filter(ComposeFile.VariableReference::required)
                .forEach(reference -> required.add(reference.name()));
        return required;
    }

    /** Every variable of the file set to a marker naming it, to see where a value comes from. */
    private static Map<String, String> markers() {
        Map<String, String> markers = new LinkedHashMap<>();
        compose.variableReferences().forEach(reference -> markers.put(reference.name(), marker(reference.name())));
        return markers;
    }

    private static String marker(String variable) {
        return "<" + variable + ">";
    }

    private static Path generatedSecretsFile() throws Exception {
        Path directory = Files.createTempDirectory("cachebus-compose");
        Path envFile = directory.resolve(".env");
        runSetupScript(envFile);
        return envFile;
    }

    private static void runSetupScript(Path envFile) throws Exception {
        Process process = new ProcessBuilder("bash", repository.path("deploy/generate-secrets.sh").toString(),
                envFile.toString()).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("generate-secrets.sh said:%n%s", output).isZero();
    }

    private static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> variables = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            int equals = line.indexOf('=');
            if (equals > 0 && !line.startsWith("#")) {
                variables.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return variables;
    }

    private static List<ComposeService> projectServices() {
        return compose.services().values().stream().filter(service -> service.projectModule().isPresent()).toList();
    }

    /** Project services whose module is a Spring Boot service with a configuration (not the harness). */
    private static List<ComposeService> springServices() {
        return projectServices().stream()
                .filter(service -> SpringServices.modules().contains(service.projectModule().orElseThrow()))
                .toList();
    }

    private static ServiceConfiguration configuration(ComposeService service) {
        String module = service.projectModule().orElseThrow();
        return SpringServices.configuration(repository, module);
    }

    private static String serverPort(ComposeService service) {
        return configuration(service).effectiveValue("server.port", service.environment()).orElse("8080");
    }

    private static boolean dependsTransitivelyOn(String service, String dependency) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> queue = new ArrayList<>(List.of(service));
        while (!queue.isEmpty()) {
            String current = queue.remove(0);
            for (String next : compose.service(current).orElseThrow().dependsOn()) {
                if (next.equals(dependency)) {
                    return true;
                }
                if (seen.add(next)) {
                    queue.add(next);
                }
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String file) {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(repository.read(file));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> listOfMaps(Object node) {
        return node == null ? List.of() : (List<Map<String, Object>>) node;
    }

    private static Optional<Path> onPath(String command) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
