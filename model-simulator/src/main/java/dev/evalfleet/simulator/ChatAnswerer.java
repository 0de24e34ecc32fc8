package dev.evalfleet.simulator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Finds the problem a chat is about and lets the behaviour answer it, counting attempts per problem. */
final class ChatAnswerer {

    private final ProblemSet problems;
    private final Behaviour behaviour;
    private final Map<String, AtomicInteger> attemptsByTaskId = new ConcurrentHashMap<>();

    ChatAnswerer(ProblemSet problems, Behaviour behaviour) {
        this.problems = problems;
        this.behaviour = behaviour;
    }

    /**
     * The answer to the last user message. Only answered requests take an attempt number, so
     * requests failed on purpose (HTTP 500) and then retried do not shift which attempts are correct.
     */
    String answer(String userMessage) {
        return problems.findIn(userMessage)
                .map(problem -> behaviour.answer(new Question(problem, userMessage, nextAttempt(problem))))
                .orElseGet(Answers::unknown);
    }

    private int nextAttempt(Problem problem) {
        return attemptsByTaskId
                .computeIfAbsent(problem.taskId(), id -> new AtomicInteger())
                .getAndIncrement();
    }
}
