package dev.evalfleet.coordinator.api;

/**
 * The request would take the caller past one of its quotas; nothing of it is stored.
 *
 * @see #limit() the quota's name, as the key's quotas name it
 */
public class QuotaExceededException extends RuntimeException {

    private final String limit;
    private final long allowed;
    private final long current;
    private final long requested;

    public QuotaExceededException(String limit, long allowed, long current, long requested) {
        super("Quota " + limit + " is " + allowed + "; in use: " + current + ", this request adds " + requested);
        this.limit = limit;
        this.allowed = allowed;
        this.current = current;
        this.requested = requested;
    }

    /** Throws unless {@code current + requested} stays within {@code allowed}. */
    public static void check(String limit, long allowed, long current, long requested) {
        if (current + requested > allowed) {
            throw new QuotaExceededException(limit, allowed, current, requested);
        }
    }

    public String limit() {
        return limit;
    }

    public long allowed() {
        return allowed;
    }

    public long current() {
        return current;
    }

    public long requested() {
        return requested;
    }
}
