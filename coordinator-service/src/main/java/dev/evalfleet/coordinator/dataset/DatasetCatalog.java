package dev.evalfleet.coordinator.dataset;

import dev.evalfleet.coordinator.CoordinatorProperties;
import dev.evalfleet.coordinator.access.Caller;
import dev.evalfleet.coordinator.api.NotFoundException;
import dev.evalfleet.coordinator.api.QuotaExceededException;
import dev.evalfleet.coordinator.upload.JsonRecords;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The dataset feature's facade: imports uploaded files and serves their problems. */
@Service
public class DatasetCatalog {

    private final DatasetRepository datasets;
    private final ProblemRepository problems;
    private final DatasetParser parser;

    DatasetCatalog(DatasetRepository datasets, ProblemRepository problems, CoordinatorProperties properties) {
        this.datasets = datasets;
        this.problems = problems;
        CoordinatorProperties.Limits limits = properties.limits();
        this.parser = new DatasetParser(new JsonRecords(limits.maxDecompressedSize()), limits.maxReportedErrors());
    }

    /**
     * Parses the whole file first, so a bad file stores nothing. {@code content} is the file as
     * uploaded, compressed or not: its sha256 is what a reader compares their copy with. The caller's
     * quotas hold: the size of one upload, and how many datasets it has.
     */
    @Transactional
    public DatasetView importFile(String name, byte[] content, Caller caller) {
        QuotaExceededException.check("uploadBytes", caller.quotas().uploadBytes(), 0, content.length);
        datasets.lockQuotasOf(caller.name());
        QuotaExceededException.check(
                "datasets", caller.quotas().datasets(), datasets.countByCreatedBy(caller.name()), 1);
        DatasetParser.Parsed parsed = parser.parse(content);
        DatasetEntity dataset = datasets.save(new DatasetEntity(name, sha256(content), parsed, caller.name()));
        List<ProblemEntity> rows = new ArrayList<>(parsed.problems().size());
        for (int i = 0; i < parsed.problems().size(); i++) {
            rows.add(new ProblemEntity(dataset.id(), i, parsed.problems().get(i)));
        }
        problems.saveAll(rows);
        return dataset.toView();
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Transactional(readOnly = true)
    public List<DatasetView> list() {
        return datasets.findAllByOrderByCreatedAtDesc().stream()
                .map(DatasetEntity::toView)
                .toList();
    }

    @Transactional(readOnly = true)
    public DatasetView get(UUID id) {
        return datasets.findById(id).map(DatasetEntity::toView).orElseThrow(() -> NotFoundException.dataset(id));
    }

    /** The newest dataset of that name. */
    @Transactional(readOnly = true)
    public Optional<DatasetView> findByName(String name) {
        return datasets.findFirstByNameOrderByCreatedAtDesc(name).map(DatasetEntity::toView);
    }

    /** Every problem of the dataset, in file order. */
    @Transactional(readOnly = true)
    public List<ProblemDefinition> problems(UUID datasetId) {
        DatasetView dataset = get(datasetId);
        return problems.findByDatasetIdOrderByOrdinal(datasetId).stream()
                .map(problem -> problem.toDefinition(dataset.format()))
                .toList();
    }
}
