package dev.evalfleet.coordinator.dataset;

import dev.evalfleet.coordinator.access.Callers;
import dev.evalfleet.coordinator.api.InvalidRequestException;
import dev.evalfleet.coordinator.upload.UploadLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/datasets")
@Tag(
        name = "Datasets",
        description = "Import HumanEval, MBPP and EvalPlus (HumanEval+, MBPP+) files and browse their problems")
class DatasetController {

    private final DatasetCatalog catalog;
    private final UploadLimit uploads;
    private final Callers callers;

    DatasetController(DatasetCatalog catalog, UploadLimit uploads, Callers callers) {
        this.callers = callers;
        this.catalog = catalog;
        this.uploads = uploads;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Import a dataset uploaded as multipart field 'file' (JSONL or JSON array, plain or gzip)")
    ResponseEntity<DatasetView> importMultipart(
            @Parameter(description = "Name of the dataset; defaults to the file's name", example = "sample-problems")
                    @RequestParam(required = false)
                    String name,
            @RequestPart("file") MultipartFile file)
            throws IOException {
        String datasetName = name != null ? name : file.getOriginalFilename();
        try (InputStream in = file.getInputStream()) {
            return created(catalog.importFile(requireName(datasetName), uploads.read(in), callers.current()));
        }
    }

    @PostMapping(
            consumes = {
                "application/x-ndjson",
                "application/jsonl",
                MediaType.APPLICATION_JSON_VALUE,
                "application/gzip",
                MediaType.APPLICATION_OCTET_STREAM_VALUE,
                MediaType.TEXT_PLAIN_VALUE
            })
    @Operation(summary = "Import a dataset sent as the request body (JSONL or JSON array, plain or gzip)")
    ResponseEntity<DatasetView> importBody(
            @Parameter(description = "Name of the dataset", example = "sample-problems") @RequestParam(required = false)
                    String name,
            HttpServletRequest request)
            throws IOException {
        try (InputStream in = request.getInputStream()) {
            return created(catalog.importFile(requireName(name), uploads.read(in), callers.current()));
        }
    }

    @GetMapping
    @Operation(summary = "List datasets, newest first")
    List<DatasetView> list() {
        return catalog.list();
    }

    @GetMapping("/{id}")
    @Operation(summary = "One dataset")
    DatasetView get(@PathVariable UUID id) {
        return catalog.get(id);
    }

    @GetMapping("/{id}/problems")
    @Operation(summary = "The problems of a dataset, in file order")
    List<ProblemView> problems(@PathVariable UUID id) {
        return catalog.problems(id).stream().map(ProblemView::of).toList();
    }

    private static ResponseEntity<DatasetView> created(DatasetView dataset) {
        return ResponseEntity.created(URI.create("/api/datasets/" + dataset.id()))
                .body(dataset);
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw InvalidRequestException.field("name", "is required (query parameter ?name=…)");
        }
        return name.strip();
    }
}
