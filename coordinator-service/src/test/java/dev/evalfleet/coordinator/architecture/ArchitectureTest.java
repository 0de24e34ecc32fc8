package dev.evalfleet.coordinator.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.data.repository.Repository;

/**
 * Each feature keeps its tables to itself: only the package that owns a table names it in SQL or maps
 * it as an entity, and other features go through that package's public facade. The results are read
 * through the {@code result} package's views only.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.evalfleet.coordinator";
    private static final Path MAIN_SOURCES = Path.of("src/main/java/dev/evalfleet/coordinator");
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

    /** Every table and view of the schema, and the feature package that owns it. */
    private static final Map<String, String> OWNER = Map.ofEntries(
            Map.entry("api_key", "access"),
            Map.entry("dataset", "dataset"),
            Map.entry("problem", "dataset"),
            Map.entry("job", "job"),
            Map.entry("task", "job"),
            Map.entry("sample", "sample"),
            Map.entry("submitted_sample", "sample"),
            Map.entry("outbox_message", "outbox"),
            Map.entry("worker", "worker"),
            Map.entry("endpoint_capacity", "worker"),
            Map.entry("job_provenance", "provenance"),
            Map.entry("job_result", "result"),
            Map.entry("task_result", "result"),
            Map.entry("result_row", "result"));

    private static final Pattern CREATED = Pattern.compile("create\\s+(?:or\\s+replace\\s+)?(?:table|view)\\s+(\\w+)");
    private static final Pattern STRING =
            Pattern.compile("\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\\\n]|\\\\.)*)\"", Pattern.DOTALL);
    private static final Pattern TABLE_REFERENCE = Pattern.compile(
            "\\b(?:from|join|update|into|exists\\s*\\(\\s*select\\s+1\\s+from)\\s+([a-z_][a-z0-9_]*)\\b");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void everyTableOfTheSchemaHasAnOwner() throws IOException {
        Set<String> created = new TreeSet<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.toList()) {
                Matcher matcher = CREATED.matcher(Files.readString(file).toLowerCase());
                while (matcher.find()) {
                    created.add(matcher.group(1));
                }
            }
        }
        assertThat(created).isNotEmpty();
        assertThat(OWNER.keySet())
                .as("tables and views without an owning feature")
                .containsAll(created);
    }

    @Test
    void onlyTheOwningFeatureNamesATableInSql() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String feature = feature(MAIN_SOURCES.relativize(file));
                Matcher strings = STRING.matcher(Files.readString(file));
                while (strings.find()) {
                    String text = strings.group(1) != null ? strings.group(1) : strings.group(2);
                    Matcher reference = TABLE_REFERENCE.matcher(text);
                    while (reference.find()) {
                        String table = reference.group(1);
                        String owner = OWNER.get(table);
                        if (owner != null && !owner.equals(feature)) {
                            violations.add(
                                    file.getFileName() + " (" + feature + ") names " + table + ", owned by " + owner);
                        }
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void entitiesMapOnlyTheirOwnFeaturesTables() {
        List<JavaClass> entities = CLASSES.stream()
                .filter(type -> type.isAnnotatedWith(Entity.class))
                .toList();
        assertThat(entities).isNotEmpty();
        for (JavaClass entity : entities) {
            String table = entity.getAnnotationOfType(Table.class).name();
            assertThat(OWNER.get(table))
                    .as(entity.getName() + " maps table " + table)
                    .isEqualTo(feature(entity));
        }
    }

    @Test
    void entitiesAndRepositoriesAreUsedOnlyInsideTheirFeature() {
        classes()
                .that()
                .areAnnotatedWith(Entity.class)
                .or()
                .areAssignableTo(Repository.class)
                .should(stayInsideTheirFeature())
                .check(CLASSES);
    }

    private static ArchCondition<JavaClass> stayInsideTheirFeature() {
        return new ArchCondition<>("be used only by classes of their own feature") {
            @Override
            public void check(JavaClass owned, ConditionEvents events) {
                owned.getAccessesToSelf().stream()
                        .filter(access -> !feature(access.getOriginOwner()).equals(feature(owned)))
                        .forEach(access -> events.add(SimpleConditionEvent.violated(access, access.getDescription())));
                owned.getDirectDependenciesToSelf().stream()
                        .filter(dependency ->
                                !feature(dependency.getOriginClass()).equals(feature(owned)))
                        .forEach(dependency ->
                                events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription())));
            }
        };
    }

    private static String feature(JavaClass type) {
        String rest = type.getPackageName().substring(ROOT.length());
        return rest.isEmpty() ? "" : rest.substring(1).split("\\.")[0];
    }

    private static String feature(Path relative) {
        return relative.getNameCount() == 1 ? "" : relative.getName(0).toString();
    }
}
