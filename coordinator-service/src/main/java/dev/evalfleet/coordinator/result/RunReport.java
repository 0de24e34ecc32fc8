package dev.evalfleet.coordinator.result;

import java.util.Map;
import java.util.UUID;

/**
 * Where a job's time went, from the coordinator's timestamps and those the workers reported. Times
 * summed over tasks or samples overlap (many run at once); compare them with {@code wallSeconds}.
 *
 * @param wallSeconds from the job's creation to its end (to now while it runs)
 * @param timeToFirstResultSeconds from the job's creation to its first task's result being stored
 * @param phases time summed over the job's tasks and samples, by phase
 * @param modelBusyShare share of the wall time when at least one of the job's model requests was in
 *     flight; {@code null} when the workers reported no generation start times
 * @param modelRequests model requests that produced a stored sample
 * @param generationMs latency of one model request
 * @param scoringMs latency of one scoring run
 * @param queueWaitSeconds per task: from its message's publication to a worker receiving it
 * @param storingSeconds per task: from the worker having the result to the coordinator storing it
 * @param redeliveries deliveries beyond the first, summed over tasks (a worker died or gave the task back)
 * @param modelRetries model requests the workers repeated after a failure
 * @param failedTasksByCause FAILED tasks by cause (their reason up to its first colon)
 * @param samplesByVerdict stored samples by verdict
 * @param workerSeconds per task, from a worker receiving it to its result being ready, summed
 * @param workerSecondsPerWallSecond {@code workerSeconds / wallSeconds}: how many tasks were in work at
 *     once, on average
 * @param tasksWithTimings tasks whose worker reported timings (older workers do not)
 */
public record RunReport(
        UUID jobId,
        String status,
        double wallSeconds,
        Double timeToFirstResultSeconds,
        Phases phases,
        Double modelBusyShare,
        long modelRequests,
        double requestsPerSecond,
        long tokens,
        double tokensPerSecond,
        Latency generationMs,
        Latency scoringMs,
        Latency queueWaitSeconds,
        Latency storingSeconds,
        long redeliveries,
        long modelRetries,
        Map<String, Long> failedTasksByCause,
        Map<String, Long> samplesByVerdict,
        double workerSeconds,
        double workerSecondsPerWallSecond,
        long tasksWithTimings) {

    /**
     * Seconds summed by phase.
     *
     * @param dispatchSeconds per task, from its creation to its message's publication
     * @param queueWaitSeconds per task, from publication to a worker receiving it
     * @param generationSeconds per sample, the model request
     * @param scoringSeconds per sample, the scoring run
     * @param storingSeconds per task, from the worker's result to the coordinator storing it
     */
    public record Phases(
            double dispatchSeconds,
            double queueWaitSeconds,
            double generationSeconds,
            double scoringSeconds,
            double storingSeconds) {}

    /** Median, 95th percentile and mean; {@code null} without observations. */
    public record Latency(Double p50, Double p95, Double mean) {}
}
