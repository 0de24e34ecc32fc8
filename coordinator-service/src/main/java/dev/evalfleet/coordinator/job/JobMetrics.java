package dev.evalfleet.coordinator.job;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Jobs by status and tasks by state as gauges ({@code evalfleet.jobs}, {@code evalfleet.tasks}) for
 * the dashboards; counted from PostgreSQL every few seconds, so every coordinator reports the same.
 */
@Component
class JobMetrics {

    private final JdbcClient jdbc;
    private final MultiGauge jobs;
    private final MultiGauge tasks;

    JobMetrics(JdbcClient jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.jobs = MultiGauge.builder("evalfleet.jobs").description("Jobs by status").register(registry);
        this.tasks = MultiGauge.builder("evalfleet.tasks").description("Tasks by state").register(registry);
    }

    @Scheduled(fixedDelayString = "${evalfleet.coordinator.metrics-interval:5s}", initialDelay = 0)
    void refresh() {
        jobs.register(rows("select status, count(*) from job group by status", JobStatus.values(), "status"), true);
        tasks.register(rows("select state, count(*) from task group by state", TaskState.values(), "state"), true);
    }

    private List<MultiGauge.Row<?>> rows(String sql, Enum<?>[] all, String tag) {
        Map<String, Long> counts = new HashMap<>();
        jdbc.sql(sql).query(rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        });
        return Arrays.stream(all)
                .<MultiGauge.Row<?>>map(value -> MultiGauge.Row.of(Tags.of(tag, value.name()), counts.getOrDefault(value.name(), 0L)))
                .toList();
    }
}
