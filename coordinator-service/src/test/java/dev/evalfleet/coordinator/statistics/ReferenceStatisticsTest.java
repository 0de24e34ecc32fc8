package dev.evalfleet.coordinator.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.evalfleet.coordinator.sample.SampleCount;
import dev.evalfleet.coordinator.statistics.Comparison.PassAtKDifference;
import dev.evalfleet.coordinator.statistics.Comparison.RateChange;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks the statistics against figures that reference_statistics.py computed independently (exact
 * combinatorics, numpy's generator with 200,000 resamples); the script is beside the fixture.
 */
class ReferenceStatisticsTest {

    private static final double EXACT = 1e-9;

    private static JsonNode fixture() throws IOException {
        try (InputStream in =
                ReferenceStatisticsTest.class.getResourceAsStream("/statistics/reference_statistics.json")) {
            return JsonMapper.builder().build().readTree(in);
        }
    }

    private static Stream<Named<JsonNode>> cases(String kind) throws IOException {
        List<Named<JsonNode>> cases = new ArrayList<>();
        fixture().get(kind).forEach(node -> cases.add(Named.of(node.get("name").asString(), node)));
        return cases.stream();
    }

    static Stream<Named<JsonNode>> singleCases() throws IOException {
        return cases("single");
    }

    static Stream<Named<JsonNode>> meanCases() throws IOException {
        return cases("mean");
    }

    static Stream<Named<JsonNode>> pairedCases() throws IOException {
        return cases("paired");
    }

    @ParameterizedTest
    @MethodSource("singleCases")
    void passAtKMatchesTheReference(JsonNode reference) {
        List<SampleCount> problems = new ArrayList<>();
        reference
                .get("problems")
                .forEach(p -> problems.add(new SampleCount(
                        p.get("samples").asInt(), p.get("passed").asInt())));

        Map<String, Estimate> report = Bootstrap.passAtK(problems);

        assertThat(report.keySet())
                .containsExactlyElementsOf(reference.get("passAtK").propertyNames());
        report.forEach((k, estimate) ->
                assertMatches("pass@" + k, estimate, reference.get("passAtK").get(k)));
    }

    @ParameterizedTest
    @MethodSource("meanCases")
    void meanMatchesTheReference(JsonNode reference) {
        double[] values = new double[reference.get("values").size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = reference.get("values").get(i).asDouble();
        }

        assertMatches("mean", Bootstrap.mean(values), reference.get("mean"));
    }

    @ParameterizedTest
    @MethodSource("pairedCases")
    void pairedComparisonMatchesTheReference(JsonNode reference) {
        List<PairedProblem> problems = new ArrayList<>();
        reference
                .get("problems")
                .forEach(p -> problems.add(new PairedProblem(
                        p.get("problemId").asString(),
                        new SampleCount(
                                p.get("samplesA").asInt(), p.get("passedA").asInt()),
                        new SampleCount(
                                p.get("samplesB").asInt(), p.get("passedB").asInt()))));

        Comparison comparison = PairedComparison.compare(problems);

        assertThat(comparison.problems()).isEqualTo(problems.size());
        assertThat(comparison.byK()).hasSize(reference.get("byK").size());
        for (int i = 0; i < comparison.byK().size(); i++) {
            PassAtKDifference byK = comparison.byK().get(i);
            JsonNode expected = reference.get("byK").get(i);
            String k = "pass@" + expected.get("k").asInt();
            assertThat(byK.k()).isEqualTo(expected.get("k").asInt());
            assertMatches(k + " of a", byK.a(), expected.get("a"));
            assertMatches(k + " of b", byK.b(), expected.get("b"));
            assertMatches(k + " of b - a", byK.difference(), expected.get("difference"));
            assertThat(byK.pValueMethod().name())
                    .as(k + " p-value method")
                    .isEqualTo(expected.get("pValueMethod").asString());
            double p = expected.get("pValue").asDouble();
            assertThat(byK.pValue())
                    .as(k + " p-value, exact to 1e-9 or within 4 Monte Carlo standard errors of 10,000 permutations")
                    .isCloseTo(
                            p,
                            within(
                                    byK.pValueMethod() == Comparison.PValueMethod.EXACT
                                            ? EXACT
                                            : monteCarloTolerance(p)));
        }
        assertMcNemar(comparison, reference.get("mcnemar"));
        assertThat(comparison.solvedOnlyByA()).containsExactlyElementsOf(strings(reference.get("solvedOnlyByA")));
        assertThat(comparison.solvedOnlyByB()).containsExactlyElementsOf(strings(reference.get("solvedOnlyByB")));
        assertThat(comparison.largestChanges())
                .hasSize(reference.get("largestChanges").size());
        for (int i = 0; i < comparison.largestChanges().size(); i++) {
            RateChange change = comparison.largestChanges().get(i);
            JsonNode expected = reference.get("largestChanges").get(i);
            assertThat(change.problemId()).isEqualTo(expected.get("problemId").asString());
            assertThat(change.rateA()).isCloseTo(expected.get("rateA").asDouble(), within(EXACT));
            assertThat(change.rateB()).isCloseTo(expected.get("rateB").asDouble(), within(EXACT));
            assertThat(change.change()).isCloseTo(expected.get("change").asDouble(), within(EXACT));
        }
    }

    /** 4 standard errors of a proportion over 10,000 draws, plus the (count + 1) / (R + 1) shift. */
    private static double monteCarloTolerance(double p) {
        return 4 * Math.sqrt(p * (1 - p) / PairedComparison.PERMUTATIONS) + 2.0 / PairedComparison.PERMUTATIONS;
    }

    private static void assertMcNemar(Comparison comparison, JsonNode expected) {
        if (expected.isNull()) {
            assertThat(comparison.mcnemar()).isNull();
            return;
        }
        assertThat(comparison.mcnemar().solvedOnlyByA())
                .isEqualTo(expected.get("solvedOnlyByA").asInt());
        assertThat(comparison.mcnemar().solvedOnlyByB())
                .isEqualTo(expected.get("solvedOnlyByB").asInt());
        assertThat(comparison.mcnemar().pValue())
                .isCloseTo(expected.get("pValue").asDouble(), within(EXACT));
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(node -> strings.add(node.asString()));
        return strings;
    }

    /**
     * Value and standard error to 1e-9. A percentile from 10,000 resamples sits at an empirical
     * proportion whose standard error is sqrt(0.025 * 0.975 / 10,000) = 0.0016, so it lies between the
     * reference's 2.0th and 3.0th percentiles (97.0th and 98.0th for the upper bound) unless it is off
     * by more than 3 standard errors; unlike a fixed absolute tolerance this also holds where the
     * resampled means fall on a coarse lattice (0/1 outcomes, few problems).
     */
    private static void assertMatches(String what, Estimate estimate, JsonNode expected) {
        JsonNode q = expected.get("quantiles");
        assertThat(estimate.value())
                .as(what + " value")
                .isCloseTo(expected.get("value").asDouble(), within(EXACT));
        assertThat(estimate.standardError())
                .as(what + " standard error")
                .isCloseTo(expected.get("standardError").asDouble(), within(EXACT));
        assertThat(estimate.low())
                .as(what + " low between the reference's 2.0th and 3.0th percentiles")
                .isBetween(q.get("0.02").asDouble() - EXACT, q.get("0.03").asDouble() + EXACT);
        assertThat(estimate.high())
                .as(what + " high between the reference's 97.0th and 98.0th percentiles")
                .isBetween(q.get("0.97").asDouble() - EXACT, q.get("0.98").asDouble() + EXACT);
    }
}
