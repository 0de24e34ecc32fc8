package dev.evalfleet.worker.repair;

import dev.evalfleet.contracts.ExecutionRequest;
import dev.evalfleet.contracts.ExecutionResult;
import dev.evalfleet.contracts.GenerationSettings;
import dev.evalfleet.contracts.ProblemPayload;
import dev.evalfleet.contracts.RepairNode;
import dev.evalfleet.contracts.RepairStrategy;
import dev.evalfleet.contracts.SampleResult;
import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.worker.SideBySide;
import dev.evalfleet.worker.extraction.ChatPrompt;
import dev.evalfleet.worker.extraction.Completion;
import dev.evalfleet.worker.extraction.CompletionExtractor;
import dev.evalfleet.worker.model.ModelAnswer;
import dev.evalfleet.worker.model.ModelEndpoint;
import dev.evalfleet.worker.model.ModelRequest;
import dev.evalfleet.worker.model.RetryBudget;
import dev.evalfleet.worker.scoring.ScoringClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.stereotype.Component;

/**
 * Multi-turn self-repair ("Murphy", arXiv 2511.07833) for one problem: G candidates in turn 1, then
 * each turn the failed nodes that survive pruning get one child generated from {@link RepairPrompt}.
 * Every node is returned as a sample with its {@link RepairNode}: its reward on the feedback tests,
 * its verdict on the hidden tests, and both credits.
 */
@Component
public class SelfRepair {

    private final CompletionExtractor extractor;
    private final ScoringClient scoring;

    public SelfRepair(CompletionExtractor extractor, ScoringClient scoring) {
        this.extractor = extractor;
        this.scoring = scoring;
    }

    /** A node as it was generated and run, before credits are known. */
    private record Attempt(
            int index,
            int turn,
            Integer parent,
            ChatPrompt prompt,
            ModelAnswer answer,
            Completion completion,
            ExecutionResult hidden,
            ExecutionResult feedbackRun,
            double reward) {

        RepairTree.Node node() {
            return new RepairTree.Node(index, parent, turn, reward);
        }
    }

    /**
     * Grows the tree of {@code task}'s problem.
     *
     * @throws RuntimeException the model's or scoring's failure, which fails the task
     * @throws InterruptedException when the task is cancelled or the worker is stopping
     */
    public List<SampleResult> grow(TaskMessage task, ModelEndpoint endpoint, RetryBudget budget, GenerationSeeds seeds)
            throws InterruptedException {
        RepairStrategy strategy = task.strategy();
        ProblemPayload problem = task.problem();
        List<Attempt> attempts = new ArrayList<>();
        ChatPrompt first = ChatPrompt.forProblem(problem);
        List<Callable<Attempt>> turn = new ArrayList<>();
        for (int i = 0; i < strategy.candidates(); i++) {
            int index = i;
            turn.add(() -> attempt(task, endpoint, budget, seeds, index, 1, null, first));
        }
        attempts.addAll(SideBySide.all(turn));
        for (int t = 1; t < strategy.turns(); t++) {
            List<RepairTree.Node> toRepair = tree(attempts).toRepair(t, strategy.pruningBudget());
            if (toRepair.isEmpty()) {
                break; // every branch passed its feedback tests
            }
            List<Callable<Attempt>> next = new ArrayList<>();
            int index = attempts.size();
            for (RepairTree.Node parent : toRepair) {
                Attempt previous = attempts.get(parent.index());
                ChatPrompt prompt = RepairPrompt.of(
                        problem,
                        previous.completion().program(),
                        previous.feedbackRun().feedback());
                int childIndex = index++;
                int childTurn = t + 1;
                next.add(() -> attempt(task, endpoint, budget, seeds, childIndex, childTurn, parent.index(), prompt));
            }
            attempts.addAll(SideBySide.all(next));
        }
        Map<Integer, RepairTree.Credit> credits = tree(attempts).credits(strategy.gamma());
        return attempts.stream()
                .map(a -> sample(a, credits.get(a.index()), strategy.oracleFeedback()))
                .toList();
    }

    /** How each node's sampling settings are derived, so the caller keeps its seed scheme. */
    public interface GenerationSeeds {
        GenerationSettings forNode(int index);
    }

    private Attempt attempt(
            TaskMessage task,
            ModelEndpoint endpoint,
            RetryBudget budget,
            GenerationSeeds seeds,
            int index,
            int turn,
            Integer parent,
            ChatPrompt prompt)
            throws InterruptedException {
        ProblemPayload problem = task.problem();
        ModelAnswer answer =
                endpoint.answer(new ModelRequest(task.model(), prompt, seeds.forNode(index), problem), budget);
        Completion completion = extractor.extract(problem, answer.text());
        Double timeout = task.timeoutSeconds() > 0 ? task.timeoutSeconds() : null;
        ExecutionResult hidden = scoring.execute(new ExecutionRequest(completion.program(), problem.tests(), timeout));
        ExecutionResult feedbackRun = task.strategy().oracleFeedback()
                ? hidden
                : scoring.execute(new ExecutionRequest(completion.program(), feedbackSuite(problem), timeout));
        return new Attempt(index, turn, parent, prompt, answer, completion, hidden, feedbackRun, reward(feedbackRun));
    }

    static TestSuite feedbackSuite(ProblemPayload problem) {
        return VisibleTests.suite(problem);
    }

    /** The share of feedback tests passed; a run that reports no tests earns nothing. */
    static double reward(ExecutionResult run) {
        return run.testsTotal() == 0 ? 0.0 : (double) run.testsPassed() / run.testsTotal();
    }

    private static RepairTree tree(List<Attempt> attempts) {
        return new RepairTree(attempts.stream().map(Attempt::node).toList());
    }

    private static SampleResult sample(Attempt attempt, RepairTree.Credit credit, boolean oracle) {
        ExecutionResult hidden = attempt.hidden();
        ExecutionResult feedbackRun = attempt.feedbackRun();
        RepairNode node = new RepairNode(
                attempt.turn(),
                attempt.parent(),
                attempt.prompt().user(),
                attempt.reward(),
                feedbackRun.testsPassed(),
                feedbackRun.testsTotal(),
                attempt.reward() < 1.0 ? feedbackRun.feedback() : "",
                credit.mars(),
                credit.mers(),
                oracle);
        return new SampleResult(
                attempt.index(),
                attempt.answer().text(),
                attempt.completion().completion(),
                hidden.verdict(),
                hidden.testsPassed(),
                hidden.testsTotal(),
                hidden.feedback(),
                hidden.executionMillis() + (feedbackRun == hidden ? 0 : feedbackRun.executionMillis()),
                attempt.answer().generationMillis(),
                attempt.answer().promptTokens(),
                attempt.answer().completionTokens(),
                node,
                hidden.passedBase(),
                hidden.timeLimit(),
                attempt.answer().generationStartedAt());
    }
}
