package dev.evalfleet.coordinator.statistics;

import dev.evalfleet.coordinator.sample.SampleCount;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints how long the figures of a HumanEval-sized job take (164 problems, 200 samples each): a
 * benchmark, run by hand as docs/benchmarks.md says, not a test.
 */
final class StatisticsTiming {

    private StatisticsTiming() {}

    public static void main(String[] args) {
        List<SampleCount> a = BootstrapTest.problems(164, 200, 1);
        List<SampleCount> b = BootstrapTest.problems(164, 200, 2);
        List<PairedProblem> paired = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            paired.add(new PairedProblem("HumanEval/" + i, a.get(i), b.get(i)));
        }
        for (int round = 1; round <= 3; round++) {
            long start = System.nanoTime();
            int ks = Bootstrap.passAtK(a).size();
            long intervals = System.nanoTime();
            PairedComparison.compare(paired);
            long comparison = System.nanoTime();
            System.out.printf(
                    "round %d: 164 problems x %d k intervals %.1f ms, paired comparison %.1f ms%n",
                    round, ks, (intervals - start) / 1e6, (comparison - intervals) / 1e6);
        }
    }
}
