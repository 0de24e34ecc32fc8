package dev.evalfleet.worker.model;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The model retries one task may still spend, shared by all its samples, so a flaky or dead
 * endpoint costs a task a bounded number of extra requests however many samples it draws.
 */
public final class RetryBudget {

    private final int retries;
    private final AtomicInteger left;

    private RetryBudget(int retries) {
        this.retries = retries;
        this.left = new AtomicInteger(retries);
    }

    public static RetryBudget of(int retries) {
        return new RetryBudget(Math.max(0, retries));
    }

    /** Takes one retry from the budget; {@code false} when none is left. */
    boolean trySpend() {
        return left.getAndUpdate(remaining -> remaining > 0 ? remaining - 1 : 0) > 0;
    }

    /** Retries spent so far: model requests repeated after a failure. */
    public int spent() {
        return retries - left.get();
    }

    /** Retries the task was given. */
    int retries() {
        return retries;
    }
}
