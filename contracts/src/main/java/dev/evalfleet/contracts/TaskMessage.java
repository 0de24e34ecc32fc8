package dev.evalfleet.contracts;

import java.util.List;
import java.util.UUID;

/**
 * One unit of work: generate {@code samples} answers to one problem and score each.
 *
 * @param taskId evalfleet's id of this task; results carry it back
 * @param jobId the job the task belongs to
 * @param endpoint name of the model endpoint configured on the workers
 * @param model model name passed to the endpoint
 * @param samples how many independent samples to draw (n)
 * @param generation sampling settings
 * @param timeoutSeconds wall-clock limit of one execution
 * @param problem the problem, its prompt and tests
 * @param completions when present, the samples are these human-eval completions (from an uploaded
 *     {@code samples.jsonl}): they are scored as they are and no model is called
 * @param strategy how answers are drawn; {@code null} means {@code single} (n independent samples)
 */
public record TaskMessage(
        UUID taskId,
        UUID jobId,
        String endpoint,
        String model,
        int samples,
        GenerationSettings generation,
        double timeoutSeconds,
        ProblemPayload problem,
        List<String> completions,
        RepairStrategy strategy) {

    /** Whether this task scores given completions instead of asking a model. */
    public boolean scoresGivenCompletions() {
        return completions != null;
    }

    /** Whether this task grows a self-repair tree instead of drawing independent samples. */
    public boolean repairs() {
        return strategy != null && strategy.repairs() && completions == null;
    }
}
