package dev.evalfleet.coordinator.access;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;

/**
 * A new API key.
 *
 * @param name who or what uses it (a person, a CI job); jobs and datasets it creates record it
 * @param role {@code viewer}, {@code evaluator} or {@code admin}
 * @param expiresAt when it stops working; never when omitted
 * @param quotas its own quotas where the defaults should not hold
 */
record CreateKeyRequest(
        @NotBlank
        @Pattern(
                regexp = "[A-Za-z0-9][A-Za-z0-9._@-]{0,99}",
                message = "must be 1-100 letters, digits, '.', '_', '@' or '-', starting with a letter or digit")
        String name,

        @NotNull @Pattern(regexp = "(?i)viewer|evaluator|admin", message = "must be viewer, evaluator or admin")
        String role,

        Instant expiresAt,
        @Valid KeyQuotas quotas) {}
