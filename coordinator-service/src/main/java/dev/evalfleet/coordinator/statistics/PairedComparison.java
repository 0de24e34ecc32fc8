package dev.evalfleet.coordinator.statistics;

import dev.evalfleet.coordinator.sample.PassAtK;
import dev.evalfleet.coordinator.statistics.Comparison.McNemar;
import dev.evalfleet.coordinator.statistics.Comparison.PValueMethod;
import dev.evalfleet.coordinator.statistics.Comparison.PassAtKDifference;
import dev.evalfleet.coordinator.statistics.Comparison.RateChange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.statistics.inference.BinomialTest;

/** Compares two jobs problem by problem over the problems they have in common. */
public final class PairedComparison {

    /** Up to this many non-zero differences the permutation test enumerates every sign assignment. */
    public static final int EXACT_LIMIT = 20;

    /** Random sign assignments of the Monte Carlo permutation test. */
    public static final int PERMUTATIONS = 10_000;

    /** How many problems with the largest pass-rate change are listed. */
    public static final int LARGEST_CHANGES = 10;

    /** Seed of the permutation test's generator; the bootstrap uses {@link Bootstrap#SEED}. */
    public static final long PERMUTATION_SEED = Bootstrap.SEED + 1;

    /** The method, as the API states it next to the figures. */
    public static final String METHOD = Bootstrap.METHOD
            + (". Paired: a and b on the same resampled problems; difference: mean over problems of"
                            + " pass@k(b) - pass@k(a), its interval from the same paired resamples. p-value:"
                            + " two-sided paired sign-flip permutation test of the per-problem differences,"
                            + " statistic |sum of differences|, exact over all 2^m sign assignments when the m"
                            + " non-zero differences are at most %d, otherwise %,d random sign assignments"
                            + " (xoroshiro128++ from (%d, ~%d)) with p = (count + 1) / (R + 1). McNemar (every"
                            + " problem one sample in both jobs): exact two-sided binomial test of the"
                            + " discordant problems against 1/2, p = min(1, 2 P(X <= min(b01, b10))), 1"
                            + " without discordant problems")
                    .formatted(EXACT_LIMIT, PERMUTATIONS, PERMUTATION_SEED, PERMUTATION_SEED);

    // Sums that are equal in exact arithmetic can differ in their last bits; they count as ties.
    private static final double TIE = 1e-9;

    private PairedComparison() {}

    /** Job b against job a over the given common problems, in the order given. */
    public static Comparison compare(List<PairedProblem> problems) {
        int fewestSamples = problems.stream()
                .mapToInt(p -> Math.min(p.a().samples(), p.b().samples()))
                .min()
                .orElse(0);
        List<Integer> ks = Bootstrap.reportedK(fewestSamples);
        boolean oneSampleEach =
                !problems.isEmpty() && problems.stream().allMatch(p -> p.a().samples() == 1 && p.b().samples() == 1);
        return new Comparison(
                problems.size(),
                byK(problems, ks),
                oneSampleEach ? mcnemar(problems) : null,
                problems.stream()
                        .filter(p -> p.a().passed() > 0 && p.b().passed() == 0)
                        .map(PairedProblem::problemId)
                        .toList(),
                problems.stream()
                        .filter(p -> p.b().passed() > 0 && p.a().passed() == 0)
                        .map(PairedProblem::problemId)
                        .toList(),
                oneSampleEach ? List.of() : largestChanges(problems),
                METHOD);
    }

