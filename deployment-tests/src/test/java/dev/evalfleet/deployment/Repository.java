package dev.evalfleet.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The checked-out repository: where the deployment files are and how to read them. */
final class Repository {

    static final Path ROOT = locateRoot();

    private Repository() {}

    private static Path locateRoot() {
        String configured = System.getProperty("evalfleet.root");
        Path start = configured == null || configured.isBlank() ? Path.of("").toAbsolutePath() : Path.of(configured);
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("deployment-tests"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No evalfleet checkout above " + start);
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(String relative) {
        return read(path(relative));
    }

    /** Every YAML document in {@code text}, as SnakeYAML builds it (maps, lists, scalars). */
    static List<Object> yamlDocuments(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        List<Object> documents = new ArrayList<>();
        for (Object document : new Yaml(options).loadAll(text)) {
            if (document != null) {
                documents.add(document);
            }
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yamlMap(String text) {
        List<Object> documents = yamlDocuments(text);
        if (documents.size() != 1 || !(documents.getFirst() instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("Expected one YAML mapping");
        }
        return new LinkedHashMap<>((Map<String, Object>) documents.getFirst());
    }

    /** KEY=VALUE lines, as docker compose reads .env and kustomize reads a generator's envs file. */
    static Map<String, String> envFile(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : read(file).split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(file + ": not KEY=VALUE: " + line);
            }
            values.put(
                    trimmed.substring(0, equals).strip(),
                    trimmed.substring(equals + 1).strip());
        }
        return values;
    }

    static List<Path> filesUnder(String relative, String... suffixes) {
        try (Stream<Path> files = Files.walk(path(relative))) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> Stream.of(suffixes)
                            .anyMatch(suffix -> file.toString().endsWith(suffix)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
