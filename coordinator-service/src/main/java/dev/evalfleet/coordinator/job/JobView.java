package dev.evalfleet.coordinator.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.evalfleet.contracts.GenerationSettings;
import dev.evalfleet.contracts.RepairStrategy;
import dev.evalfleet.coordinator.repair.RepairReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A job as the API shows it.
 *
 * @param strategy how answers were drawn: {@code single} (n independent samples) or {@code murphy}
 * @param passAtK pass@k by k, for every k among 1, 2, 5, 10, 20, 50, 100 that every problem has
 *     enough samples for; empty for a murphy job, whose nodes are not independent samples
 * @param repair the self-repair numbers of a murphy job; {@code null} otherwise
 * @param failedTasks the first 50 FAILED tasks with their reasons
 */
record JobView(
        UUID id,
        UUID datasetId,
        String endpoint,
        String model,
        int samplesPerProblem,
        GenerationSettings generation,
        double timeoutSeconds,
        StrategyView strategy,
        JobStatus status,
        TaskCounts tasks,
        SampleTotals samples,
        Map<String, Double> passAtK,
        RepairReport repair,
        List<TaskFailure> failedTasks,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {

    /** The job's strategy; a {@code single} job shows its type only. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StrategyView(
            String type,
            Integer candidates,
            Integer turns,
            Integer pruningBudget,
            String credit,
            Double gamma,
            String feedback) {

        static StrategyView of(RepairStrategy strategy) {
            return strategy == null
                    ? new StrategyView(RepairStrategy.SINGLE, null, null, null, null, null, null)
                    : new StrategyView(
                            strategy.type(),
                            strategy.candidates(),
                            strategy.turns(),
                            strategy.pruningBudget(),
                            strategy.credit(),
                            strategy.gamma(),
                            strategy.feedback());
        }
    }

    /** Tasks of the job by state. */
    record TaskCounts(long total, long pending, long queued, long completed, long failed, long cancelled) {}

    /** A task that produced no samples, and why. */
    record TaskFailure(UUID taskId, String reason) {}

    /** Samples stored so far and how many passed. */
    record SampleTotals(long stored, long passed) {}
}
