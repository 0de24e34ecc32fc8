package dev.evalfleet.scoring.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the reference harnesses and generators of the parity tests ({@code src/test/resources/.../
 * execution/*.py}) as python processes in a working directory, the way a user would run them.
 *
 * @param python the interpreter
 * @param work where the scripts are copied and run
 */
record PythonScripts(String python, Path work) {

    private static final String RESOURCES = "/dev/evalfleet/scoring/execution/";

    /** Copies the script out of the test resources into the working directory. */
    Path script(String name) throws IOException {
        Path target = work.resolve(name);
        if (!Files.exists(target)) {
            try (InputStream in = PythonScripts.class.getResourceAsStream(RESOURCES + name)) {
                assertThat(in).as(name).isNotNull();
                Files.copy(in, target);
            }
        }
        return target;
    }

    /** Runs python with these arguments and environment; fails unless it exits 0; returns its stdout. */
    String run(List<String> arguments, Map<String, String> environment, Duration limit)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python));
        command.addAll(arguments);
        Path stdout = Files.createTempFile(work, "python-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish");
        }
        assertThat(process.exitValue()).as("%s", command).isZero();
        // A program may write raw bytes to the harness's fd 1: decode leniently.
        return new String(Files.readAllBytes(stdout), StandardCharsets.UTF_8);
    }
}
