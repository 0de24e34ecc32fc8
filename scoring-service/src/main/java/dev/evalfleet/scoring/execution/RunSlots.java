package dev.evalfleet.scoring.execution;

import dev.evalfleet.scoring.ScoringProperties;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/** At most {@code max-parallel} runs at a time across all callers, reference runs included. */
@Component
class RunSlots {

    // Fair, so a batch's runs start roughly in order and a single request is not starved by batches.
    private final Semaphore slots;

    RunSlots(ScoringProperties properties) {
        this.slots = new Semaphore(properties.execution().parallelism(), true);
    }

    <T> T inSlot(Supplier<T> run) {
        slots.acquireUninterruptibly();
        try {
            return run.get();
        } finally {
            slots.release();
        }
    }
}
