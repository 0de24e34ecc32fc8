package dev.evalfleet.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The model server's slots: at most {@link SimulatorConfig.Capacity#slots()} chat requests are
 * served at once, the others wait in arrival order (a fair semaphore is FIFO), and beyond the queue
 * limit a request is refused. Keeps what a benchmark needs to see how full the server was.
 */
final class ServingSlots {

    private final SimulatorConfig.Capacity capacity;
    private final Semaphore slots;
    // requests in flight plus those waiting; admission is decided on it alone, so it is exact
    private final AtomicInteger admitted = new AtomicInteger();

    // Statistics, all guarded by this; a few hundred requests a second at most, a lock is cheap.
    private int inFlight;
    private int peakInFlight;
    private int queued;
    private int peakQueued;
    private long served;
    private long rejected;
    private long queueWaitNanos;
    private long maxQueueWaitNanos;
    private long busyNanos;
    private Instant firstStarted;
    private Instant lastEnded;

    ServingSlots(SimulatorConfig.Capacity capacity) {
        this.capacity = capacity;
        this.slots = capacity.limited() ? new Semaphore(capacity.slots(), true) : null;
    }

    /** A request holding a slot; closing it gives the slot back and records its service time. */
    final class Slot implements AutoCloseable {

        private final long startedNanos = System.nanoTime();

        private Slot() {}

        /** Service time so far: from getting the slot to now. */
        Duration served() {
            return Duration.ofNanos(System.nanoTime() - startedNanos);
        }

        @Override
        public void close() {
            long took = System.nanoTime() - startedNanos;
            synchronized (ServingSlots.this) {
                inFlight--;
                served++;
                busyNanos += took;
                lastEnded = Instant.now();
            }
            // admission first, so a request arriving now is not refused for a slot about to be free
            admitted.decrementAndGet();
            if (slots != null) {
                slots.release();
            }
        }
    }

    /**
     * Waits for a slot in arrival order.
     *
     * @return the slot, or {@code null} when the queue is full and the request is refused
     */
    Slot acquire() throws InterruptedException {
        if (!admit()) {
            synchronized (this) {
                rejected++;
            }
            return null;
        }
        long arrived = System.nanoTime();
        synchronized (this) {
            queued++;
            peakQueued = Math.max(peakQueued, queued);
        }
        try {
            if (slots != null) {
                slots.acquire();
            }
        } catch (InterruptedException e) {
            synchronized (this) {
                queued--;
            }
            admitted.decrementAndGet();
            throw e;
        }
        long waited = System.nanoTime() - arrived;
        synchronized (this) {
            queued--;
            inFlight++;
            peakInFlight = Math.max(peakInFlight, inFlight);
            queueWaitNanos += waited;
            maxQueueWaitNanos = Math.max(maxQueueWaitNanos, waited);
            if (firstStarted == null) {
                firstStarted = Instant.now();
            }
        }
        return new Slot();
    }

    private boolean admit() {
        if (!capacity.queueBounded()) {
            admitted.incrementAndGet();
            return true;
        }
        int most = capacity.slots() + capacity.queueLimit();
        while (true) {
            int now = admitted.get();
            if (now >= most) {
                return false;
            }
            if (admitted.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    synchronized SimulatorStats.Serving snapshot() {
        Double span = firstStarted == null || lastEnded == null
                ? null
                : Duration.between(firstStarted, lastEnded).toNanos() / 1e9;
        Double busyShare =
                span == null || span <= 0 || !capacity.limited() ? null : busyNanos / 1e9 / (capacity.slots() * span);
        return new SimulatorStats.Serving(
                capacity.slots(),
                capacity.queueBounded() ? capacity.queueLimit() : null,
                inFlight,
                peakInFlight,
                queued,
                peakQueued,
                served,
                rejected,
                queueWaitNanos / 1e9,
                maxQueueWaitNanos / 1e9,
                busyNanos / 1e9,
                firstStarted == null ? null : firstStarted.toString(),
                lastEnded == null ? null : lastEnded.toString(),
                span,
                busyShare);
    }

    /** Starts the statistics afresh; requests in flight or waiting stay counted as such. */
    synchronized void reset() {
        peakInFlight = inFlight;
        peakQueued = queued;
        served = 0;
        rejected = 0;
        queueWaitNanos = 0;
        maxQueueWaitNanos = 0;
        busyNanos = 0;
        firstStarted = null;
        lastEnded = null;
    }
}
