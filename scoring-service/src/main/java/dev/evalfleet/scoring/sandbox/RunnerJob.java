package dev.evalfleet.scoring.sandbox;

import java.util.List;
import java.util.Map;

/**
 * The job {@code runner.py} reads: this record's JSON is the runner's side of the protocol.
 *
 * @param program the candidate program (or, for a reference run, the reference solution)
 * @param setup MBPP setup run before the program; empty otherwise
 * @param checkProgram HumanEval's check program, or {@code null}
 * @param asserts one test each, or empty
 * @param entryPoint the function under test
 * @param inputs EvalPlus input tests, or {@code null}
 * @param limits the rlimits the run sets on itself
 */
record RunnerJob(
        String program,
        String setup,
        String checkProgram,
        List<String> asserts,
        String entryPoint,
        Inputs inputs,
        Limits limits) {

    /**
     * EvalPlus input tests as the runner takes them.
     *
     * @param key identifies these inputs (and expected outputs), so that a fork server decodes them once
     * @param mode {@code REFERENCE}: run the program as the reference, for its outputs and times;
     *     {@code COMPARE}: judge the program against the expected outputs
     * @param dataset {@code HUMANEVAL} or {@code MBPP}: whose comparison rules and input decoding apply
     * @param problemId the dataset's id of the problem
     * @param base the base inputs, JSON text
     * @param plus the plus inputs, JSON text
     * @param atol EvalPlus's absolute tolerance
     * @param expected the reference's outputs, pickled, base64; {@code null} when not carried
     * @param reference where the outputs are not carried, the reference solution, which the run then asks
     *     for each expected output
     * @param digests with {@code reference}: per part, the digests of the outputs (see runner.py)
     * @param limitsMicros per part ({@code base}, {@code plus}), each input's CPU-time limit
     */
    record Inputs(
            String key,
            String mode,
            String dataset,
            String problemId,
            String base,
            String plus,
            double atol,
            String expected,
            String reference,
            Map<String, String> digests,
            Map<String, List<Long>> limitsMicros) {

        static final String REFERENCE = "REFERENCE";
        static final String COMPARE = "COMPARE";
    }

    /**
     * Resource limits; {@code processes} only inside the sandbox, where it counts the sandbox's own;
     * {@code stackBytes} only for EvalPlus input tests, whose harness raises the stack limit.
     */
    record Limits(
            long cpuSeconds,
            long addressSpaceBytes,
            long fileSizeBytes,
            int openFiles,
            Long stackBytes,
            Integer processes) {}

    RunnerJob withProcesses(int processes) {
        Limits limited = new Limits(
                limits.cpuSeconds(),
                limits.addressSpaceBytes(),
                limits.fileSizeBytes(),
                limits.openFiles(),
                limits.stackBytes(),
                processes);
        return new RunnerJob(program, setup, checkProgram, asserts, entryPoint, inputs, limited);
    }
}
