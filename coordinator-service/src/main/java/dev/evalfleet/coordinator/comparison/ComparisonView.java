package dev.evalfleet.coordinator.comparison;

import dev.evalfleet.coordinator.statistics.Comparison;
import java.util.List;
import java.util.UUID;

/**
 * Job b against job a.
 *
 * @param problems the common problems compared, in a's order
 * @param withoutResults common problems left out because one of the jobs has no result for them (yet)
 * @param comparison per k: both estimates with intervals, b − a with its paired interval and p-value;
 *     McNemar's exact test when every problem has one sample in both; the problems that flip
 */
record ComparisonView(JobSide a, JobSide b, List<String> problems, List<String> withoutResults, Comparison comparison) {

    /**
     * One of the jobs compared.
     *
     * @param strategy {@code single} (independent samples) or {@code murphy} (self-repair; compared by
     *     the answer it returns after its last turn, one per problem)
     * @param modelCallsPerProblem mean model calls the job spent per problem with results: a murphy job
     *     compares fairly with a single job that spent as many
     */
    record JobSide(
            UUID id,
            String dataset,
            String endpoint,
            String model,
            String strategy,
            int samplesPerProblem,
            String status,
            double modelCallsPerProblem) {}
}
