package dev.evalfleet.coordinator.job;

import dev.evalfleet.contracts.GenerationSettings;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Sampling settings of a job; absent values leave the model server's defaults. */
record GenerationRequest(
        @DecimalMin("0.0") @DecimalMax("2.0") @Schema(example = "0.2")
        Double temperature,

        @DecimalMin("0.0") @DecimalMax("1.0") @Schema(example = "0.95")
        Double topP,

        @Min(1) @Schema(example = "512") Integer maxTokens,
        @Schema(example = "42") Long seed,
        @Size(max = 8) List<String> stop) {

    GenerationSettings toSettings() {
        return new GenerationSettings(temperature, topP, maxTokens, seed, stop);
    }
}
