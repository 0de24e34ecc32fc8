package dev.evalfleet.coordinator.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.evalfleet.coordinator.sample.SampleCount;
import dev.evalfleet.coordinator.statistics.Comparison.PValueMethod;
import dev.evalfleet.coordinator.statistics.Comparison.PassAtKDifference;
import dev.evalfleet.coordinator.statistics.Comparison.RateChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairedComparisonTest {

    @Test
    void mcnemarOfSixAgainstOneIsOneEighth() {
        // 6 problems only a solved, 1 only b solved, 3 both, 2 neither:
        // p = 2 P(X <= 1), X ~ Bin(7, 1/2) = 2 (1 + 7) / 128 = 0.125
        List<PairedProblem> problems = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int a = i < 9 ? 1 : 0;
            int b = i < 6 ? 0 : i < 10 ? 1 : 0;
            problems.add(new PairedProblem("HumanEval/" + i, new SampleCount(1, a), new SampleCount(1, b)));
        }

        Comparison comparison = PairedComparison.compare(problems);

        assertThat(comparison.mcnemar().solvedOnlyByA()).isEqualTo(6);
        assertThat(comparison.mcnemar().solvedOnlyByB()).isEqualTo(1);
        assertThat(comparison.mcnemar().pValue()).isCloseTo(0.125, within(1e-12));
        // With 0/1 outcomes the sign-flip test of the 7 discordant problems is the same binomial test.
        PassAtKDifference passAt1 = comparison.byK().getFirst();
        assertThat(passAt1.pValueMethod()).isEqualTo(PValueMethod.EXACT);
        assertThat(passAt1.pValue()).isCloseTo(0.125, within(1e-12));
        assertThat(passAt1.difference().value()).isCloseTo(-5.0 / 12, within(1e-12));
        assertThat(comparison.solvedOnlyByA())
                .containsExactly(
                        "HumanEval/0", "HumanEval/1", "HumanEval/2", "HumanEval/3", "HumanEval/4", "HumanEval/5");
        assertThat(comparison.solvedOnlyByB()).containsExactly("HumanEval/9");
        assertThat(comparison.largestChanges()).isEmpty();
    }

    @Test
    void mcnemarWithoutDiscordantProblemsIsOne() {
        List<PairedProblem> problems = List.of(
                new PairedProblem("HumanEval/0", new SampleCount(1, 1), new SampleCount(1, 1)),
                new PairedProblem("HumanEval/1", new SampleCount(1, 0), new SampleCount(1, 0)));

        assertThat(PairedComparison.compare(problems).mcnemar()).isEqualTo(new Comparison.McNemar(0, 0, 1.0));
    }

    @Test
    void handComputedSignFlipPValues() {
        // 3 equal differences: only all + and all - reach |sum| 3, 2 of 8 assignments
        assertThat(PairedComparison.exactSignFlip(new double[] {1, 1, 1})).isEqualTo(0.25);
        // ±0.5 ±0.25 ±1 has |sum| >= 1.25 for (+,+,+), (+,-,+) and their negations: 4 of 8
        assertThat(PairedComparison.exactSignFlip(new double[] {0.5, -0.25, 1})).isEqualTo(0.5);
        assertThat(PairedComparison.exactSignFlip(new double[0])).isEqualTo(1.0);
    }

    @Test
    void aJobAgainstItselfDiffersByNothing() {
        List<PairedProblem> problems = new ArrayList<>();
        List<SampleCount> counts = BootstrapTest.problems(164, 10, 3);
        for (int i = 0; i < counts.size(); i++) {
            problems.add(new PairedProblem("HumanEval/" + i, counts.get(i), counts.get(i)));
        }

        Comparison comparison = PairedComparison.compare(problems);

        assertThat(comparison.byK()).extracting(PassAtKDifference::k).containsExactly(1, 2, 5, 10);
        for (PassAtKDifference byK : comparison.byK()) {
            assertThat(byK.difference()).isEqualTo(new Estimate(0.0, 0.0, 0.0, 0.0));
            assertThat(byK.pValue()).isEqualTo(1.0);
            assertThat(byK.a()).isEqualTo(byK.b());
        }
        assertThat(comparison.mcnemar()).isNull();
        assertThat(comparison.solvedOnlyByA()).isEmpty();
        assertThat(comparison.solvedOnlyByB()).isEmpty();
        assertThat(comparison.largestChanges()).isEmpty();
    }

    @Test
    void eachJobsIntervalsAreItsOwnOverTheCommonProblems() {
        List<SampleCount> a = BootstrapTest.problems(164, 20, 5);
        List<SampleCount> b = BootstrapTest.problems(164, 20, 6);
        List<PairedProblem> problems = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            problems.add(new PairedProblem("HumanEval/" + i, a.get(i), b.get(i)));
        }

        Comparison comparison = PairedComparison.compare(problems);
        Map<String, Estimate> aAlone = Bootstrap.passAtK(a);
        Map<String, Estimate> bAlone = Bootstrap.passAtK(b);

        assertThat(comparison.byK()).hasSize(aAlone.size());
        for (PassAtKDifference byK : comparison.byK()) {
            assertThat(byK.a()).isEqualTo(aAlone.get(Integer.toString(byK.k())));
            assertThat(byK.b()).isEqualTo(bAlone.get(Integer.toString(byK.k())));
            assertThat(byK.difference().value())
                    .isCloseTo(byK.b().value() - byK.a().value(), within(1e-12));
        }
        // 164 problems with pass rates drawn at random differ almost everywhere at k = 1.
        assertThat(comparison.byK().getFirst().pValueMethod()).isEqualTo(PValueMethod.MONTE_CARLO);
        assertThat(PairedComparison.compare(problems)).isEqualTo(comparison);
    }

    @Test
    void largestChangesAreTheTenLargestInProblemOrderAmongEquals() {
        List<PairedProblem> problems = new ArrayList<>();
        // Problem i changes by (i % 4) / 4: problems 3, 7, 11, ... change most, then 2, 6, 10, ...
        for (int i = 0; i < 20; i++) {
            problems.add(new PairedProblem("p" + i, new SampleCount(4, 0), new SampleCount(4, i % 4)));
        }

        List<RateChange> changes = PairedComparison.compare(problems).largestChanges();

        assertThat(changes)
                .extracting(RateChange::problemId)
                .containsExactly("p3", "p7", "p11", "p15", "p19", "p2", "p6", "p10", "p14", "p18");
        assertThat(changes.getFirst()).isEqualTo(new RateChange("p3", 0.0, 0.75, 0.75));
    }

    @Test
    void kStopsAtTheFewestSamplesOfEitherJob() {
        List<PairedProblem> problems = List.of(
                new PairedProblem("HumanEval/0", new SampleCount(10, 3), new SampleCount(2, 1)),
                new PairedProblem("HumanEval/1", new SampleCount(5, 0), new SampleCount(20, 20)));

        assertThat(PairedComparison.compare(problems).byK())
                .extracting(PassAtKDifference::k)
                .containsExactly(1, 2);
    }

    @Test
    void noCommonProblemsCompareToNothing() {
        Comparison comparison = PairedComparison.compare(List.of());

        assertThat(comparison.byK()).isEmpty();
        assertThat(comparison.mcnemar()).isNull();
        assertThat(comparison.method()).isEqualTo(PairedComparison.METHOD);
    }
}
