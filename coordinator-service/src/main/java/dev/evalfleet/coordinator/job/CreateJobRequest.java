package dev.evalfleet.coordinator.job;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.util.List;
import java.util.UUID;

/**
 * What a user asks for when starting an evaluation. The dataset is named by id, or by name (the
 * newest dataset of that name).
 */
@Schema(example = """
        {"dataset": "sample-problems", "endpoint": "reference", "model": "reference", "samplesPerProblem": 1}
        """)
record CreateJobRequest(
        @Schema(description = "Id of the dataset; give this or 'dataset'")
        UUID datasetId,

        @Schema(
                description = "Name of the dataset (newest of that name); give this or 'datasetId'",
                example = "sample-problems")
        String dataset,

        @Schema(
                description = "Task ids of the problems to run; all when absent",
                example = "[\"Sample/0\", \"Sample/1\"]")
        List<@NotBlank String> problems,

        @NotBlank
        @Schema(
                description = "Name of a model endpoint served by the workers (see GET /api/endpoints)",
                example = "reference")
        String endpoint,

        @NotBlank @Schema(description = "Model name passed to the endpoint", example = "qwen2.5-coder:7b")
        String model,

        @Min(1) @Schema(description = "Samples per problem (n); default 1", example = "1")
        Integer samplesPerProblem,

        @Valid GenerationRequest generation,

        @Valid
        @Schema(description = "single (default): n independent samples; murphy: multi-turn self-repair, see README")
        StrategyRequest strategy,

        @Positive
        @Schema(
                description = "Fixed wall-clock limit of one execution in seconds. When absent, the limit is"
                        + " calibrated per problem on its reference solution: max(floor, factor x reference time)",
                example = "3")
        Double timeoutSeconds,

        @Min(-1000)
        @Max(1000)
        @Schema(
                description = "Jobs on the same endpoint with a higher priority are dispatched first; jobs of equal"
                        + " priority share its capacity. Default 0",
                example = "0")
        Integer priority) {}
