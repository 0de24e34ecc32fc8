package dev.evalfleet.coordinator.result;

import dev.evalfleet.coordinator.api.NotFoundException;
import dev.evalfleet.coordinator.dataset.DatasetCatalog;
import dev.evalfleet.coordinator.dataset.ProblemDefinition;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * One problem of a job and its samples, a page at a time, by path ({@code /problems/HumanEval%2F0},
 * the task id's slash encoded) or by query ({@code /problem?problem=HumanEval/0}).
 */
@RestController
@RequestMapping("/api/jobs/{id}")
@Tag(name = "Results", description = "Every sample of a job, with its code and verdict")
class ProblemSamplesController {

    private final JobResults results;
    private final DatasetCatalog datasets;

    ProblemSamplesController(JobResults results, DatasetCatalog datasets) {
        this.results = results;
        this.datasets = datasets;
    }

    @GetMapping("/problem")
    @Operation(summary = "One problem of a job: its prompt and how its samples fared, e.g. ?problem=HumanEval/0")
    JobProblemView problem(@PathVariable UUID id, @RequestParam String problem) {
        JobHeader job = results.job(id).orElseThrow(() -> NotFoundException.job(id));
        ProblemResult result = results.problems(id).stream()
                .filter(candidate -> candidate.problem().equals(problem))
                .findFirst()
                .orElseThrow(() -> notInJob(id, problem));
        ProblemDefinition definition = datasets.problems(job.datasetId()).stream()
                .filter(candidate -> candidate.taskId().equals(problem))
                .findFirst()
                .orElseThrow(() -> notInJob(id, problem));
        return new JobProblemView(problem, definition.entryPoint(), definition.prompt(), result);
    }

    @GetMapping("/problems/{taskId}")
    @Operation(summary = "One problem of a job: its prompt and how its samples fared; encode the slash, HumanEval%2F0")
    JobProblemView problemByPath(@PathVariable UUID id, @PathVariable String taskId) {
        return problem(id, taskId);
    }

    @GetMapping("/samples")
    @Operation(
            summary = "One page of a problem's samples: raw answer, extracted code, verdict, feedback, tests, times,"
                    + " tokens, worker; e.g. ?problem=HumanEval/0&page=0&size=20&verdict=FAILED")
    SamplePage samples(
            @PathVariable UUID id,
            @RequestParam String problem,
            @RequestParam(required = false) String verdict,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        if (!results.exists(id)) {
            throw NotFoundException.job(id);
        }
        long total = results.problemRowCount(id, problem, verdict);
        if (total == 0 && !hasProblem(id, problem)) {
            throw notInJob(id, problem);
        }
        List<SampleView> items =
                results.problemRows(id, problem, verdict, SampleView.COLUMNS, size, (long) page * size).stream()
                        .map(SampleView::of)
                        .toList();
        return new SamplePage(problem, verdict, page, size, total, (int) ((total + size - 1) / size), items);
    }

    @GetMapping("/problems/{taskId}/samples")
    @Operation(summary = "One page of a problem's samples; encode the task id's slash, e.g. HumanEval%2F0")
    SamplePage samplesByPath(
            @PathVariable UUID id,
            @PathVariable String taskId,
            @RequestParam(required = false) String verdict,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        return samples(id, taskId, verdict, page, size);
    }

    @GetMapping("/failures")
    @Operation(
            summary = "The samples that did not pass, by cause (WRONG_ANSWER, TIMED_OUT, ERROR, NO_CODE, TASK_FAILED),"
                    + " each with its problems")
    List<FailureCause> failures(@PathVariable UUID id) {
        if (!results.exists(id)) {
            throw NotFoundException.job(id);
        }
        return results.failureCauses(id);
    }

    private boolean hasProblem(UUID id, String problem) {
        return results.problems(id).stream()
                .anyMatch(candidate -> candidate.problem().equals(problem));
    }

    private static NotFoundException notInJob(UUID id, String problem) {
        return new NotFoundException("Job " + id + " has no problem " + problem);
    }
}
