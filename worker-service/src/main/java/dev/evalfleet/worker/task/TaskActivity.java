package dev.evalfleet.worker.task;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/** Counts of the tasks this worker holds now and has finished, for heartbeats. */
@Component
public class TaskActivity {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong done = new AtomicLong();

    void started() {
        inFlight.incrementAndGet();
    }

    void finished(boolean acknowledged) {
        inFlight.decrementAndGet();
        if (acknowledged) {
            done.incrementAndGet();
        }
    }

    public int inFlight() {
        return inFlight.get();
    }

    public long done() {
        return done.get();
    }
}
