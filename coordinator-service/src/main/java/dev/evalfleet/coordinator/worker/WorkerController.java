package dev.evalfleet.coordinator.worker;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api")
@Tag(name = "Workers", description = "The worker fleet and the model endpoints it serves")
class WorkerController {

    private final WorkerRegistry registry;

    WorkerController(WorkerRegistry registry) {
        this.registry = registry;
    }

    @GetMapping("/workers")
    @Operation(summary = "Workers with their status (UP, STALE, GONE) from their heartbeats")
    List<WorkerView> workers() {
        return registry.workers();
    }

    @GetMapping("/endpoints")
    @Operation(summary = "Model endpoints served by live workers; jobs name one of these")
    List<EndpointView> endpoints() {
        return registry.endpoints();
    }
}
