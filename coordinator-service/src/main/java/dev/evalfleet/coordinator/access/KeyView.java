package dev.evalfleet.coordinator.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * An API key as the API shows it: never the key itself, but for {@code key} in the answer to its
 * creation, the only time it is shown.
 *
 * @param prefix the key's first characters, to tell keys apart
 * @param quotas what the key may use, its own quotas and the defaults
 */
record KeyView(
        UUID id,
        String name,
        String role,
        String prefix,
        @JsonInclude(JsonInclude.Include.NON_NULL) String key,
        Quotas quotas,
        Instant createdAt,
        String createdBy,
        Instant expiresAt,
        Instant revokedAt,
        Instant lastUsedAt) {}
