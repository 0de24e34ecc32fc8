package dev.evalfleet.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import tools.jackson.databind.json.JsonMapper;

/** A three-problem HumanEval-format dataset the tests write to disk. Tiny/1's prompt contains Tiny/0's. */
final class TinyDataset {

    static final Problem ADD = new Problem(
            "Tiny/0",
            "def add(a: int, b: int) -> int:\n    \"\"\" Add two numbers.\n    >>> add(1, 2)\n    3\n    \"\"\"\n",
            "    return a + b\n",
            "def check(candidate):\n    assert candidate(1, 2) == 3\n",
            "add");

    static final Problem ADD_WITH_IMPORT = new Problem(
            "Tiny/1",
            "import math\n\n\n" + ADD.prompt(),
            "    return math.fsum([a, b])\n",
            "def check(candidate):\n    assert candidate(1, 2) == 3\n",
            "add");

    static final Problem SHOUT = new Problem(
            "Tiny/2",
            "def shout(text: str) -> str:\n    \"\"\" Upper-case the text and add '!'.\n    >>> shout('hi')\n    'HI!'\n    \"\"\"\n",
            "    return text.upper() + '!'\n",
            "def check(candidate):\n    assert candidate('hi') == 'HI!'\n",
            "shout");

    static final List<Problem> PROBLEMS = List.of(ADD, ADD_WITH_IMPORT, SHOUT);

    private TinyDataset() {}

    static Path write(Path dir) throws IOException {
        Path file = dir.resolve("tiny.jsonl");
        Files.writeString(file, jsonl());
        return file;
    }

    static Path writeGzip(Path dir) throws IOException {
        Path file = dir.resolve("tiny.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(jsonl().getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    private static String jsonl() {
        JsonMapper json = JsonMapper.builder().build();
        StringBuilder lines = new StringBuilder();
        for (Problem p : PROBLEMS) {
            lines.append(json.createObjectNode()
                            .put("task_id", p.taskId())
                            .put("prompt", p.prompt())
                            .put("canonical_solution", p.canonicalSolution())
                            .put("test", p.test())
                            .put("entry_point", p.entryPoint()))
                    .append('\n');
        }
        return lines.toString();
    }
}
