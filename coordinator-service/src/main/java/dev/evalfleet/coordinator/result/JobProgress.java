package dev.evalfleet.coordinator.result;

import java.util.List;
import java.util.UUID;

/**
 * How far a job has come, as its event stream tells it.
 *
 * @param tasksDone tasks that ended (completed, failed or cancelled)
 * @param problemsWithSamples problems that have samples so far
 * @param passAt1 pass@1 over the problems that have samples so far (each problem's passed / samples,
 *     averaged); {@code null} before the first sample
 * @param finished whether the job has ended; its last event then says so
 */
public record JobProgress(
        UUID jobId,
        String status,
        long tasksTotal,
        long tasksDone,
        long tasksFailed,
        long samples,
        long passed,
        long problemsWithSamples,
        Double passAt1,
        boolean finished) {

    private static final List<String> FINISHED = List.of("COMPLETED", "FAILED", "CANCELLED");
    private static final List<String> TASK_ENDED = List.of("COMPLETED", "FAILED", "CANCELLED");

    static JobProgress of(JobHeader job, List<ProblemResult> problems) {
        List<ProblemResult> sampled =
                problems.stream().filter(problem -> problem.samples() > 0).toList();
        return new JobProgress(
                job.id(),
                job.status(),
                problems.size(),
                problems.stream().filter(p -> TASK_ENDED.contains(p.state())).count(),
                problems.stream().filter(p -> "FAILED".equals(p.state())).count(),
                problems.stream().mapToLong(ProblemResult::samples).sum(),
                problems.stream().mapToLong(ProblemResult::passed).sum(),
                sampled.size(),
                sampled.isEmpty()
                        ? null
                        : sampled.stream()
                                .mapToDouble(ProblemResult::passRate)
                                .average()
                                .orElseThrow(),
                FINISHED.contains(job.status()));
    }
}
