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
 * HumanEval (and HumanEval+): the docstring's doctests, {@code >>> expr} with a one-line expected
 * output that is a Python literal, become {@code assert expr == expected}; an example that continues
 * over several lines, has no or a non-literal output, or does not call the entry point is skipped.
 * MBPP: the example assert its prompt shows (for MBPP+, whose hidden tests are inputs or one test
 * script, the one from its docstring), else the first of its asserts. Nothing here reads a HumanEval
 * {@code check} program, an MBPP+ test script or EvalPlus inputs.
 */
public final class VisibleTests {

    /** Stands in for tests when a problem shows none: passes iff the program loads and runs. */
    static final String PROGRAM_RUNS = "assert True";

    private static final Pattern EXAMPLE = Pattern.compile("^\\s*>>>\\s?(.*)$");
    private static final Pattern SHOWN_ASSERT = Pattern.compile("^\\s*(assert\\s.*)$", Pattern.MULTILINE);
    private static final Pattern USES_MATH = Pattern.compile("\\bmath\\.");
    private static final Pattern IMPORTS_MATH = Pattern.compile("^\\s*import\\s+math\\b", Pattern.MULTILINE);
    private static final Pattern CONTINUATION = Pattern.compile("^\\s*\\.\\.\\.(?:\\s.*)?$");

    private VisibleTests() {}

    /** The visible asserts of {@code problem}, in the order the problem shows them; may be empty. */
    public static List<String> asserts(ProblemPayload problem) {
        if (problem.format() == ProblemFormat.MBPP) {
            return mbppExample(problem);
        }
        return doctests(problem.prompt(), problem.entryPoint());
    }

    /**
     * The suite feedback is built from: the visible asserts, or when there are none, one test that
     * passes iff the program runs.
     */
    static TestSuite suite(ProblemPayload problem) {
        List<String> asserts = asserts(problem);
        String setup = problem.format() == ProblemFormat.MBPP
                ? mbppSetup(problem.tests().setup(), asserts)
                : "";
        return TestSuite.asserts(setup, asserts.isEmpty() ? List.of(PROGRAM_RUNS) : asserts, problem.entryPoint());
    }

    /**
     * MBPP's prompt shows the first of its asserts. MBPP+'s hidden tests are inputs or one test
     * script, so its example is taken from the prompt, which shows the one from its docstring.
     */
    private static List<String> mbppExample(ProblemPayload problem) {
        List<String> hidden = problem.tests().asserts();
        if (!hidden.isEmpty() && SHOWN_ASSERT.matcher(hidden.getFirst()).lookingAt()) {
            return List.of(hidden.getFirst());
        }
        Matcher shown = SHOWN_ASSERT.matcher(problem.prompt());
        return shown.find() ? List.of(shown.group(1).strip()) : List.of();
    }

    /**
     * MBPP's setup; MBPP+'s input tests have none, while their examples use {@code math.isclose}, so
     * an example that uses {@code math} gets its import.
     */
    private static String mbppSetup(String setup, List<String> asserts) {
        boolean needsMath = asserts.stream().anyMatch(a -> USES_MATH.matcher(a).find());
        if (!needsMath || IMPORTS_MATH.matcher(setup).find()) {
            return setup;
        }
        return setup.isBlank() ? "import math" : "import math\n" + setup;
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
