package dev.evalfleet.worker.repair;

import dev.evalfleet.contracts.ProblemFormat;
import dev.evalfleet.contracts.ProblemPayload;
import dev.evalfleet.contracts.TestSuite;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tests a model may see, for {@code visible} feedback: what the problem statement itself shows.
 * HumanEval: the docstring's doctests, {@code >>> expr} with a one-line expected output that is a
 * Python literal, become {@code assert expr == expected}; an example that continues over several
 * lines, has no or a non-literal output, or does not call the entry point is skipped. MBPP: the
 * first of the problem's asserts (the one MBPP's prompt format shows). Nothing here reads a
 * HumanEval {@code check} program.
 */
public final class VisibleTests {

    /** Stands in for tests when a problem shows none: passes iff the program loads and runs. */
    static final String PROGRAM_RUNS = "assert True";

    private static final Pattern EXAMPLE = Pattern.compile("^\\s*>>>\\s?(.*)$");
    private static final Pattern CONTINUATION = Pattern.compile("^\\s*\\.\\.\\.(?:\\s.*)?$");

    private VisibleTests() {}

    /** The visible asserts of {@code problem}, in the order the problem shows them; may be empty. */
    public static List<String> asserts(ProblemPayload problem) {
        if (problem.format() == ProblemFormat.MBPP) {
            List<String> hidden = problem.tests().asserts();
            return hidden.isEmpty() ? List.of() : List.of(hidden.getFirst());
        }
        return doctests(problem.prompt(), problem.entryPoint());
    }

    /**
     * The suite feedback is built from: the visible asserts, or when there are none, one test that
     * passes iff the program runs.
     */
    static TestSuite suite(ProblemPayload problem) {
        List<String> asserts = asserts(problem);
        String setup = problem.format() == ProblemFormat.MBPP ? problem.tests().setup() : "";
        return TestSuite.asserts(setup, asserts.isEmpty() ? List.of(PROGRAM_RUNS) : asserts, problem.entryPoint());
    }

    static List<String> doctests(String prompt, String entryPoint) {
        String[] lines = prompt.replace("\r\n", "\n").split("\n", -1);
        Pattern callsEntryPoint = Pattern.compile("\\b" + Pattern.quote(entryPoint) + "\\s*\\(");
        List<String> asserts = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            Matcher example = EXAMPLE.matcher(lines[i]);
            if (!example.matches()) {
                continue;
            }
            String source = example.group(1).strip();
            List<String> want = expectedOutput(lines, i + 1);
            if (want.size() != 1
                    || source.isEmpty()
                    || !callsEntryPoint.matcher(source).find()) {
                continue;
            }
            String expected = want.getFirst();
            if (PythonLiteral.isLiteral(expected)) {
                asserts.add("assert " + source + " == " + expected);
            }
        }
        return List.copyOf(asserts);
    }

    /**
     * The expected-output lines of the example whose source ends before line {@code from}, as
     * doctest reads them: up to a blank line, the next example or the end of the docstring. An
     * example continued with {@code ...} yields no lines, so it is skipped.
     */
    private static List<String> expectedOutput(String[] lines, int from) {
        List<String> want = new ArrayList<>();
        if (from < lines.length && CONTINUATION.matcher(lines[from]).matches()) {
            return List.of();
        }
        for (int j = from; j < lines.length; j++) {
            String line = lines[j].strip();
            if (line.isEmpty() || EXAMPLE.matcher(lines[j]).matches()) {
                break;
            }
            int closing = docstringEnd(line);
            if (closing >= 0) {
                String before = line.substring(0, closing).strip();
                if (!before.isEmpty()) {
                    want.add(before);
                }
                break;
            }
            want.add(line);
        }
        return want;
    }

    private static int docstringEnd(String line) {
        int doubleQuotes = line.indexOf("\"\"\"");
        int singleQuotes = line.indexOf("'''");
        if (doubleQuotes < 0) {
            return singleQuotes;
        }
        return singleQuotes < 0 ? doubleQuotes : Math.min(doubleQuotes, singleQuotes);
    }
}
