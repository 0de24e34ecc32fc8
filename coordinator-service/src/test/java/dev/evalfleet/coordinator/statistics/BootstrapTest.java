package dev.evalfleet.coordinator.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.evalfleet.coordinator.sample.PassAtK;
import dev.evalfleet.coordinator.sample.SampleCount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    @Test
    void identicalValuesHaveNoSpreadAndAnIntervalOfThatValue() {
        Estimate estimate = Bootstrap.mean(new double[] {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1});

        assertThat(estimate.low()).isEqualTo(0.1);
        assertThat(estimate.high()).isEqualTo(0.1);
        assertThat(estimate.value()).isCloseTo(0.1, within(1e-16));
        assertThat(estimate.standardError()).isCloseTo(0.0, within(1e-16));
    }

    @Test
    void oneProblemHasNoStandardError() {
        assertThat(Bootstrap.mean(new double[] {0.75})).isEqualTo(new Estimate(0.75, 0.0, 0.75, 0.75));
    }

    @Test
    void handComputedPassAtKAndStandardError() {
        // n=3: c=1 gives pass@1 1/3 and pass@2 1 - C(2,2)/C(3,2) = 2/3; c=2 gives 2/3 and 1.
        Map<String, Estimate> report = Bootstrap.passAtK(List.of(new SampleCount(3, 1), new SampleCount(3, 2)));

        assertThat(report.keySet()).containsExactly("1", "2");
        // pass@1: values 1/3, 2/3, mean 1/2, sd sqrt(2 (1/6)^2) = sqrt(2)/6, SE sqrt(2)/6 / sqrt(2) = 1/6
        assertThat(report.get("1").value()).isCloseTo(0.5, within(1e-12));
        assertThat(report.get("1").standardError()).isCloseTo(1.0 / 6, within(1e-12));
        // pass@2: values 2/3, 1, mean 5/6, SE (1/6) by the same arithmetic
        assertThat(report.get("2").value()).isCloseTo(5.0 / 6, within(1e-12));
        assertThat(report.get("2").standardError()).isCloseTo(1.0 / 6, within(1e-12));
        // Two problems resampled: the mean is one of the values or their average; each extreme has
        // probability 1/4, so both percentiles are the extremes.
        assertThat(report.get("1").low()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(report.get("1").high()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void valuesAreTheReportedPassAtK() {
        List<SampleCount> problems = problems(164, 200, 7);

        Map<String, Estimate> intervals = Bootstrap.passAtK(problems);
        Map<String, Double> report = PassAtK.report(problems);

        assertThat(intervals.keySet()).containsExactlyElementsOf(report.keySet());
        report.forEach((k, value) -> assertThat(intervals.get(k).value()).isEqualTo(value));
        intervals.values().forEach(estimate -> assertThat(estimate.value()).isBetween(estimate.low(), estimate.high()));
    }

    @Test
    void sameProblemsGiveTheSameIntervals() {
        List<SampleCount> problems = problems(164, 10, 11);

        assertThat(Bootstrap.passAtK(problems)).isEqualTo(Bootstrap.passAtK(List.copyOf(problems)));
    }

    @Test
    void kStopsAtTheFewestSamples() {
        List<SampleCount> problems = List.of(new SampleCount(200, 3), new SampleCount(7, 1));

        assertThat(Bootstrap.passAtK(problems).keySet()).containsExactly("1", "2", "5");
    }

    @Test
    void noProblemsOrNoSamplesReportNothing() {
        assertThat(Bootstrap.passAtK(List.of())).isEmpty();
        assertThat(Bootstrap.passAtK(List.of(new SampleCount(0, 0)))).isEmpty();
        assertThatThrownBy(() -> Bootstrap.mean(new double[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void methodNamesTheResamplesAndTheSeed() {
        assertThat(Bootstrap.METHOD).contains("10,000 resamples").contains(Long.toString(Bootstrap.SEED));
    }

    static List<SampleCount> problems(int count, int samples, long seed) {
        Random random = new Random(seed);
        List<SampleCount> problems = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            problems.add(new SampleCount(samples, random.nextInt(samples + 1)));
        }
        return problems;
    }
}
