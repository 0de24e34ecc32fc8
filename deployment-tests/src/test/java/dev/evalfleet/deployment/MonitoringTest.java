package dev.evalfleet.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MonitoringTest {

    /**
     * Meters the dashboard shows that no service registers yet; the coordinator is to add them
     * (name as Prometheus shows it). Anything else the dashboard asks for must exist in the code.
     */
    static final Set<String> PENDING_METRICS = Set.of();

    /** Metrics that come from Micrometer's standard binders, Prometheus or RabbitMQ, not our code. */
    private static final Pattern STANDARD_METRIC =
            Pattern.compile("(jvm|process|system|http_server_requests|rabbitmq|hikaricp|tomcat)_\\w+|up");

    private static final Pattern METER_IN_CODE = Pattern.compile(
            "(Timer|Counter|Gauge|DistributionSummary|LongTaskTimer)\\.builder\\(\\s*\"([^\"]+)\"|\\.(timer|counter|gauge|summary)\\(\\s*\"([^\"]+)\"");

    private static final Pattern METRIC_IN_EXPR = Pattern.compile("\\b([a-z_][a-z0-9_]*)\\s*(?:\\{|\\[|\\)|$)");

    private final Compose compose = Compose.load();
    private final Map<String, Object> prometheus =
            Repository.yamlMap(Repository.read("monitoring/prometheus/prometheus.yml"));

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesEveryServiceAndEveryWorkerReplica() {
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) prometheus.get("scrape_configs");
        for (EvalfleetService service : EvalfleetService.values()) {
            Map<String, Object> job = jobs.stream()
                    .filter(j -> service.deploymentName.equals(j.get("job_name")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no scrape job " + service.deploymentName));
            assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
            int port = service.configuration().serverPort();
            if (service == EvalfleetService.WORKER) {
                assertThat(job)
                        .as("workers are found by DNS, so every replica is scraped")
                        .containsKey("dns_sd_configs")
                        .doesNotContainKey("static_configs");
                Map<String, Object> dns = ((List<Map<String, Object>>) job.get("dns_sd_configs")).getFirst();
                assertThat((List<String>) dns.get("names")).containsExactly(service.deploymentName);
                assertThat(dns).containsEntry("port", port).containsEntry("type", "A");
            } else {
                List<String> targets = (List<String>) ((List<Map<String, Object>>) job.get("static_configs"))
                        .getFirst()
                        .get("targets");
                assertThat(targets).containsExactly(service.deploymentName + ":" + port);
            }
        }
        assertThat(jobs.stream().flatMap(j -> targetsOf(j).stream())).contains("rabbitmq:15692");
        Compose.Service prometheusService = compose.services().get("prometheus");
        for (String target : List.of("coordinator", "worker", "scoring", "rabbitmq")) {
            assertThat(ComposeRules.sharesNetwork(
                            prometheusService, compose.services().get(target)))
                    .as("prometheus reaches " + target)
                    .isTrue();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesTheCoordinatorAndScoringWithTheirCredentialsAndTheWorkersWithout() {
        assertThat(ComposeRules.scrapeCredentialsComeFromRequiredVariables(compose, prometheus))
                .isEmpty();
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) prometheus.get("scrape_configs");
        assertThat(jobs.stream().filter(job -> job.containsKey("authorization")).map(job -> job.get("job_name")))
                .containsExactlyInAnyOrderElementsOf(ComposeRules.SCRAPE_CREDENTIALS.keySet());
        // the trial .env sets the metrics key, like the admin key, so the monitoring profile starts as it is
        assertThat(Compose.interpolate(
                        compose.services().get("prometheus").env().get("EVALFLEET_METRICS_KEY"), Compose.dotEnv()))
                .matches("ef_[A-Za-z0-9]{40}");
    }

    @Test
    void dashboardUsesTheProvisionedDatasourceAndMetricsThatExist() throws Exception {
        JsonNode dashboard =
                new ObjectMapper().readTree(Repository.read("monitoring/grafana/dashboards/evalfleet.json"));
        Map<String, Object> datasources =
                Repository.yamlMap(Repository.read("monitoring/grafana/provisioning/datasources/prometheus.yml"));
        @SuppressWarnings("unchecked")
        Map<String, Object> datasource = ((List<Map<String, Object>>) datasources.get("datasources")).getFirst();
        assertThat(datasource.get("url")).isEqualTo("http://prometheus:9090");

        Set<String> exposed = metricsInCode();
        Set<String> unknown = new TreeSet<>();
        List<String> titles = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            if (panel.get("type").asText().equals("row")) {
                continue;
            }
            titles.add(panel.get("title").asText());
            assertThat(panel.get("datasource").get("uid").asText())
                    .as(panel.get("title").asText())
                    .isEqualTo(datasource.get("uid"));
            for (JsonNode target : panel.get("targets")) {
                for (String metric : metricsIn(target.get("expr").asText())) {
                    if (!STANDARD_METRIC.matcher(metric).matches()
                            && !exposed.contains(metric)
                            && !PENDING_METRICS.contains(metric)) {
                        unknown.add(metric);
                    }
                }
            }
        }
        assertThat(unknown).as("dashboard metrics that no service registers").isEmpty();
        assertThat(String.join("|", titles).toLowerCase())
                .contains(
                        "jobs",
                        "tasks",
                        "per second",
                        "model latency",
                        "scoring latency",
                        "queue depth",
                        "workers up",
                        "heap");
    }

    @Test
    void grafanaLoadsTheDashboardFromWhereComposeMountsIt() {
        Map<String, Object> providers =
                Repository.yamlMap(Repository.read("monitoring/grafana/provisioning/dashboards/evalfleet.yml"));
        assertThat(providers.toString()).contains("path=/etc/grafana/dashboards");
        assertThat(compose.services().get("grafana").volumes())
                .contains(
                        "./monitoring/grafana/dashboards:/etc/grafana/dashboards:ro",
                        "./monitoring/grafana/provisioning:/etc/grafana/provisioning:ro");
    }

    /** Prometheus names of the meters the services register, with the suffixes their types add. */
    static Set<String> metricsInCode() {
        Set<String> names = new TreeSet<>();
        for (EvalfleetService service : EvalfleetService.values()) {
            for (var file : Repository.filesUnder(service.module + "/src/main/java", ".java")) {
                Matcher meter = METER_IN_CODE.matcher(Repository.read(file));
                while (meter.find()) {
                    String type = meter.group(1) != null ? meter.group(1) : meter.group(3);
                    String base = (meter.group(2) != null ? meter.group(2) : meter.group(4)).replace('.', '_');
                    switch (type) {
                        case "Timer", "timer", "LongTaskTimer" ->
                            List.of("_count", "_sum", "_max", "_bucket")
                                    .forEach(suffix -> names.add(base + "_seconds" + suffix));
                        case "Counter", "counter" -> names.add(base + "_total");
                        case "DistributionSummary", "summary" ->
                            List.of("_count", "_sum", "_max", "_bucket").forEach(suffix -> names.add(base + suffix));
                        default -> names.add(base);
                    }
                }
            }
        }
        return names;
    }

    static Set<String> metricsIn(String expression) {
        String withoutLabels = expression
                .replaceAll("\\{[^}]*}", "{}")
                .replaceAll("\\[[^]]*]", "[]")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> metrics = new TreeSet<>();
        Matcher matcher = METRIC_IN_EXPR.matcher(withoutLabels);
        while (matcher.find()) {
            String word = matcher.group(1);
            if (!Set.of("by", "without", "or", "and", "unless", "on", "ignoring", "vector")
                    .contains(word)) {
                metrics.add(word);
            }
        }
        return metrics;
    }

    @SuppressWarnings("unchecked")
    private static List<String> targetsOf(Map<String, Object> job) {
        if (!(job.get("static_configs") instanceof List<?> configs)) {
            return List.of();
        }
        return ((List<Map<String, Object>>) configs)
                .stream()
                        .flatMap(config -> ((List<String>) config.get("targets")).stream())
                        .toList();
    }
}
