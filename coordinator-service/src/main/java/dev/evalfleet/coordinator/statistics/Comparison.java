package dev.evalfleet.coordinator.statistics;

import java.util.List;

/**
 * Job b against job a over their common problems: pass@k of both and of the difference b − a for
 * every k both jobs have samples for, McNemar's test when every problem has one sample in both, and
 * the problems that changed.
 *
 * @param mcnemar null unless every common problem has exactly one sample in both jobs
 * @param largestChanges empty when every common problem has exactly one sample in both jobs
 */
public record Comparison(
        int problems,
        List<PassAtKDifference> byK,
        McNemar mcnemar,
        List<String> solvedOnlyByA,
        List<String> solvedOnlyByB,
        List<RateChange> largestChanges,
        String method) {

    /** pass@k of a, of b and of b − a, with the two-sided p-value of "no difference". */
    public record PassAtKDifference(
            int k, Estimate a, Estimate b, Estimate difference, double pValue, PValueMethod pValueMethod) {}

    /** How the sign-flip permutation p-value was obtained. */
    public enum PValueMethod {
        /** All 2^m sign assignments of the m non-zero per-problem differences. */
        EXACT,
        /** Seeded random sign assignments, p = (count + 1) / (R + 1). */
        MONTE_CARLO
    }

    /** McNemar's exact test on the problems one job solved and the other did not. */
    public record McNemar(int solvedOnlyByA, int solvedOnlyByB, double pValue) {}

    /** A problem's pass rate (passed / samples) in both jobs and its change b − a. */
    public record RateChange(String problemId, double rateA, double rateB, double change) {}
}
