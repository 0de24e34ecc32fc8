package dev.evalfleet.scoring;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/** Settings of the scoring service, bound from {@code evalfleet.scoring.*}. */
@Validated
@ConfigurationProperties("evalfleet.scoring")
public record ScoringProperties(
        @Valid @DefaultValue Access access,
        @Valid @DefaultValue Python python,
        @Valid @DefaultValue Execution execution,
        @Valid @DefaultValue Limits limits,
        @Valid @DefaultValue Sandbox sandbox,
        @Valid @DefaultValue Calibration calibration) {

    /**
     * Who may call: only those that send {@code token} as {@code Authorization: Bearer}. Without a token the
     * service does not start, so it never runs code for just anyone who reaches it.
     *
     * @param token the shared secret of the scoring service and its workers ({@code EVALFLEET_SCORING_TOKEN})
     */
    public record Access(
            @NotBlank(message = "is not set: set EVALFLEET_SCORING_TOKEN, the token the workers send")
            String token) {

        /** Keeps the token out of logs and failure reports. */
        @Override
        public String toString() {
            return "Access[token=(hidden)]";
        }
    }

    /** The interpreter that runs the programs. */
    public record Python(@NotBlank @DefaultValue("python3") String executable) {}

    /**
     * What a request may ask for and how many runs happen at once.
     *
     * @param maxParallel runs at once; 0 means one per available core
     * @param defaultTimeout wall-clock limit when a request names none
     * @param maxTimeout the largest wall-clock limit a request may ask for
     * @param maxProgramSize the largest program accepted, in UTF-8 bytes
     * @param maxTestsSize the largest tests accepted (with their reference and inputs), in UTF-8 bytes:
     *     tests are trusted dataset content, and EvalPlus's need about 0.5 MB for one problem
     * @param maxBatchSize the most requests one batch may hold
     * @param outputLimit how much of a run's output (and of its report channel) is kept; the rest is
     *     read and dropped so a flood neither blocks the program nor fills memory
     */
    public record Execution(
            @PositiveOrZero @DefaultValue("0") int maxParallel,
            @DefaultValue("10s") Duration defaultTimeout,
            @DefaultValue("60s") Duration maxTimeout,
            @DefaultValue("256KB") DataSize maxProgramSize,
            @DefaultValue("16MB") DataSize maxTestsSize,
            @Positive @DefaultValue("200") int maxBatchSize,
            @DefaultValue("1MB") DataSize outputLimit) {

        /** The number of runs allowed at once, resolving 0 to the number of cores. */
        public int parallelism() {
            return maxParallel > 0 ? maxParallel : Runtime.getRuntime().availableProcessors();
        }
    }

    /**
     * Resource limits the trusted runner sets on itself before it runs untrusted code.
     *
     * @param memory address-space limit ({@code RLIMIT_AS})
     * @param cpuTimeExtra CPU time allowed beyond the wall-clock timeout ({@code RLIMIT_CPU}), so the
     *     wall-clock deadline normally decides and CPU time only stops runaway threads
     * @param fileSize largest file the program may write ({@code RLIMIT_FSIZE})
     * @param openFiles most open file descriptors ({@code RLIMIT_NOFILE})
     */
    public record Limits(
            @DefaultValue("1GB") DataSize memory,
            @DefaultValue("1s") Duration cpuTimeExtra,
            @DefaultValue("16MB") DataSize fileSize,
            @Positive @DefaultValue("64") int openFiles) {}

    /**
     * Time limits calibrated on the reference solution, for requests that fix no {@code timeoutSeconds}:
     * a program may use {@code max(floor, factor × the reference's CPU time)} of CPU time, and the
     * wall clock {@code wallFactor} times that, so runs may share CPUs without right answers timing out.
     * EvalPlus input tests get EvalPlus's rule per input (docs/scoring.md).
     *
     * @param floor the smallest CPU-time limit of a program whose tests are a script
     * @param factor how many times the reference's CPU time a program may use
     * @param inputFloor the smallest CPU-time limit of one EvalPlus input (EvalPlus: 4 s)
     * @param partCap the most CPU time the inputs of one part (base or plus) may take together
     *     (EvalPlus: 60 s per problem)
     * @param wallFactor the wall-clock deadline as a multiple of the CPU-time limit
     * @param referenceTimeout what a reference run may take
     * @param referenceOutputLimit how much of a reference run's report (its pickled outputs) is kept
     * @param cacheSize memory for the reference runs kept (outputs and times), by the size of their
     *     encoded outputs
     */
    public record Calibration(
            @DefaultValue("1s") Duration floor,
            @Positive @DefaultValue("4") double factor,
            @DefaultValue("4s") Duration inputFloor,
            @DefaultValue("60s") Duration partCap,
            @Positive @DefaultValue("3") double wallFactor,
            @DefaultValue("300s") Duration referenceTimeout,
            @DefaultValue("256MB") DataSize referenceOutputLimit,
            @DefaultValue("512MB") DataSize cacheSize) {}

    /** How runs are isolated from the host, the service and each other. */
    public enum SandboxMode {
        /** Every run in bubblewrap namespaces; the service refuses to run code when that is impossible. */
        BUBBLEWRAP,
        /** Plain processes with rlimits only: an explicit operator decision, shown in health and verdicts. */
        UNSANDBOXED
    }

    /**
     * The bubblewrap sandbox (see docs/sandbox.md).
     *
     * @param mode {@code bubblewrap} (default) or {@code unsandboxed}
     * @param bubblewrap the bwrap executable
     * @param processes most processes and threads a sandbox may hold at once ({@code RLIMIT_NPROC},
     *     counted per sandbox user namespace; includes the three trusted processes of the fork server)
     * @param workDirSize size of each run's private tmpfs working directory
     * @param workDirInodes most files and directories in that tmpfs
     * @param uid host user the sandboxes run as when the service itself runs as root, so that
     *     {@code RLIMIT_NPROC} applies (the kernel exempts root from it)
     * @param pinCpus keep each fork server and its runs on a CPU of its own, where the CPUs the
     *     service may run on are only as many as it was given (a VM, a cpuset; not a CPU quota on a
     *     bigger machine): a run then forks and exits where the zygote's memory is cache-warm
     */
    public record Sandbox(
            @DefaultValue("bubblewrap") SandboxMode mode,
            @NotBlank @DefaultValue("bwrap") String bubblewrap,
            @Positive @DefaultValue("64") int processes,
            @DefaultValue("64MB") DataSize workDirSize,
            @Positive @DefaultValue("4096") int workDirInodes,
            @Positive @DefaultValue("65534") int uid,
            @DefaultValue("true") boolean pinCpus) {}
}
