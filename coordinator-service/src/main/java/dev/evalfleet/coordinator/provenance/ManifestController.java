package dev.evalfleet.coordinator.provenance;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Jobs")
class ManifestController {

    private final JobProvenance provenance;

    ManifestController(JobProvenance provenance) {
        this.provenance = provenance;
    }

    @GetMapping(value = "/api/jobs/{id}/manifest.json", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "What reproduces the job: the dataset's sha256, the job's settings, what the workers"
                    + " reported ran its tasks (model digest, server versions, scoring sandbox, builds)")
    JobManifest manifest(@PathVariable UUID id) {
        return provenance.manifest(id);
    }
}
