package dev.evalfleet.coordinator.result;

import dev.evalfleet.coordinator.CoordinatorProperties;
import dev.evalfleet.coordinator.api.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A job's progress as Server-Sent Events: a {@code progress} event whenever its counts change, and a
 * last {@code finished} event when it ends. Read from PostgreSQL, so any coordinator instance can serve
 * any job's stream.
 */
@RestController
@RequestMapping("/api/jobs/{id}")
@Tag(name = "Results", description = "Every sample of a job, with its code and verdict")
class JobEventsController {

    private static final Logger log = LoggerFactory.getLogger(JobEventsController.class);

    private final JobResults results;
    private final Duration interval;
    private final Duration timeout;

    JobEventsController(JobResults results, CoordinatorProperties properties) {
        this.results = results;
        this.interval = properties.results().eventInterval();
        this.timeout = properties.results().eventStreamTimeout();
    }

    @GetMapping(value = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(
            summary = "Server-Sent Events: 'progress' (task and sample counts, running pass@1) on every change,"
                    + " then 'finished' with the final state")
    SseEmitter events(@PathVariable UUID id) {
        if (!results.exists(id)) {
            throw NotFoundException.job(id);
        }
        SseEmitter emitter = new SseEmitter(timeout.toMillis());
        Thread.ofVirtual().name("job-events-" + id).start(() -> follow(id, emitter));
        return emitter;
    }

    private void follow(UUID id, SseEmitter emitter) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobProgress last = null;
        try {
            while (System.nanoTime() < deadline) {
                JobProgress now = results.progress(id).orElseThrow(() -> NotFoundException.job(id));
                if (!Objects.equals(now, last)) {
                    emitter.send(SseEmitter.event()
                            .name(now.finished() ? "finished" : "progress")
                            .id(Long.toString(now.tasksDone()))
                            .data(now, MediaType.APPLICATION_JSON));
                    last = now;
                }
                if (now.finished()) {
                    emitter.complete();
                    return;
                }
                Thread.sleep(interval);
            }
            emitter.complete();
        } catch (IOException | IllegalStateException gone) {
            log.debug("Event stream of job {} closed by the client: {}", id, gone.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            emitter.complete();
        } catch (RuntimeException e) {
            emitter.completeWithError(e);
        }
    }
}
