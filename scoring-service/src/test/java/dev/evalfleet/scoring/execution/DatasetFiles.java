package dev.evalfleet.scoring.execution;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the benchmark files the tests take from outside the project (gzip JSONL, one problem a line). */
final class DatasetFiles {

    private DatasetFiles() {}

    static List<JsonNode> problems(Path dataset, JsonMapper json) throws IOException {
        List<JsonNode> problems = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(dataset)), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (!line.isBlank()) {
                    problems.add(json.readTree(line));
                }
            }
        }
        return problems;
    }

    /** The problems by their {@code task_id}, in file order. */
    static Map<String, JsonNode> byTaskId(Path dataset, JsonMapper json) throws IOException {
        Map<String, JsonNode> problems = new LinkedHashMap<>();
        for (JsonNode problem : problems(dataset, json)) {
            problems.put(problem.get("task_id").asString(), problem);
        }
        return problems;
    }
}
