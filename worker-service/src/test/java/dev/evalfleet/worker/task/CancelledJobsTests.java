package dev.evalfleet.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evalfleet.worker.WorkerProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CancelledJobsTests {

    private final MutableClock clock = new MutableClock();

    @Test
    void cancelledJobIsForgottenAfterTheRetention() {
        CancelledJobs jobs = new CancelledJobs(new WorkerProperties.Cancellation(Duration.ofHours(24), 100), clock);
        UUID job = UUID.randomUUID();

        jobs.add(job);
        clock.advance(Duration.ofHours(23));
        assertThat(jobs.contains(job)).isTrue();
        clock.advance(Duration.ofHours(2));

        assertThat(jobs.contains(job)).isFalse();
        assertThat(jobs.size()).isZero();
    }

    @Test
    void oldestJobsAreForgottenBeyondTheLimit() {
        CancelledJobs jobs = new CancelledJobs(new WorkerProperties.Cancellation(Duration.ofHours(24), 2), clock);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();

        jobs.add(first);
        jobs.add(second);
        jobs.add(third);

        assertThat(jobs.contains(first)).isFalse();
        assertThat(jobs.contains(second)).isTrue();
        assertThat(jobs.contains(third)).isTrue();
    }

    private static final class MutableClock extends Clock {

        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
