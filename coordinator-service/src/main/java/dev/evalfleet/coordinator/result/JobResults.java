package dev.evalfleet.coordinator.result;

import dev.evalfleet.coordinator.sample.AppliedTimeLimits;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one read model of results: every reader of samples, verdicts and their statistics asks here,
 * and this reads the {@code job_result}, {@code task_result} and {@code result_row} views only.
 */
@Repository
public class JobResults {

    private static final TypeReference<Map<String, Long>> VERDICT_COUNTS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    JobResults(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Whether the job exists. */
    public boolean exists(UUID jobId) {
        return job(jobId).isPresent();
    }

    /** The job, if it exists. */
    public Optional<JobHeader> job(UUID jobId) {
        return jdbc.sql("select * from job_result where job_id = :job")
                .param("job", jobId)
                .query((rs, row) -> new JobHeader(
                        rs.getObject("job_id", UUID.class),
                        rs.getObject("dataset_id", UUID.class),
                        rs.getString("dataset_name"),
                        rs.getBoolean("plus_tests"),
                        rs.getString("endpoint"),
                        rs.getString("model"),
                        rs.getInt("samples_per_problem"),
                        rs.getString("strategy"),
                        rs.getString("status"),
                        instant(rs.getTimestamp("created_at")),
                        instant(rs.getTimestamp("started_at")),
                        instant(rs.getTimestamp("finished_at"))))
                .optional();
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** The job's rows in problem order, a FAILED task's row first among its problem's. */
    public void inProblemOrder(UUID jobId, Set<ResultColumn> columns, Consumer<ResultRow> rows) {
        stream(jobId, columns, "", "ordinal, sample_index nulls first", rows);
    }

    /** The job's samples in problem order; for a job made from a samples file, in the file's order. */
    public void inInputOrder(UUID jobId, Set<ResultColumn> columns, Consumer<ResultRow> rows) {
        stream(jobId, columns, "and sample_index is not null", "input_line, ordinal, sample_index", rows);
    }

    /** The nodes of self-repair trees of the job, of one problem or (null) of all, in problem and node order. */
    public List<ResultRow> repairNodes(UUID jobId, String problem, Set<ResultColumn> columns) {
        return jdbc.sql(select(columns) + """
                        where job_id = :job and turn is not null and (cast(:problem as text) is null or task_id = :problem)
                        order by ordinal, sample_index
                        """)
                .param("job", jobId)
                .param("problem", problem)
                .query((rs, row) -> ResultRow.read(rs, columns))
                .list();
    }

    /** The repair nodes of several jobs, by job. */
    public Map<UUID, List<ResultRow>> repairNodes(Collection<UUID> jobIds, Set<ResultColumn> columns) {
        Map<UUID, List<ResultRow>> byJob = new LinkedHashMap<>();
        jdbc.sql(select(columns, "job_id, ") + """
                        where job_id = any(:jobs) and turn is not null
                        order by job_id, ordinal, sample_index
                        """)
                .param("jobs", jobIds.toArray(UUID[]::new))
                .query(rs -> {
                    byJob.computeIfAbsent(rs.getObject("job_id", UUID.class), id -> new ArrayList<>())
                            .add(ResultRow.read(rs, columns));
                });
        return byJob;
    }

    /** Per problem of each job, in problem order (a problem without samples yet too). */
    public Map<UUID, List<ProblemResult>> problems(Collection<UUID> jobIds) {
        Map<UUID, List<ProblemResult>> byJob = new LinkedHashMap<>();
        jdbc.sql("""
                        select t.job_id, t.task_id, t.ordinal, t.state, t.plus_tests,
                               count(r.sample_index) as samples,
                               count(r.sample_index) filter (where r.passed) as passed,
                               count(r.sample_index) filter (where r.passed_base) as passed_base,
                               avg(r.execution_ms) as mean_execution_ms,
                               avg(r.generation_ms) as mean_generation_ms,
                               coalesce(sum(r.prompt_tokens), 0) as prompt_tokens,
                               coalesce(sum(r.completion_tokens), 0) as completion_tokens,
                               (select json_object_agg(v.verdict, v.samples) from (
                                    select verdict, count(*) as samples from result_row v
                                    where v.task_uuid = t.task_uuid and v.sample_index is not null
                                    group by verdict order by verdict) v) as verdicts
                        from task_result t
                        left join result_row r on r.task_uuid = t.task_uuid and r.sample_index is not null
                        where t.job_id = any(:jobs)
                        group by t.job_id, t.task_uuid, t.task_id, t.ordinal, t.state, t.plus_tests
                        order by t.job_id, t.ordinal
                        """).param("jobs", jobIds.toArray(UUID[]::new)).query(rs -> {
            int samples = rs.getInt("samples");
            int passed = rs.getInt("passed");
            String verdicts = rs.getString("verdicts");
            byJob.computeIfAbsent(rs.getObject("job_id", UUID.class), id -> new ArrayList<>())
                    .add(new ProblemResult(
                            rs.getString("task_id"),
                            rs.getInt("ordinal"),
                            rs.getString("state"),
                            samples,
                            passed,
                            rs.getBoolean("plus_tests") ? rs.getInt("passed_base") : null,
                            samples == 0 ? null : (double) passed / samples,
                            verdicts == null ? Map.of() : json.readValue(verdicts, VERDICT_COUNTS),
                            nullableDouble(rs.getObject("mean_execution_ms")),
                            nullableDouble(rs.getObject("mean_generation_ms")),
                            rs.getLong("prompt_tokens"),
                            rs.getLong("completion_tokens")));
        });
        return byJob;
    }

    /** How far the job has come. */
    public Optional<JobProgress> progress(UUID jobId) {
        return job(jobId).map(job -> JobProgress.of(job, problems(jobId)));
    }

    /** Per problem of the job, in problem order. */
    public List<ProblemResult> problems(UUID jobId) {
        return problems(List.of(jobId)).getOrDefault(jobId, List.of());
    }

    /** The time limits each job's samples were scored with, by the rule that set them. */
    public Map<UUID, List<AppliedTimeLimits>> timeLimitsApplied(Collection<UUID> jobIds) {
        return jdbc
                .sql("""
                        select job_id, time_limit_rule as rule, count(*) as samples,
                               min(time_limit_seconds) as min_seconds, max(time_limit_seconds) as max_seconds
                        from result_row
                        where job_id = any(:jobs) and time_limit_rule is not null
                        group by job_id, time_limit_rule
                        order by job_id, time_limit_rule
                        """)
                .param("jobs", jobIds.toArray(UUID[]::new))
                .query((rs, row) -> Map.entry(
                        rs.getObject("job_id", UUID.class),
                        new AppliedTimeLimits(
                                rs.getString("rule"),
                                rs.getLong("samples"),
                                rs.getDouble("min_seconds"),
                                rs.getDouble("max_seconds"))))
                .list()
                .stream()
                .collect(Collectors.groupingBy(
                        Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    }

    /**
     * One page of one problem's rows (its samples, or a FAILED task's row), in sample order, of the
     * given verdict or ({@code null}) all; paged in SQL, so a page costs the same however many samples
     * the job has.
     */
    public List<ResultRow> problemRows(
            UUID jobId, String problem, String verdict, Set<ResultColumn> columns, int limit, long offset) {
        return jdbc.sql(select(columns) + """
                        where job_id = :job and task_id = :problem
                          and (cast(:verdict as text) is null or verdict = :verdict)
                        order by sample_index nulls first
                        limit :limit offset :offset
                        """)
                .param("job", jobId)
                .param("problem", problem)
                .param("verdict", verdict)
                .param("limit", limit)
                .param("offset", offset)
                .query((rs, row) -> ResultRow.read(rs, columns))
                .list();
    }

    /** How many rows {@link #problemRows} has for the problem and verdict, over all pages. */
    public long problemRowCount(UUID jobId, String problem, String verdict) {
        return jdbc.sql("""
                        select count(*) from result_row
                        where job_id = :job and task_id = :problem
                          and (cast(:verdict as text) is null or verdict = :verdict)
                        """)
                .param("job", jobId)
                .param("problem", problem)
                .param("verdict", verdict)
                .query(Long.class)
                .single();
    }

    /** The job's rows that did not pass, grouped by cause, each with its problems (most rows first). */
    public List<FailureCause> failureCauses(UUID jobId) {
        Map<String, List<FailureCause.ProblemCount>> byCause = new LinkedHashMap<>();
        Map<String, Long> totals = new LinkedHashMap<>();
        jdbc.sql("""
                        select cause, task_id, count(*) as samples from (
                            select task_id, ordinal,
                                   case when sample_index is null then 'TASK_FAILED'
                                        when completion = '' then 'NO_CODE'
                                        when verdict = 'FAILED' then 'WRONG_ANSWER'
                                        else verdict end as cause
                            from result_row where job_id = :job and not passed) failing
                        group by cause, task_id, ordinal
                        order by case cause when 'WRONG_ANSWER' then 0 when 'TIMED_OUT' then 1 when 'ERROR' then 2
                                 when 'NO_CODE' then 3 else 4 end, count(*) desc, ordinal
                        """).param("job", jobId).query(rs -> {
            String cause = rs.getString("cause");
            long samples = rs.getLong("samples");
            byCause.computeIfAbsent(cause, c -> new ArrayList<>())
                    .add(new FailureCause.ProblemCount(rs.getString("task_id"), samples));
            totals.merge(cause, samples, Long::sum);
        });
        return byCause.entrySet().stream()
                .map(entry -> new FailureCause(entry.getKey(), totals.get(entry.getKey()), entry.getValue()))
                .toList();
    }

    private void stream(UUID jobId, Set<ResultColumn> columns, String filter, String order, Consumer<ResultRow> rows) {
        jdbc.sql(select(columns) + " where job_id = :job " + filter + " order by " + order)
                .param("job", jobId)
                .query(rs -> {
                    rows.accept(ResultRow.read(rs, columns));
                });
    }

    private static String select(Set<ResultColumn> columns) {
        return select(columns, "");
    }

    private static String select(Set<ResultColumn> columns, String leading) {
        return "select " + leading + columns.stream().map(ResultColumn::label).collect(Collectors.joining(", "))
                + " from result_row ";
    }

    private static Double nullableDouble(Object value) {
        return value instanceof Number number ? number.doubleValue() : null;
    }
}
