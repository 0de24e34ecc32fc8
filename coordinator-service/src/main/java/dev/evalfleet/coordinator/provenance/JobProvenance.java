package dev.evalfleet.coordinator.provenance;

import dev.evalfleet.contracts.GenerationSettings;
import dev.evalfleet.contracts.RepairStrategy;
import dev.evalfleet.contracts.RunProvenance;
import dev.evalfleet.contracts.TimeLimit;
import dev.evalfleet.coordinator.api.NotFoundException;
import dev.evalfleet.coordinator.dataset.DatasetCatalog;
import dev.evalfleet.coordinator.dataset.DatasetView;
import dev.evalfleet.coordinator.job.JobDefinition;
import dev.evalfleet.coordinator.job.JobDefinitions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The provenance feature's facade: records what the workers report ran a job's tasks, and answers
 * what ran a job (for its view) and what reproduces it ({@code manifest.json}).
 */
@Service
public class JobProvenance {

    private final JdbcClient jdbc;
    private final JobDefinitions jobs;
    private final DatasetCatalog datasets;
    private final JsonMapper json;
    private final EvalfleetBuild coordinator;

    JobProvenance(
            JdbcClient jdbc,
            JobDefinitions jobs,
            DatasetCatalog datasets,
            JsonMapper json,
            ObjectProvider<BuildProperties> build,
            ObjectProvider<GitProperties> git) {
        this.jdbc = jdbc;
        this.jobs = jobs;
        this.datasets = datasets;
        this.json = json;
        this.coordinator = new EvalfleetBuild(
                build.stream()
                        .map(BuildProperties::getVersion)
                        .filter(Objects::nonNull)
                        .findFirst()
                        .orElse(null),
                git.stream()
                        .map(GitProperties::getCommitId)
                        .filter(Objects::nonNull)
                        .findFirst()
                        .orElse(null));
    }

    /**
     * Counts one task result of the job under its provenance; call it in the transaction that records
     * the result, once per result. A result without provenance (an older worker) counts nowhere.
     */
    @Transactional
    public void record(UUID jobId, RunProvenance provenance, Instant seenAt) {
        if (provenance == null) {
            return;
        }
        jdbc.sql("""
                insert into job_provenance (job_id, fingerprint, endpoint, provider, base_url, model, model_digest,
                                            model_details, model_server_version, scoring_sandbox, scoring_python,
                                            worker_version, worker_commit, task_count, first_seen_at, last_seen_at)
                values (:job, :fingerprint, :endpoint, :provider, :baseUrl, :model, :digest, :details, :serverVersion,
                        :sandbox, :python, :workerVersion, :workerCommit, 1, :seen, :seen)
                on conflict (job_id, fingerprint) do update
                set task_count   = job_provenance.task_count + 1,
                    last_seen_at = greatest(job_provenance.last_seen_at, excluded.last_seen_at)
                """)
                .param("job", jobId)
                .param("fingerprint", fingerprint(provenance))
                .param("endpoint", provenance.endpoint())
                .param("provider", provenance.provider())
                .param("baseUrl", provenance.baseUrl())
                .param("model", provenance.model())
                .param("digest", provenance.modelDigest())
                .param("details", provenance.modelDetails())
                .param("serverVersion", provenance.modelServerVersion())
                .param("sandbox", provenance.scoringSandbox())
                .param("python", provenance.scoringPython())
                .param("workerVersion", provenance.workerVersion())
                .param("workerCommit", provenance.workerCommit())
                .param("seen", Timestamp.from(seenAt))
                .update();
    }

    /** What ran the job so far; an unknown job has nothing reported. */
    @Transactional(readOnly = true)
    public ProvenanceView of(UUID jobId) {
        return of(List.of(jobId)).get(jobId);
    }

