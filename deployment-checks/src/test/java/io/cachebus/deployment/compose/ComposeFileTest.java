package io.cachebus.deployment.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cachebus.deployment.Repository;
import io.cachebus.deployment.SpringServices;
import io.cachebus.deployment.service.ServiceConfiguration;
import io.cachebus.events.Topics;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml against the code: every image is one the build makes, every environment variable sets a
 * property the service's classpath knows (by Spring Boot's binding rules) or a placeholder of its application.yml,
 * every port is the service's server.port, every host a service of the file, every topic one kafka-init creates;
 * Prometheus and nginx reach every node on that port. And Debian's docker-compose accepts the file.
 */
class ComposeFileTest {

    private static final Pattern CREATED_TOPIC = Pattern.compile("(?m)^create\\s+(\\S+)\\s+(\\d+)");
    private static final Pattern HOST_AND_PORT = Pattern.compile("(?:^|//|,|@)([a-z][a-z0-9-]*):(\\d+)");
    private static final Pattern NGINX_SERVER = Pattern.compile("(?m)^\\s*server\\s+([a-z0-9-]+):(\\d+)");
    private static final Pattern NGINX_LISTEN = Pattern.compile("(?m)^\\s*listen\\s+(\\d+);");

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
    void debiansDockerComposeAcceptsTheFile() throws Exception {
        Optional<Path> dockerCompose = onPath("docker-compose");
        assumeTrue(dockerCompose.isPresent(), "docker-compose is not installed, so `docker-compose config -q` was not "
                + "run: ./cachebus test installs Debian's docker-compose package when it runs as root");
        Process process = new ProcessBuilder(dockerCompose.get().toString(), "-f", "docker-compose.yml", "config", "-q")
                .directory(repository.root().toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("docker-compose config finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("docker-compose config -q said:%n%s", output).isZero();
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
