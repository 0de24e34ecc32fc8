package dev.evalfleet.coordinator.comparison;

import dev.evalfleet.contracts.RepairStrategy;
import dev.evalfleet.coordinator.api.InvalidRequestException;
import dev.evalfleet.coordinator.api.NotFoundException;
import dev.evalfleet.coordinator.repair.RepairTrees;
import dev.evalfleet.coordinator.result.JobHeader;
import dev.evalfleet.coordinator.result.JobResults;
import dev.evalfleet.coordinator.result.ProblemResult;
import dev.evalfleet.coordinator.sample.SampleCount;
import dev.evalfleet.coordinator.statistics.PairedComparison;
import dev.evalfleet.coordinator.statistics.PairedProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Compares two jobs problem by problem. Problems are matched by task id, so two jobs on one dataset,
 * or on two datasets that share task ids, compare over the problems both have results for.
 */
@Service
class JobComparison {

    private final JobResults results;
    private final RepairTrees repairTrees;

    JobComparison(JobResults results, RepairTrees repairTrees) {
        this.results = results;
        this.repairTrees = repairTrees;
    }

    ComparisonView compare(UUID a, UUID b) {
        JobHeader jobA = results.job(a).orElseThrow(() -> new NotFoundException("No job with id " + a + " (a)"));
        JobHeader jobB = results.job(b).orElseThrow(() -> new NotFoundException("No job with id " + b + " (b)"));
        Side sideA = side(jobA);
        Side sideB = side(jobB);
        List<PairedProblem> common = new ArrayList<>();
        List<String> withoutResults = new ArrayList<>();
        sideA.outcomes().forEach((problem, outcomeA) -> {
            SampleCount outcomeB = sideB.outcomes().get(problem);
            if (outcomeB == null) {
                return;
            }
            if (outcomeA.samples() == 0 || outcomeB.samples() == 0) {
                withoutResults.add(problem);
            } else {
                common.add(new PairedProblem(problem, outcomeA, outcomeB));
            }
        });
        if (common.isEmpty()) {
            throw InvalidRequestException.field(
                    "b",
                    withoutResults.isEmpty()
                            ? "job " + b + " shares no problem (task id) with job " + a
                            : "jobs " + a + " and " + b + " have no common problem with results in both yet");
        }
        return new ComparisonView(
                sideA.view(common.size()),
                sideB.view(common.size()),
                common.stream().map(PairedProblem::problemId).toList(),
                withoutResults,
                PairedComparison.compare(common));
    }

    /**
     * A job's outcome per problem: its samples for independent samples; for a murphy job the answer it
     * returns after its last turn, as one sample, since its nodes are not independent samples.
     */
    private Side side(JobHeader job) {
        RepairStrategy strategy = repairTrees.strategy(job.strategy());
        Map<String, SampleCount> outcomes = new LinkedHashMap<>();
        long modelCalls = 0;
        if (strategy == null) {
            for (ProblemResult problem : results.problems(job.id())) {
                outcomes.put(problem.problem(), problem.count());
                modelCalls += problem.samples();
            }
        } else {
            for (ProblemResult problem : results.problems(job.id())) {
                outcomes.put(problem.problem(), new SampleCount(0, 0));
            }
            for (Map.Entry<String, RepairTrees.FinalAnswer> answer :
                    repairTrees.finalAnswers(job.id(), strategy).entrySet()) {
                outcomes.put(
                        answer.getKey(), new SampleCount(1, answer.getValue().passed() ? 1 : 0));
                modelCalls += answer.getValue().modelCalls();
            }
        }
        long problemsWithResults =
                outcomes.values().stream().filter(c -> c.samples() > 0).count();
        return new Side(
                job,
                strategy == null ? RepairStrategy.SINGLE : strategy.type(),
                outcomes,
                modelCalls,
                problemsWithResults);
    }

    private record Side(
            JobHeader job,
            String strategy,
            Map<String, SampleCount> outcomes,
            long modelCalls,
            long problemsWithResults) {

        ComparisonView.JobSide view(int commonProblems) {
            return new ComparisonView.JobSide(
                    job.id(),
                    job.datasetName(),
                    job.endpoint(),
                    job.model(),
                    strategy,
                    job.samplesPerProblem(),
                    job.status(),
                    problemsWithResults == 0 ? 0 : (double) modelCalls / problemsWithResults);
        }
    }
}