    /** What ran each of the jobs so far, read at once. */
    @Transactional(readOnly = true)
    public Map<UUID, ProvenanceView> of(Collection<UUID> jobIds) {
        Map<UUID, List<ReportedProvenance>> reported = reported(jobIds);
        Map<UUID, ProvenanceView> views = new LinkedHashMap<>();
        for (UUID jobId : jobIds) {
            views.put(jobId, new ProvenanceView(reported.getOrDefault(jobId, List.of()), coordinator));
        }
        return views;
    }

    /** @throws NotFoundException for an unknown job */
    @Transactional(readOnly = true)
    public JobManifest manifest(UUID jobId) {
        JobDefinition job = jobs.of(jobId).orElseThrow(() -> NotFoundException.job(jobId));
        DatasetView dataset = datasets.get(job.datasetId());
        GenerationSettings generation = job.generation();
        return new JobManifest(
                job.id(),
                job.status().name(),
                new JobManifest.Dataset(
                        dataset.id(),
                        dataset.name(),
                        dataset.sha256(),
                        dataset.problemCount(),
                        dataset.format().name(),
                        dataset.fileFormat().name()),
                new JobManifest.Settings(
                        job.endpoint(),
                        job.model(),
                        job.samplesPerProblem(),
                        new JobManifest.Generation(
                                generation.temperature(),
                                generation.topP(),
                                generation.maxTokens(),
                                generation.seed(),
                                generation.stop()),
                        job.strategy() == null ? null : json.readValue(job.strategy(), RepairStrategy.class),
                        job.timeoutSeconds() == null
                                ? new JobManifest.TimeLimitRule(TimeLimit.CALIBRATED, null)
                                : new JobManifest.TimeLimitRule(TimeLimit.FIXED, job.timeoutSeconds()),
                        job.problemsSelected()),
                reported(List.of(jobId)).getOrDefault(jobId, List.of()),
                coordinator,
                job.createdAt(),
                job.startedAt(),
                job.finishedAt());
    }

    private Map<UUID, List<ReportedProvenance>> reported(Collection<UUID> jobIds) {
        Map<UUID, List<ReportedProvenance>> byJob = new LinkedHashMap<>();
        jdbc.sql("""
                select job_id, endpoint, provider, base_url, model, model_digest, model_details, model_server_version,
                       scoring_sandbox, scoring_python, worker_version, worker_commit, task_count, first_seen_at,
                       last_seen_at
                from job_provenance
                where job_id = any(:jobs)
                order by job_id, first_seen_at, id
                """).param("jobs", jobIds.toArray(UUID[]::new)).query(rs -> {
            byJob.computeIfAbsent(rs.getObject("job_id", UUID.class), id -> new ArrayList<>())
                    .add(new ReportedProvenance(
                            rs.getString("endpoint"),
                            rs.getString("provider"),
                            rs.getString("base_url"),
                            rs.getString("model"),
                            rs.getString("model_digest"),
                            rs.getString("model_details"),
                            rs.getString("model_server_version"),
                            rs.getString("scoring_sandbox"),
                            rs.getString("scoring_python"),
                            rs.getString("worker_version"),
                            rs.getString("worker_commit"),
                            rs.getInt("task_count"),
                            instant(rs, "first_seen_at"),
                            instant(rs, "last_seen_at")));
        });
        return byJob;
    }

    /** Tells every combination of values apart, a null from an empty text included. */
    static String fingerprint(RunProvenance provenance) {
        StringBuilder joined = new StringBuilder();
        Stream.of(
                        provenance.endpoint(),
                        provenance.provider(),
                        provenance.baseUrl(),
                        provenance.model(),
                        provenance.modelDigest(),
                        provenance.modelDetails(),
                        provenance.modelServerVersion(),
                        provenance.scoringSandbox(),
                        provenance.scoringPython(),
                        provenance.workerVersion(),
                        provenance.workerCommit())
                .forEach(value -> joined.append(value == null ? "-" : "+" + value.length() + ":" + value));
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(joined.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
