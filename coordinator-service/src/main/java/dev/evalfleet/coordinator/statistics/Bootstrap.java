package dev.evalfleet.coordinator.statistics;

import dev.evalfleet.coordinator.sample.PassAtK;
import dev.evalfleet.coordinator.sample.SampleCount;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Means over problems (pass@k, pass@1 by repair iteration) with their standard error and a seeded
 * percentile-bootstrap 95 % interval over problems.
 */
public final class Bootstrap {

    /** How many times the problems are resampled. */
    public static final int RESAMPLES = 10_000;

    /** Seed of the resampling generator, so that the same problems always give the same interval. */
    public static final long SEED = 20_260_113L;

    /** The method, as the API states it next to the figures. */
    public static final String METHOD = ("value: mean over problems of the per-problem values (for pass@k"
                    + " the unbiased estimator 1 - C(n-c,k)/C(n,k)); standard error: sample standard deviation"
                    + " (N - 1) of the per-problem values / sqrt(N), 0 when N < 2; 95 %% interval: percentile"
                    + " bootstrap over problems, %,d resamples of N problems drawn with replacement, 2.5th and"
                    + " 97.5th percentiles of the resampled means (linear interpolation), generator"
                    + " xoroshiro128++ (Apache Commons RNG XO_RO_SHI_RO_128_PP) started from the state"
                    + " (%d, ~%d), every k from the same resampled problems")
            .formatted(RESAMPLES, SEED, SEED);

    private static final double LOW_QUANTILE = 0.025;
    private static final double HIGH_QUANTILE = 0.975;

    private Bootstrap() {}

    /** The mean of per-problem values, e.g. one 0/1 outcome per problem of a repair iteration. */
    public static Estimate mean(double[] perProblem) {
        if (perProblem.length == 0) {
            throw new IllegalArgumentException("no problems to average over");
        }
        double[][] rows = new double[perProblem.length][];
        for (int problem = 0; problem < perProblem.length; problem++) {
            rows[problem] = new double[] {perProblem[problem]};
        }
        return estimates(rows, newGenerator(SEED)).getFirst();
    }

    /**
     * pass@k with its interval for every k that {@link PassAtK#report} reports, keyed and ordered the
     * same way; empty when there are no problems or some problem has no samples.
     */
    public static Map<String, Estimate> passAtK(List<SampleCount> problems) {
        int fewestSamples =
                problems.stream().mapToInt(SampleCount::samples).min().orElse(0);
        List<Integer> ks = reportedK(fewestSamples);
        Map<String, Estimate> report = new LinkedHashMap<>();
        if (ks.isEmpty()) {
            return report;
        }
        double[][] rows = new double[problems.size()][ks.size()];
        for (int problem = 0; problem < rows.length; problem++) {
            SampleCount count = problems.get(problem);
            for (int column = 0; column < ks.size(); column++) {
                rows[problem][column] = PassAtK.estimate(count.samples(), count.passed(), ks.get(column));
            }
        }
        List<Estimate> estimates = estimates(rows, newGenerator(SEED));
        for (int column = 0; column < ks.size(); column++) {
            report.put(Integer.toString(ks.get(column)), estimates.get(column));
        }
        return report;
    }

    /** The reported k values that problems with at least {@code fewestSamples} samples allow. */
    static List<Integer> reportedK(int fewestSamples) {
        return PassAtK.REPORTED_K.stream().filter(k -> k <= fewestSamples).toList();
    }

    /** A generator whose stream is fixed by the seed: Commons RNG keeps named algorithms stable. */
    static UniformRandomProvider newGenerator(long seed) {
        // The native state of xoroshiro128++ is two longs; giving it directly avoids any seed conversion.
        return RandomSource.XO_RO_SHI_RO_128_PP.create(new long[] {seed, ~seed});
    }

    /**
     * One estimate per column of {@code rows[problem][column]}, all columns resampled with the same
     * problems so that their intervals are paired.
     */
    static List<Estimate> estimates(double[][] rows, UniformRandomProvider random) {
        int columns = rows[0].length;
        double[][] means = resampledMeans(rows, columns, random);
        List<Estimate> estimates = new ArrayList<>(columns);
        for (int column = 0; column < columns; column++) {
            double[] values = new double[rows.length];
            for (int problem = 0; problem < rows.length; problem++) {
                values[problem] = rows[problem][column];
            }
            estimates.add(estimate(values, means[column]));
        }
        return estimates;
    }

    private static double[][] resampledMeans(double[][] rows, int columns, UniformRandomProvider random) {
        int problems = rows.length;
        double[][] means = new double[columns][RESAMPLES];
        double[] sums = new double[columns];
        for (int resample = 0; resample < RESAMPLES; resample++) {
            Arrays.fill(sums, 0.0);
            for (int draw = 0; draw < problems; draw++) {
                double[] row = rows[random.nextInt(problems)];
                for (int column = 0; column < columns; column++) {
                    sums[column] += row[column];
                }
            }
            for (int column = 0; column < columns; column++) {
                means[column][resample] = sums[column] / problems;
            }
        }
        return means;
    }

    private static Estimate estimate(double[] values, double[] resampledMeans) {
        // The same summation as PassAtK.report, so that the value is the reported figure to the bit.
        double mean = Arrays.stream(values).average().orElseThrow();
        double squares = 0.0;
        for (double value : values) {
            squares += (value - mean) * (value - mean);
        }
        int n = values.length;
        double standardError = n < 2 ? 0.0 : Math.sqrt(squares / (n - 1)) / Math.sqrt(n);
        Arrays.sort(resampledMeans);
        // A mean of resampled values lies between their smallest and largest; rounding in the sums
        // must not put an interval of identical values a bit beside them.
        double smallest = Arrays.stream(values).min().orElseThrow();
        double largest = Arrays.stream(values).max().orElseThrow();
        double low = Math.clamp(quantile(resampledMeans, LOW_QUANTILE), smallest, largest);
        double high = Math.clamp(quantile(resampledMeans, HIGH_QUANTILE), smallest, largest);
        return new Estimate(mean, standardError, low, high);
    }

    /** The q-quantile of sorted values, interpolated linearly between order statistics. */
    private static double quantile(double[] sorted, double q) {
        double position = (sorted.length - 1) * q;
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
