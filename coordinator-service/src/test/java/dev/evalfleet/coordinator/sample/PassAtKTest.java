package dev.evalfleet.coordinator.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PassAtKTest {

    @Test
    void handComputedValues() {
        // n=5, c=1, k=1: 1/5; k=2: 1 - C(4,2)/C(5,2) = 1 - 6/10
        assertThat(PassAtK.estimate(5, 1, 1)).isCloseTo(0.2, within(1e-15));
        assertThat(PassAtK.estimate(5, 1, 2)).isCloseTo(0.4, within(1e-15));
        assertThat(PassAtK.estimate(4, 0, 1)).isZero();
        assertThat(PassAtK.estimate(4, 4, 4)).isEqualTo(1.0);
        // fewer failures than k: every draw of k holds a pass
        assertThat(PassAtK.estimate(10, 8, 3)).isEqualTo(1.0);
    }

    /** Expected values printed by human-eval's estimator, 1 - prod(1 - k / arange(n-c+1, n+1)). */
    @ParameterizedTest
    @CsvSource({
        "10, 3, 1, 0.30000000000000004",
        "10, 3, 5, 0.9166666666666666",
        "200, 13, 1, 0.06500000000000017",
        "200, 13, 10, 0.4975511147306061",
        "200, 13, 100, 0.9999194971988055",
        "20, 0, 5, 0.0",
        "20, 20, 10, 1.0",
        "100, 37, 50, 0.9999999999999999"
    })
    void equalsHumanEvalsEstimator(int n, int c, int k, double humanEval) {
        assertThat(PassAtK.estimate(n, c, k)).isCloseTo(humanEval, within(1e-12));
    }

    @ParameterizedTest
    @CsvSource({"200, 13, 10", "200, 150, 50", "100, 1, 100", "50, 25, 20", "7, 3, 2"})
    void equalsTheExactBinomialForm(int n, int c, int k) {
        BigDecimal ratio =
                new BigDecimal(binomial(n - c, k)).divide(new BigDecimal(binomial(n, k)), MathContext.DECIMAL128);
        double exact = BigDecimal.ONE.subtract(ratio).doubleValue();
        assertThat(PassAtK.estimate(n, c, k)).isCloseTo(exact, within(1e-12));
    }

    @Test
    void reportAveragesOverProblemsForEveryKThatAllProblemsReach() {
        Map<String, Double> report =
                PassAtK.report(List.of(new SampleCount(10, 3), new SampleCount(10, 0), new SampleCount(12, 12)));
        assertThat(report).containsOnlyKeys("1", "2", "5", "10");
        assertThat(report.get("1")).isCloseTo((0.3 + 0.0 + 1.0) / 3, within(1e-12));
        assertThat(report.get("5")).isCloseTo((PassAtK.estimate(10, 3, 5) + 0.0 + 1.0) / 3, within(1e-12));
    }

    @Test
    void reportIsEmptyWhenSomeProblemHasNoSamples() {
        assertThat(PassAtK.report(List.of(new SampleCount(1, 1), new SampleCount(0, 0))))
                .isEmpty();
        assertThat(PassAtK.report(List.of())).isEmpty();
    }

    @Test
    void rejectsImpossibleCounts() {
        assertThatThrownBy(() -> PassAtK.estimate(3, 4, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PassAtK.estimate(3, 1, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    private static BigInteger binomial(int n, int k) {
        BigInteger result = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
            result = result.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        return result;
    }
}