    private static List<PassAtKDifference> byK(List<PairedProblem> problems, List<Integer> ks) {
        if (ks.isEmpty()) {
            return List.of();
        }
        // Columns a, b, b - a for each k, so one pass of resampling serves every figure.
        double[][] rows = new double[problems.size()][3 * ks.size()];
        for (int problem = 0; problem < rows.length; problem++) {
            PairedProblem p = problems.get(problem);
            for (int i = 0; i < ks.size(); i++) {
                double a = PassAtK.estimate(p.a().samples(), p.a().passed(), ks.get(i));
                double b = PassAtK.estimate(p.b().samples(), p.b().passed(), ks.get(i));
                rows[problem][3 * i] = a;
                rows[problem][3 * i + 1] = b;
                rows[problem][3 * i + 2] = b - a;
            }
        }
        List<Estimate> estimates = Bootstrap.estimates(rows, Bootstrap.newGenerator(Bootstrap.SEED));
        UniformRandomProvider permutations = Bootstrap.newGenerator(PERMUTATION_SEED);
        List<PassAtKDifference> byK = new ArrayList<>(ks.size());
        for (int i = 0; i < ks.size(); i++) {
            double[] differences = new double[rows.length];
            for (int problem = 0; problem < rows.length; problem++) {
                differences[problem] = rows[problem][3 * i + 2];
            }
            double[] nonZero = Arrays.stream(differences).filter(d -> d != 0.0).toArray();
            boolean exact = nonZero.length <= EXACT_LIMIT;
            byK.add(new PassAtKDifference(
                    ks.get(i),
                    estimates.get(3 * i),
                    estimates.get(3 * i + 1),
                    estimates.get(3 * i + 2),
                    exact ? exactSignFlip(nonZero) : monteCarloSignFlip(nonZero, permutations),
                    exact ? PValueMethod.EXACT : PValueMethod.MONTE_CARLO));
        }
        return byK;
    }

    /** The share of all 2^m sign assignments whose |sum| is at least the observed one. */
    static double exactSignFlip(double[] nonZero) {
        int m = nonZero.length;
        if (m == 0) {
            return 1.0;
        }
        double observed = Math.abs(sum(nonZero));
        // An assignment and its negation have the same |sum|: enumerate those with the last sign +.
        long half = 1L << (m - 1);
        long atLeast = 0;
        for (long signs = 0; signs < half; signs++) {
            double total = nonZero[m - 1];
            for (int i = 0; i < m - 1; i++) {
                total += (signs >>> i & 1) == 0 ? nonZero[i] : -nonZero[i];
            }
            if (Math.abs(total) >= observed - TIE) {
                atLeast++;
            }
        }
        return (double) atLeast / half;
    }

    /** (count + 1) / (R + 1) over R seeded random sign assignments, count those with |sum| ≥ observed. */
    static double monteCarloSignFlip(double[] nonZero, UniformRandomProvider random) {
        double observed = Math.abs(sum(nonZero));
        long atLeast = 0;
        for (int permutation = 0; permutation < PERMUTATIONS; permutation++) {
            double total = 0.0;
            long bits = 0;
            for (int i = 0; i < nonZero.length; i++) {
                if ((i & 63) == 0) {
                    bits = random.nextLong();
                }
                total += (bits >>> (i & 63) & 1) == 0 ? nonZero[i] : -nonZero[i];
            }
            if (Math.abs(total) >= observed - TIE) {
                atLeast++;
            }
        }
        return (atLeast + 1.0) / (PERMUTATIONS + 1.0);
    }

    private static double sum(double[] values) {
        double total = 0.0;
        for (double value : values) {
            total += value;
        }
        return total;
    }

    private static McNemar mcnemar(List<PairedProblem> problems) {
        int onlyA = (int) problems.stream()
                .filter(p -> p.a().passed() == 1 && p.b().passed() == 0)
                .count();
        int onlyB = (int) problems.stream()
                .filter(p -> p.a().passed() == 0 && p.b().passed() == 1)
                .count();
        int discordant = onlyA + onlyB;
        double p = discordant == 0
                ? 1.0
                : BinomialTest.withDefaults()
                        .test(discordant, Math.min(onlyA, onlyB), 0.5)
                        .getPValue();
        return new McNemar(onlyA, onlyB, p);
    }

    private static List<RateChange> largestChanges(List<PairedProblem> problems) {
        // A stable sort keeps the given problem order among equal changes.
        return problems.stream()
                .filter(p -> p.a().samples() > 0 && p.b().samples() > 0)
                .map(p -> {
                    double rateA = (double) p.a().passed() / p.a().samples();
                    double rateB = (double) p.b().passed() / p.b().samples();
                    return new RateChange(p.problemId(), rateA, rateB, rateB - rateA);
                })
                .filter(change -> change.change() != 0.0)
                .sorted(Comparator.comparingDouble((RateChange change) -> Math.abs(change.change()))
                        .reversed())
                .limit(LARGEST_CHANGES)
                .toList();
    }
}
