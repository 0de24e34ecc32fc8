package dev.evalfleet.coordinator.api;

/** The caller made more requests than its rate limit allows; it may try again after {@code retryAfterSeconds}. */
public class RateLimitedException extends RuntimeException {

    private final long allowed;
    private final long retryAfterSeconds;

    public RateLimitedException(long allowed, long retryAfterSeconds) {
        super("Rate limit requestsPerMinute is " + allowed + "; all of them are used; retry after " + retryAfterSeconds
                + " s");
        this.allowed = allowed;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long allowed() {
        return allowed;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
