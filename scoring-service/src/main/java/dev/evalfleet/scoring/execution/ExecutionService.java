package dev.evalfleet.scoring.execution;

import dev.evalfleet.contracts.ExecutionRequest;
import dev.evalfleet.contracts.ExecutionResult;
import dev.evalfleet.contracts.Verdict;
import dev.evalfleet.scoring.sandbox.PythonRunner;
import dev.evalfleet.scoring.sandbox.RunLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Service;

/** Runs execution requests, at most {@code max-parallel} at a time across all callers. */
@Service
public class ExecutionService {

    private final PythonRunner runner;
    private final ExecutionRequestValidator validator;
    private final Calibration calibration;
    private final RunSlots slots;
    private final MeterRegistry meters;

    ExecutionService(
            PythonRunner runner,
            ExecutionRequestValidator validator,
            Calibration calibration,
            RunSlots slots,
            MeterRegistry meters) {
        this.runner = runner;
        this.validator = validator;
        this.calibration = calibration;
        this.slots = slots;
        this.meters = meters;
    }

    public ExecutionResult execute(ExecutionRequest request) {
        validator.validate(request);
        return run(request);
    }

    /** Runs the requests in parallel; the results are in the order of the requests. */
    public List<ExecutionResult> executeBatch(List<ExecutionRequest> requests) {
        validator.validateBatch(requests);
        // Virtual threads: each one only waits, for a slot and then for its python process.
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ExecutionResult>> futures = requests.stream()
                    .map(request -> executor.submit(() -> run(request)))
                    .toList();
            return futures.stream().map(ExecutionService::join).toList();
        }
    }

    private ExecutionResult run(ExecutionRequest request) {
        ExecutionResult result;
        try {
            // outside a slot: the reference's own run takes one
            RunLimits limits = calibration.limits(request);
            result = slots.inSlot(() -> runner.run(request.program(), request.tests(), limits));
        } catch (ReferenceUnavailableException e) {
            // only input tests need their reference to run at all; their inputs are not known here
            result = new ExecutionResult(
                    Verdict.ERROR, 0, 0, List.of(), e.getMessage(), 0, runner.sandboxName(), false, e.limit());
        }
        Timer.builder("evalfleet.scoring.executions")
                .description("Program runs against their tests, by verdict")
                .tag("verdict", result.verdict().name())
                .register(meters)
                .record(result.executionMillis(), TimeUnit.MILLISECONDS);
        return result;
    }

    private static ExecutionResult join(Future<ExecutionResult> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("A run of the batch failed", e.getCause());
        }
    }
}
