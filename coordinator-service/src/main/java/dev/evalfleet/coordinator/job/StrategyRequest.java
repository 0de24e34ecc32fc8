package dev.evalfleet.coordinator.job;

import dev.evalfleet.contracts.RepairStrategy;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * How a job draws its answers: {@code single} (n independent samples, the default) or {@code murphy}
 * (multi-turn self-repair). Absent murphy parameters take their defaults.
 */
@Schema(example = """
        {"type": "murphy", "candidates": 4, "turns": 2, "pruningBudget": 3, "credit": "mars", "gamma": 0.9, "feedback": "visible"}
        """)
record StrategyRequest(
        @NotNull @Pattern(regexp = "single|murphy", message = "must be single or murphy")
        String type,

        @Min(1) @Max(64) @Schema(description = "Turn-1 candidates per problem (G); default 4")
        Integer candidates,

        @Min(1) @Max(8) @Schema(description = "Turns including the first (S); default 2")
        Integer turns,

        @Min(1) @Max(64) @Schema(description = "Failed nodes of a turn that get a child (b); default 3")
        Integer pruningBudget,

        @Pattern(regexp = "mars|mers", message = "must be mars or mers")
        @Schema(description = "Credit reported per node; default mars")
        String credit,

        @DecimalMin(value = "0.0", inclusive = false)
        @DecimalMax("1.0")
        @Schema(description = "MeRS discount; default 0.9")
        Double gamma,

        @Pattern(regexp = "visible|full", message = "must be visible or full")
        @Schema(
                description =
                        "visible: tests shown in the problem; full: the hidden tests (oracle feedback); default visible")
        String feedback) {

    /** The strategy with defaults filled in; {@code null} for {@code single}. */
    RepairStrategy toStrategy() {
        if (!RepairStrategy.MURPHY.equals(type)) {
            return null;
        }
        RepairStrategy defaults = RepairStrategy.murphyDefaults();
        return new RepairStrategy(
                RepairStrategy.MURPHY,
                candidates == null ? defaults.candidates() : candidates,
                turns == null ? defaults.turns() : turns,
                pruningBudget == null ? defaults.pruningBudget() : pruningBudget,
                credit == null ? defaults.credit() : credit,
                gamma == null ? defaults.gamma() : gamma,
                feedback == null ? defaults.feedback() : feedback);
    }
}
