package dev.evalfleet.coordinator.result;

import dev.evalfleet.coordinator.api.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A job's results problem by problem, and its run report. */
@RestController
@RequestMapping("/api/jobs/{id}")
@Tag(name = "Results", description = "Every sample of a job, with its code and verdict")
class ProblemResultsController {

    private final JobResults results;
    private final RunReports reports;

    ProblemResultsController(JobResults results, RunReports reports) {
        this.results = results;
        this.reports = reports;
    }

    @GetMapping("/report")
    @Operation(
            summary = "Where the job's time went: wall time by phase, model busy share, requests and tokens per"
                    + " second, time to first result, p50/p95 latencies, retries and failures by cause, worker time"
                    + " against wall time")
    RunReport report(@PathVariable UUID id) {
        return reports.of(id);
    }

    @GetMapping("/problems")
    @Operation(
            summary = "Per problem, in the job's order: samples, passes, pass rate, verdict counts, mean scoring and"
                    + " generation time, tokens")
    List<ProblemResult> problems(@PathVariable UUID id) {
        if (!results.exists(id)) {
            throw NotFoundException.job(id);
        }
        return results.problems(id);
    }
}
