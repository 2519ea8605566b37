package io.cachebus.deployment.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.api.ApiMeter;
import io.cachebus.client.CachebusMeter;
import io.cachebus.client.internal.consistency.ConsistencySampler;
import io.cachebus.client.internal.outbox.OutboxSchema;
import io.cachebus.deployment.Repository;
import io.cachebus.deployment.SpringServices;
import io.cachebus.events.Topics;
import io.cachebus.invalidator.InvalidatorMeter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard, the Prometheus alerts and the runbook name meters each module declares (cache-client's
 * {@link CachebusMeter}, the invalidator's {@link InvalidatorMeter}, the API's {@link ApiMeter}), every declared
 * meter is registered by some code, and the alerts point at runbook sections that exist.
 */
class ObservabilityFilesTest {

    private static final String DASHBOARD = "deploy/grafana/dashboards/cachebus.json";
    private static final String ALERTS = "deploy/prometheus/alerts.yml";
    private static final String RUNBOOK = "docs/runbook.md";

    private static final Pattern PROJECT_METRIC = Pattern.compile("\\b((?:cachebus|sba)_[a-z0-9_]+)");
    private static final Pattern ANY_METRIC = Pattern.compile("\\b([a-z][a-z0-9]*_[a-z0-9_]+)\\b");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}|\\b(?:by|without)\\s*\\([^)]*\\)");
    /** Micrometer's Prometheus suffixes for counters, timers and distribution summaries. */
    private static final Pattern PROMETHEUS_SUFFIX = Pattern.compile(
            "(_seconds)?(_total|_bucket|_count|_sum|_max)?$");
    /** Metrics of libraries and exporters, each checked by hand against what they publish. */
    private static final Set<String> THIRD_PARTY_METRICS = Set.of(
            "resilience4j_circuitbreaker_state",          // resilience4j-micrometer
            "resilience4j_circuitbreaker_failure_rate",
            "kafka_consumer_fetch_manager_records_lag_max", // Micrometer's KafkaClientMetrics (Spring Boot binds it)
            "http_server_requests_seconds_count",          // Spring MVC observation
            "kafka_consumergroup_lag",                     // kafka-exporter
            "kafka_topic_partition_current_offset",
            "kafka_topic_partition_oldest_offset");
    private static final Set<String> PROMQL_WORDS = Set.of("histogram_quantile", "label_replace", "count_over_time",
            "max_over_time", "min_over_time", "avg_over_time", "sum_over_time");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Repository repository;
    private static Set<String> meterNames;

    @BeforeAll
    static void readDeclarations() {
        repository = Repository.locate();
        meterNames = new TreeSet<>();
        Arrays.stream(CachebusMeter.values()).map(meter -> prometheusName(meter.meterName())).forEach(meterNames::add);
        Arrays.stream(InvalidatorMeter.values()).map(meter -> prometheusName(meter.meterName()))
                .forEach(meterNames::add);
        Arrays.stream(ApiMeter.values()).map(meter -> prometheusName(meter.meterName())).forEach(meterNames::add);
    }

    /** A declaration nothing registers would let a dashboard panel stay empty unnoticed. */
    @Test
    void everyDeclaredMeterIsRegisteredBySomeCode() throws IOException {
        Map<Class<?>, String> declarations = Map.of(CachebusMeter.class, "cache-client", InvalidatorMeter.class,
                "invalidator-service", ApiMeter.class, "api-service");
        for (Map.Entry<Class<?>, String> declaration : declarations.entrySet()) {
            String code = mainSourcesExcept(declaration.getValue(), declaration.getKey().getSimpleName() + ".java");
            for (Object meter : declaration.getKey().getEnumConstants()) {
                assertThat(Pattern.compile("\\b" + meter + "\\b").matcher(code).find())
                        .as("%s.%s is used outside its declaration", declaration.getKey().getSimpleName(), meter)
                        .isTrue();
            }
        }
    }

    @Test
    void theRunbookNamesOnlyDeclaredMeters() {
        String runbook = repository.read(RUNBOOK);
        assertThat(runbook).contains("## Metrics");
        // the outbox's tables share the prefix: the runbook queries them
        String withoutTables = Pattern.compile("\\b(" + String.join("|", OutboxSchema.TABLE_NAMES) + ")\\b")
                .matcher(runbook).replaceAll("");
        assertProjectMetricsDeclared(withoutTables, RUNBOOK);
    }

    private static String mainSourcesExcept(String module, String declaringFile) throws IOException {
        StringBuilder code = new StringBuilder();
        try (Stream<Path> files = Files.walk(repository.module(module).resolve("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (!file.getFileName().toString().equals(declaringFile)) {
                    code.append(Files.readString(file)).append('\n');
                }
            }
        }
        return code.toString();
    }

    @Test
    void theDashboardQueriesMetricsTheCodeRegisters() {
        List<String> expressions = dashboardExpressions();
        assertThat(expressions).hasSizeGreaterThan(10);
        expressions.forEach(ObservabilityFilesTest::assertKnownMetrics);
    }

    @Test
    void theAlertsQueryMetricsTheCodeRegistersAndNameRunbookSections() {
        Set<String> anchors = runbookAnchors();
        for (Map<String, Object> rule : alertRules()) {
            assertKnownMetrics(String.valueOf(rule.get("expr")));
            @SuppressWarnings("unchecked")
            Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
            String runbook = String.valueOf(annotations.get("runbook"));
            assertThat(runbook).as("alert %s", rule.get("alert")).startsWith(RUNBOOK + "#");
            assertThat(anchors).as("alert %s points at a section of %s", rule.get("alert"), RUNBOOK)
                    .contains(runbook.substring(runbook.indexOf('#') + 1));
        }
    }

    /**
     * Stale hits sampled in production need a panel (their rate and their age) and an alert, on the names the
     * sampler registers: a renamed meter must not leave an empty panel and an alert that never fires.
     */
    @Test
    void staleHitsSampledInProductionHaveAPanelAndAnAlertOnTheSamplersMeters() {
        String staleHits = prometheusName(ConsistencySampler.STALE_HITS) + "_total";
        String checked = prometheusName(ConsistencySampler.CHECKED) + "_total";
        String staleAge = prometheusName(ConsistencySampler.STALE_AGE) + "_seconds";
        List<String> expressions = dashboardExpressions();
        assertThat(expressions).anyMatch(expression -> expression.contains("rate(" + staleHits + "["))
                .anyMatch(expression -> expression.contains("rate(" + checked + "["))
                .anyMatch(expression -> expression.contains(staleAge + "_sum") && expression.contains(staleAge + "_count"))
                .anyMatch(expression -> expression.contains(staleAge + "_max"));
        assertThat(alertRules()).anySatisfy(rule -> {
            assertThat(String.valueOf(rule.get("expr"))).contains(staleHits);
            @SuppressWarnings("unchecked")
            Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
            assertThat(String.valueOf(annotations.get("runbook"))).endsWith("#stale-hits-sampled-in-production");
        });
    }

    /** Micrometer's Prometheus naming, without the suffix of the meter's type. */
    private static String prometheusName(String meterName) {
        return meterName.replace('.', '_');
    }

    @Test
    void labelsAndTopicNamesAreTheServicesDefaults() {
        String invalidatorGroup = SpringServices.configuration(repository, "invalidator-service")
                .effectiveValue("cachebus.invalidator.consumer-group", Map.of()).orElseThrow();
        List<String> expressions = new ArrayList<>(dashboardExpressions());
        alertRules().forEach(rule -> expressions.add(String.valueOf(rule.get("expr"))));
        for (String expression : expressions) {
            Matcher group = Pattern.compile("consumergroup=\"([^\"]+)\"").matcher(expression);
            while (group.find()) {
                assertThat(group.group(1)).as(expression).isEqualTo(invalidatorGroup);
            }
            Matcher topic = Pattern.compile("topic=\"([^\"]+)\"").matcher(expression);
            while (topic.find()) {
                assertThat(topic.group(1)).as(expression)
                        .isIn(Topics.DOMAIN_MUTATED, Topics.DOMAIN_MUTATED_DLT, Topics.EVICTIONS);
            }
        }
    }

    @Test
    void grafanaIsProvisionedWithTheDashboardAndItsDatasource() {
        Map<String, Object> datasources = yaml("deploy/grafana/provisioning/datasources/prometheus.yml");
        @SuppressWarnings("unchecked")
        Map<String, Object> datasource = ((List<Map<String, Object>>) datasources.get("datasources")).get(0);
        JsonNode dashboard = JSON.readTree(repository.read(DASHBOARD));
        dashboard.findValues("datasource").forEach(reference -> {
            if (reference.isObject()) {
                assertThat(reference.path("uid").asString()).isEqualTo(datasource.get("uid"));
            }
        });
        assertThat(String.valueOf(datasource.get("url"))).isEqualTo("http://prometheus:9090");

        Map<String, Object> providers = yaml("deploy/grafana/provisioning/dashboards/cachebus.yml");
        @SuppressWarnings("unchecked")
        Map<String, Object> provider = ((List<Map<String, Object>>) providers.get("providers")).get(0);
        @SuppressWarnings("unchecked")
        String path = String.valueOf(((Map<String, Object>) provider.get("options")).get("path"));
        ComposeService grafana = ComposeFile.read(repository.path("docker-compose.yml")).service("grafana").orElseThrow();
        assertThat(grafana.volumes()).contains("./deploy/grafana/dashboards:" + path + ":ro");
    }

    private static void assertKnownMetrics(String expression) {
        String withoutLabels = LABEL_MATCHERS.matcher(expression).replaceAll("");
        assertProjectMetricsDeclared(withoutLabels, expression);
        Matcher any = ANY_METRIC.matcher(withoutLabels);
        while (any.find()) {
            String name = any.group(1);
            if (!PROJECT_METRIC.matcher(name).matches() && !PROMQL_WORDS.contains(name)) {
                assertThat(THIRD_PARTY_METRICS).as("%s in %s", name, expression).contains(name);
            }
        }
    }

    private static void assertProjectMetricsDeclared(String text, String where) {
        Matcher project = PROJECT_METRIC.matcher(text);
        while (project.find()) {
            String base = PROMETHEUS_SUFFIX.matcher(project.group(1)).replaceFirst("");
            assertThat(meterNames).as("%s in %s: no meter of that name is declared", project.group(1), where)
                    .contains(base);
        }
    }

    private static List<String> dashboardExpressions() {
        List<String> expressions = new ArrayList<>();
        JSON.readTree(repository.read(DASHBOARD)).findValues("expr")
                .forEach(expression -> expressions.add(expression.asString()));
        return expressions;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> alertRules() {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) yaml(ALERTS).get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        assertThat(rules).isNotEmpty();
        return rules;
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
    private static Set<String> runbookAnchors() {
        Set<String> anchors = new TreeSet<>();
        for (String line : repository.read(RUNBOOK).split("\n")) {
            if (line.startsWith("#")) {
                anchors.add(line.replaceFirst("^#+\\s*", "").trim().toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9 -]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String file) {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(repository.read(file));
    }
}
