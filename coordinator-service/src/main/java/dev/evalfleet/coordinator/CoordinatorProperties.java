package dev.evalfleet.coordinator;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/** Every setting of the coordinator, under {@code evalfleet.coordinator}. */
@ConfigurationProperties("evalfleet.coordinator")
@Validated
public record CoordinatorProperties(
        @Valid @DefaultValue Limits limits,
        @Valid @DefaultValue Outbox outbox,
        @Valid @DefaultValue Dispatch dispatch,
        @Valid @DefaultValue Results results,
        @Valid @DefaultValue Workers workers,
        @Valid @DefaultValue Access access) {

    /**
     * What a request may ask for. A job that names no {@code timeoutSeconds} has no limit of its own:
     * the scoring service calibrates one on the problem's reference solution.
     */
    public record Limits(
            @DefaultValue("64MB") DataSize maxUploadSize,
            @DefaultValue("200") @Min(1) int maxSamplesPerProblem,
            @DefaultValue("60s") Duration maxTimeout,
            @DefaultValue("50") @Min(1) int maxReportedErrors) {

        /** A gzip upload may inflate; a generous multiple of the upload limit, no more (no gzip bombs). */
        public long maxDecompressedSize() {
            return maxUploadSize.toBytes() * 16;
        }
    }

    /**
     * How tasks are handed out: the dispatcher runs when a result or a worker's feedback frees
     * capacity, and every {@code interval} besides; a server that pushes back lowers the endpoint's
     * effective capacity at most once per {@code pushbackCooldown}.
     */
    public record Dispatch(
            @DefaultValue("200ms") Duration interval,
            @DefaultValue("1s") Duration pushbackCooldown) {}

    /** How the transactional outbox relay publishes. */
    public record Outbox(
            @DefaultValue("500ms") Duration pollInterval,
            @DefaultValue("200") @Min(1) int batchSize,
            @DefaultValue("10s") Duration confirmTimeout) {}

    /**
     * How results are recorded and followed: while PostgreSQL is unreachable a result is retried in
     * place for up to {@code databasePatience}, then returned to the queue; it is never dropped. A job's
     * event stream looks for news every {@code eventInterval} and ends after {@code eventStreamTimeout}
     * (a client reconnects and carries on).
     */
    public record Results(
            @DefaultValue("2m") Duration databasePatience,
            @DefaultValue("500ms") Duration eventInterval,
            @DefaultValue("1h") Duration eventStreamTimeout) {}

    /** When a worker that stopped sending heartbeats is shown as STALE, then GONE. */
    public record Workers(
            @DefaultValue("15s") Duration staleAfter,
            @DefaultValue("60s") Duration goneAfter) {}

    /**
     * Who may use the API. {@code adminKey} is stored at start as the admin key {@code bootstrap-admin}
     * (the first key of a new installation); {@code quotas} are what a key or token may use unless the
     * key names its own; {@code jwt} says which claims of an identity provider's token name the caller
     * and its role (the decoder itself is Spring Boot's {@code spring.security.oauth2.resourceserver.jwt}).
     */
    public record Access(
            String adminKey,
            @Valid @DefaultValue DefaultQuotas quotas,
            @Valid @DefaultValue Jwt jwt,
            @Valid @DefaultValue Oidc oidc,
            @DefaultValue("64KB") DataSize maxJsonBody) {}

    /**
     * The dashboard's "Sign in with …": the identity provider's public client for the browser
     * (authorization code with PKCE) at {@code issuer}, the resource server's issuer unless set. No
     * client id, no such button: API keys and pasted tokens still work.
     */
    public record Oidc(
            String issuer,
            String clientId,
            @DefaultValue("openid profile") String scope,
            String name) {}

    /**
     * What one caller may hold at once: jobs not yet finished, model requests (samples × problems) of
     * its tasks not yet done, the size of one dataset upload and the number of its datasets; and how
     * many requests it may make per minute.
     */
    public record DefaultQuotas(
            @DefaultValue("4") @Min(0) int runningJobs,
            @DefaultValue("100000") @Min(0) long queuedRequests,
            @DefaultValue("64MB") DataSize uploadSize,
            @DefaultValue("100") @Min(0) int datasets,
            @DefaultValue("600") @Min(1) int requestsPerMinute) {}

    /** The claims of a JWT that name the caller and carry its role ({@code viewer}, {@code evaluator}, {@code admin}). */
    public record Jwt(
            @DefaultValue("sub") String nameClaim,
            @DefaultValue("roles") String rolesClaim) {}
}
