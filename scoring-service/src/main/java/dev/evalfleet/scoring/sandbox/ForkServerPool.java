package dev.evalfleet.scoring.sandbox;

import dev.evalfleet.scoring.ScoringProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bubblewrap fork servers of the service: idle ones are reused, dead ones dropped, and a new one
 * is started whenever none is idle (callers already bound how many runs happen at once).
 */
final class ForkServerPool {

    private static final Logger log = LoggerFactory.getLogger(ForkServerPool.class);

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final Path PROC_STATUS = Path.of("/proc/self/status");
    // Where, in a private mount namespace of the launcher, an interpreter the sandbox user cannot
    // reach (e.g. under /root) is bind-mounted so that bubblewrap, running as that user, can.
    private static final String STAGE_DIR = "/mnt";

    private final ScoringProperties properties;
    private final JsonMapper json;
    private final String source;
    // Idle servers, lowest slot first; the slots of the live ones. A new server takes the lowest free
    // slot, a run the idle server with the lowest, and the highest goes when more are idle than runs
    // may happen at once: so the live servers keep slots 0..n-1, and with pin-cpus each zygote keeps
    // itself and its runs on the CPU of its slot's number among those it may use.
    private final PriorityQueue<ForkServer> idle = new PriorityQueue<>(Comparator.comparingInt(ForkServer::slot));
    private final BitSet slots = new BitSet();
    private volatile List<String> command;

    ForkServerPool(ScoringProperties properties, JsonMapper json, String source) {
        this.properties = properties;
        this.json = json;
        this.source = source;
    }

    /** Runs one request on an idle fork server; the server is dropped if anything went wrong. */
    ForkServerAnswer call(ForkServerRequest request, Duration wait) throws IOException, InterruptedException {
        ForkServer server = acquire();
        boolean healthy = false;
        try {
            ForkServerAnswer answer = server.call(request, wait);
            healthy = true;
            return answer;
        } finally {
            release(server, healthy);
        }
    }

    /** Starts fork servers ahead of the first runs, so that they do not pay for it. */
    void warmUp(int servers) {
        List<ForkServer> started = new ArrayList<>();
        try {
            for (int i = 0; i < servers; i++) {
                started.add(acquire());
            }
        } catch (IOException e) {
            log.warn("Could not start the bubblewrap sandbox: {}", e.getMessage());
        } finally {
            started.forEach(server -> release(server, true));
        }
    }

    /** The interpreter's version, as seen inside the sandbox; throws with the reason if there is none. */
    String probe() throws IOException, InterruptedException {
        return call(ForkServerRequest.probing(), PROBE_TIMEOUT).version();
    }

    void shutdown() {
        for (ForkServer server; (server = pollIdle()) != null; ) {
            drop(server);
        }
    }

    private ForkServer acquire() throws IOException {
        for (ForkServer server; (server = pollIdle()) != null; ) {
            if (server.alive()) {
                return server;
            }
            drop(server);
        }
        int slot = takeSlot();
        try {
            List<String> command = new ArrayList<>(command());
            if (properties.sandbox().pinCpus()) {
                // The JVM's count honours a container's CPU quota; the zygote compares it with its affinity.
                command.addAll(List.of(
                        String.valueOf(slot),
                        String.valueOf(Runtime.getRuntime().availableProcessors())));
            }
            return ForkServer.start(command, slot, json);
        } catch (IOException | RuntimeException e) {
            giveBack(slot);
            throw e;
        }
    }

    private synchronized ForkServer pollIdle() {
        return idle.poll();
    }

    private void release(ForkServer server, boolean healthy) {
        if (!healthy || !server.alive()) {
            drop(server);
            return;
        }
        ForkServer surplus = null;
        synchronized (this) {
            idle.offer(server);
            if (idle.size() > properties.execution().parallelism()) {
                surplus = Collections.max(idle, idle.comparator());
                idle.remove(surplus);
            }
        }
        if (surplus != null) {
            drop(surplus);
        }
    }

    private void drop(ForkServer server) {
        if (server.retire()) {
            giveBack(server.slot());
        }
    }

    private int takeSlot() {
        synchronized (slots) {
            int slot = slots.nextClearBit(0);
            slots.set(slot);
            return slot;
        }
    }

    private void giveBack(int slot) {
        synchronized (slots) {
            slots.clear(slot);
        }
    }

    private List<String> command() throws IOException {
        List<String> known = command;
        if (known == null) {
            known = buildCommand(PythonInstallation.find(properties.python().executable()));
            command = known;
        }
        return known;
    }

