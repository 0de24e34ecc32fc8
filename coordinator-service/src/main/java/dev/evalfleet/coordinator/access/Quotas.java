package dev.evalfleet.coordinator.access;

import dev.evalfleet.coordinator.CoordinatorProperties.DefaultQuotas;

/**
 * What one caller may hold at once and how fast it may ask. Viewers and evaluators start from the
 * coordinator's defaults, admins from none; a key may name its own.
 *
 * @param runningJobs jobs not yet finished
 * @param queuedRequests model requests (samples × problems) of its tasks not yet done
 * @param uploadBytes the size of one dataset upload
 * @param datasets datasets it imported
 * @param requestsPerMinute API requests per minute
 */
public record Quotas(int runningJobs, long queuedRequests, long uploadBytes, int datasets, int requestsPerMinute) {

    /** An admin's unless its key names its own: the operator is not held to the callers' defaults. */
    static final Quotas NONE =
            new Quotas(Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

    static Quotas of(DefaultQuotas defaults) {
        return new Quotas(
                defaults.runningJobs(),
                defaults.queuedRequests(),
                defaults.uploadSize().toBytes(),
                defaults.datasets(),
                defaults.requestsPerMinute());
    }

    /** These quotas, each replaced by the key's own where it names one. */
    Quotas with(Integer runningJobs, Long queuedRequests, Long uploadBytes, Integer datasets, Integer perMinute) {
        return new Quotas(
                runningJobs != null ? runningJobs : this.runningJobs,
                queuedRequests != null ? queuedRequests : this.queuedRequests,
                uploadBytes != null ? uploadBytes : this.uploadBytes,
                datasets != null ? datasets : this.datasets,
                perMinute != null ? perMinute : this.requestsPerMinute);
    }
}
