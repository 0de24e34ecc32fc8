package dev.evalfleet.coordinator.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.evalfleet.contracts.GenerationSettings;
import dev.evalfleet.contracts.RepairStrategy;
import dev.evalfleet.contracts.TimeLimit;
import dev.evalfleet.coordinator.provenance.ProvenanceView;
import dev.evalfleet.coordinator.repair.RepairReport;
import dev.evalfleet.coordinator.sample.AppliedTimeLimits;
import dev.evalfleet.coordinator.statistics.Estimate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A job as the API shows it.
 *
 * @param timeoutSeconds the job's fixed time limit; {@code null} when limits are calibrated
 * @param timeLimit which time limit rule the job asked for, and the limits that applied to its samples
 * @param priority jobs on the same endpoint with a higher priority are dispatched first; equal ones
 *     share the endpoint's capacity
 * @param waiting why an unfinished job is not being worked on, e.g. no live worker serves its
 *     endpoint; {@code null} when nothing holds it
 * @param endpointCapacity the endpoint's capacity (requests its server serves at once) and the
 *     effective capacity the fleet uses now; {@code null} for an endpoint that announces none
 * @param strategy how answers were drawn: {@code single} (n independent samples) or {@code murphy}
 * @param passAtK pass@k by k, for every k among 1, 2, 5, 10, 20, 50, 100 that every problem has
 *     enough samples for; empty for a murphy job, whose nodes are not independent samples. On a
 *     dataset with EvalPlus plus inputs, a sample passes when it passes base and plus inputs
 * @param passAtKCi95 for each k of {@code passAtK}: its 95 % interval [low, high], a percentile
 *     bootstrap over problems (see {@code statistics})
 * @param passAtKStandardError for each k of {@code passAtK}: the standard error over problems
 * @param statistics how the intervals and standard errors are computed
 * @param passAtKBase on a dataset with EvalPlus plus inputs: pass@k on the base inputs alone, for the
 *     same k; absent otherwise
 * @param passAtKBaseCi95 the 95 % intervals of {@code passAtKBase}
 * @param repair the self-repair numbers of a murphy job; {@code null} otherwise
 * @param failedTasks the first 50 FAILED tasks with their reasons
 * @param createdBy who started the job: the API key's name, or the token's subject; {@code null} for
 *     jobs started before the API had keys
 * @param provenance what ran the job's tasks, as the workers reported it, and the coordinator's build
 *     ({@code manifest.json} has everything that reproduces the job)
 */
record JobView(
        UUID id,
        UUID datasetId,
        String endpoint,
        String model,
        int samplesPerProblem,
        GenerationSettings generation,
        Double timeoutSeconds,
        int priority,
        @JsonInclude(JsonInclude.Include.NON_NULL) String waiting,
        @JsonInclude(JsonInclude.Include.NON_NULL) EndpointCapacity endpointCapacity,
        TimeLimitView timeLimit,
        StrategyView strategy,
        JobStatus status,
        TaskCounts tasks,
        SampleTotals samples,
        Map<String, Double> passAtK,
        Map<String, double[]> passAtKCi95,
        Map<String, Double> passAtKStandardError,
        String statistics,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Double> passAtKBase,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, double[]> passAtKBaseCi95,
        RepairReport repair,
        List<TaskFailure> failedTasks,
        ProvenanceView provenance,
        String createdBy,
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

    /**
     * The job's time limit rule and what applied.
     *
     * @param rule {@code fixed}: the job's {@code timeoutSeconds}; {@code calibrated}: per problem,
     *     {@code max(floor, factor × the reference solution's time)}, as the scoring service sets them
     * @param seconds the fixed limit; {@code null} when calibrated
     * @param applied the limits the samples' scoring runs had, by the rule that set them (a calibrated
     *     job's problem without a reference falls back to the service's default)
     */
    record TimeLimitView(String rule, Double seconds, List<AppliedTimeLimits> applied) {

        static TimeLimitView of(Double timeoutSeconds, List<AppliedTimeLimits> applied) {
            return new TimeLimitView(
                    timeoutSeconds == null ? TimeLimit.CALIBRATED : TimeLimit.FIXED, timeoutSeconds, applied);
        }
    }

    /** pass@k, its intervals and standard errors, from the same estimates. */
    record PassAtKFigures(Map<String, Double> values, Map<String, double[]> ci95, Map<String, Double> standardErrors) {

        static final PassAtKFigures NONE = new PassAtKFigures(Map.of(), Map.of(), Map.of());

        static PassAtKFigures of(Map<String, Estimate> estimates) {
            Map<String, Double> values = new LinkedHashMap<>();
            Map<String, double[]> ci95 = new LinkedHashMap<>();
            Map<String, Double> errors = new LinkedHashMap<>();
            estimates.forEach((k, estimate) -> {
                values.put(k, estimate.value());
                ci95.put(k, new double[] {estimate.low(), estimate.high()});
                errors.put(k, estimate.standardError());
            });
            return new PassAtKFigures(values, ci95, errors);
        }
    }

    /** An endpoint's configured and effective capacity. */
    record EndpointCapacity(int configured, int effective) {}

    /** Tasks of the job by state. */
    record TaskCounts(long total, long pending, long queued, long completed, long failed, long cancelled) {}

    /** A task that produced no samples, and why. */
    record TaskFailure(UUID taskId, String reason) {}

    /** Samples stored so far and how many passed. */
    record SampleTotals(long stored, long passed) {}
}