    private List<String> buildCommand(PythonInstallation python) throws IOException {
        ScoringProperties.Sandbox sandbox = properties.sandbox();
        boolean root = runningAsRoot();
        boolean stage = root && !python.underUsr();
        List<String> bwrap = new ArrayList<>(List.of(
                sandbox.bubblewrap(),
                "--unshare-all", // user, pid, net (no interface but an unconnected lo), ipc, uts, cgroup
                "--unshare-user",
                "--disable-userns", // a program may not make itself a user namespace with all capabilities
                "--die-with-parent",
                "--new-session",
                "--clearenv",
                "--setenv",
                "PATH",
                "/usr/local/bin:/usr/bin:/bin",
                "--setenv",
                "HOME",
                "/work",
                "--setenv",
                "LANG",
                "C.UTF-8",
                "--setenv",
                "PYTHONDONTWRITEBYTECODE",
                "1",
                "--uid",
                String.valueOf(sandbox.uid()),
                "--gid",
                String.valueOf(sandbox.uid()),
                "--hostname",
                "sandbox",
                "--ro-bind",
                "/usr",
                "/usr"));
        for (String top : List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")) {
            Path path = Path.of(top);
            if (Files.isSymbolicLink(path)) {
                bwrap.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), top));
            } else if (Files.isDirectory(path)) {
                bwrap.addAll(List.of("--ro-bind", top, top));
            }
        }
        bwrap.addAll(List.of("--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"));
        if (!python.underUsr()) {
            bwrap.addAll(List.of("--ro-bind", stage ? STAGE_DIR + "/python" : python.prefix(), python.prefix()));
        }
        bwrap.addAll(List.of(
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "--remount-ro",
                "/dev", // device nodes stay usable; each run gets its own /dev/shm
                "--dir",
                "/work", // each run mounts its own tmpfs here
                "--symlink",
                "/work",
                "/tmp",
                "--remount-ro",
                "/",
                // Kept inside the sandbox's own user namespace only: the zygote needs it to give each
                // run its pid namespace, /proc and tmpfs; the program's process drops it.
                "--cap-add",
                "CAP_SYS_ADMIN",
                "--chdir",
                "/",
                python.executable(),
                "-I",
                "-B",
                "-S", // the zygote puts site-packages on the path itself, without running .pth hooks
                "-c",
                source));
        if (!root) {
            return List.copyOf(bwrap);
        }
        // The kernel never applies RLIMIT_NPROC to root: run the sandbox as an unprivileged user.
        List<String> command = new ArrayList<>();
        if (stage) {
            command.addAll(List.of(
                    "unshare",
                    "--mount",
                    "--propagation",
                    "private",
                    "--",
                    "/bin/sh",
                    "-c",
                    "mount -t tmpfs -o size=64k,mode=755 evalfleet-stage " + STAGE_DIR
                            + " && mkdir " + STAGE_DIR + "/python && mount --bind \"$1\" " + STAGE_DIR
                            + "/python && shift && exec \"$@\"",
                    "sh",
                    python.prefix()));
        }
        String uid = String.valueOf(sandbox.uid());
        command.addAll(List.of(
                "setpriv",
                "--reuid",
                uid,
                "--regid",
                uid,
                "--clear-groups",
                "--bounding-set",
                "-all",
                "--no-new-privs"));
        command.addAll(bwrap);
        return List.copyOf(command);
    }

    private static boolean runningAsRoot() throws IOException {
        return Files.readAllLines(PROC_STATUS).stream()
                .filter(line -> line.startsWith("Uid:"))
                .anyMatch(line -> line.split("\\s+")[1].equals("0"));
    }

    /** Where the configured interpreter really lives (pyenv shims and the like resolved). */
    record PythonInstallation(String executable, String prefix) {

        boolean underUsr() {
            return prefix.equals("/usr") || prefix.startsWith("/usr/");
        }

        static PythonInstallation find(String configured) throws IOException {
            Process process = new ProcessBuilder(
                            configured, "-I", "-c", "import sys; print(sys.executable); print(sys.base_prefix)")
                    .redirectErrorStream(true)
                    .start();
            try {
                process.getOutputStream().close();
                String text = new String(process.getInputStream().readAllBytes());
                if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IOException(configured + " could not be started: " + text.strip());
                }
                String[] lines = text.strip().split("\n");
                Path prefix = Path.of(lines[1]).toRealPath();
                Path executable = Path.of(lines[0]).toRealPath();
                if (!executable.startsWith(prefix) && !executable.startsWith("/usr/")) {
                    throw new IOException(configured + " lives outside its prefix " + prefix);
                }
                return new PythonInstallation(executable.toString(), prefix.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while looking for " + configured, e);
            } finally {
                process.destroyForcibly();
            }
        }
    }
}
