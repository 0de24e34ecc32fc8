package dev.evalfleet.coordinator.result;

import dev.evalfleet.coordinator.api.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Builds a job's run report from the read model's views. */
@Service
class RunReports {

    private final JdbcClient jdbc;
    private final JobResults results;

    RunReports(JdbcClient jdbc, JobResults results) {
        this.jdbc = jdbc;
        this.results = results;
    }

    RunReport of(UUID jobId) {
        JobHeader job = results.job(jobId).orElseThrow(() -> NotFoundException.job(jobId));
        Instant end = job.finishedAt() == null ? Instant.now() : job.finishedAt();
        double wall = seconds(Duration.between(job.createdAt(), end));
        TaskFigures tasks = jdbc.sql("""
                        select count(received_at) as with_timings,
                               min(finished_at) filter (where state in ('COMPLETED', 'FAILED')) as first_result_at,
                               coalesce(sum(extract(epoch from published_at - created_at)), 0) as dispatch,
                               coalesce(sum(deliveries - 1), 0) as redeliveries,
                               coalesce(sum(model_retries), 0) as model_retries,
                               coalesce(sum(extract(epoch from worker_finished_at - received_at)), 0) as worker_seconds,
                               %s, %s
                        from task_result where job_id = :job
                        """.formatted(
                                latency("extract(epoch from received_at - published_at)", "queue"),
                                latency("extract(epoch from finished_at - worker_finished_at)", "storing")))
                .param("job", jobId)
                .query((rs, row) -> new TaskFigures(
                        rs.getLong("with_timings"),
                        JobResults.instant(rs.getTimestamp("first_result_at")),
                        rs.getDouble("dispatch"),
                        rs.getLong("redeliveries"),
                        rs.getLong("model_retries"),
                        rs.getDouble("worker_seconds"),
                        latency(rs, "queue"),
                        rs.getDouble("queue_sum"),
                        latency(rs, "storing"),
                        rs.getDouble("storing_sum")))
                .single();
        SampleFigures samples = jdbc.sql(
                        """
                        select count(*) as requests,
                               coalesce(sum(coalesce(prompt_tokens, 0) + coalesce(completion_tokens, 0)), 0) as tokens,
                               %s, %s
                        from result_row where job_id = :job and sample_index is not null
                        """.formatted(latency("generation_ms", "generation"), latency("execution_ms", "scoring")))
                .param("job", jobId)
                .query((rs, row) -> new SampleFigures(
                        rs.getLong("requests"),
                        rs.getLong("tokens"),
                        latency(rs, "generation"),
                        rs.getDouble("generation_sum"),
                        latency(rs, "scoring"),
                        rs.getDouble("scoring_sum")))
                .single();
        return new RunReport(
                jobId,
                job.status(),
                wall,
                tasks.firstResultAt() == null
                        ? null
                        : seconds(Duration.between(job.createdAt(), tasks.firstResultAt())),
                new RunReport.Phases(
                        tasks.dispatchSeconds(),
                        tasks.queueSum(),
                        samples.generationSum() / 1000,
                        samples.scoringSum() / 1000,
                        tasks.storingSum()),
                modelBusyShare(jobId, job.createdAt(), end),
                samples.requests(),
                perSecond(samples.requests(), wall),
                samples.tokens(),
                perSecond(samples.tokens(), wall),
                samples.generation(),
                samples.scoring(),
                tasks.queue(),
                tasks.storing(),
                tasks.redeliveries(),
                tasks.modelRetries(),
                failedTasksByCause(jobId),
                counts("""
                        select verdict, count(*) from result_row
                        where job_id = :job and sample_index is not null group by verdict order by verdict
                        """, jobId),
                tasks.workerSeconds(),
                wall == 0 ? 0 : tasks.workerSeconds() / wall,
                tasks.withTimings());
    }

    /** The union of the job's model request intervals, as a share of the wall time. */
    private Double modelBusyShare(UUID jobId, Instant start, Instant end) {
        List<long[]> requests = new ArrayList<>();
        jdbc.sql("""
                        select generation_started_at, generation_ms from result_row
                        where job_id = :job and generation_started_at is not null
                        order by generation_started_at
                        """).param("job", jobId).query(rs -> {
            long from = rs.getTimestamp("generation_started_at").getTime();
            requests.add(new long[] {from, from + rs.getLong("generation_ms")});
        });
        long wallMillis = Duration.between(start, end).toMillis();
        if (requests.isEmpty() || wallMillis <= 0) {
            return null;
        }
        // the union of the intervals, each clipped to the job's lifetime (worker clocks may run apart)
        long busy = 0;
        long coveredUntil = start.toEpochMilli();
        long last = end.toEpochMilli();
        for (long[] request : requests) {
            long from = Math.max(request[0], coveredUntil);
            long to = Math.min(request[1], last);
            if (to > from) {
                busy += to - from;
            }
            coveredUntil = Math.max(coveredUntil, to);
        }
        return (double) busy / wallMillis;
    }

    private Map<String, Long> failedTasksByCause(UUID jobId) {
        Map<String, Long> causes = new LinkedHashMap<>();
        counts(
                        "select failure_reason, count(*) from task_result where job_id = :job and state = 'FAILED' group by 1",
                        jobId)
                .forEach((reason, count) -> causes.merge(cause(reason), count, Long::sum));
        return causes;
    }

    static String cause(String reason) {
        if (reason == null || reason.isBlank()) {
            return "unknown";
        }
        int colon = reason.indexOf(':');
        return (colon < 0 ? reason : reason.substring(0, colon)).strip();
    }

    private Map<String, Long> counts(String sql, UUID jobId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.sql(sql).param("job", jobId).query(rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        });
        return counts;
    }

    private static String latency(String expression, String name) {
        return ("percentile_cont(0.5) within group (order by %1$s) as %2$s_p50,"
                        + " percentile_cont(0.95) within group (order by %1$s) as %2$s_p95,"
                        + " avg(%1$s) as %2$s_mean, coalesce(sum(%1$s), 0) as %2$s_sum")
                .formatted(expression, name);
    }

    private static RunReport.Latency latency(ResultSet rs, String name) throws SQLException {
        return new RunReport.Latency(
                number(rs.getObject(name + "_p50")),
                number(rs.getObject(name + "_p95")),
                number(rs.getObject(name + "_mean")));
    }

    private static Double number(Object value) {
        return value instanceof Number number ? number.doubleValue() : null;
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static double perSecond(long count, double seconds) {
        return seconds == 0 ? 0 : count / seconds;
    }

    private record TaskFigures(
            long withTimings,
            Instant firstResultAt,
            double dispatchSeconds,
            long redeliveries,
            long modelRetries,
            double workerSeconds,
            RunReport.Latency queue,
            double queueSum,
            RunReport.Latency storing,
            double storingSum) {}

    private record SampleFigures(
            long requests,
            long tokens,
            RunReport.Latency generation,
            double generationSum,
            RunReport.Latency scoring,
            double scoringSum) {}
}
