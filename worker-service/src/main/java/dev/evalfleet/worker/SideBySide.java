package dev.evalfleet.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a task's samples (or a turn's repair nodes) side by side on virtual threads, all or nothing:
 * the first failure cancels the rest. The model endpoint's permits bound the actual load.
 */
public final class SideBySide {

    private SideBySide() {}

    /**
     * The results in the order of {@code work}.
     *
     * @throws RuntimeException the first failure (a checked one wrapped in {@link IllegalStateException})
     * @throws InterruptedException when the calling thread is interrupted; the work is cancelled
     */
    public static <T> List<T> all(List<Callable<T>> work) throws InterruptedException {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = work.stream().map(threads::submit).toList();
            List<T> done = new ArrayList<>();
            try {
                for (Future<T> future : futures) {
                    done.add(future.get());
                }
            } catch (ExecutionException failure) {
                futures.forEach(future -> future.cancel(true));
                if (failure.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(failure.getCause());
            } catch (InterruptedException interrupted) {
                futures.forEach(future -> future.cancel(true));
                throw interrupted;
            }
            return done;
        }
    }
}
