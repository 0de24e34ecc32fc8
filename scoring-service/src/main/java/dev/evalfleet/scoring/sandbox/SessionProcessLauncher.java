package dev.evalfleet.scoring.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs each program as a plain process in a session of its own ({@code setsid}), so that everything
 * it forks can be found and killed by session and process group as well as by parentage (the runner
 * makes itself a child subreaper, so orphans stay below it).
 *
 * <p>Used only in the {@code unsandboxed} mode an operator has to choose explicitly: isolation is
 * limited to rlimits (set by the runner), a scrubbed environment and a private working directory.
 */
@Component
class SessionProcessLauncher implements ProcessLauncher {

    private static final Logger log = LoggerFactory.getLogger(SessionProcessLauncher.class);

    // A fork bomb can keep creating members while we kill; each round kills all that exist.
    private static final int MAX_KILL_ROUNDS = 200;

    private static final long KILL_PAUSE_NANOS = 1_000_000;

    private static final Path PROC = Path.of("/proc");

    @Override
    public String sandboxName() {
        return "unsandboxed";
    }

    @Override
    public Process launch(LaunchSpec spec) throws IOException {
        List<String> command = new ArrayList<>();
        // setsid execs in place (the child of the JVM is never a group leader), so the pid we hold
        // is the session id and process group id of the program and of everything it forks.
        command.add("setsid");
        command.addAll(spec.command());
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(spec.workDir().toFile());
        builder.environment().clear();
        builder.environment().putAll(spec.environment());
        return builder.start();
    }

    @Override
    public void destroyTree(Process process) {
        long root = process.pid();
        // First while the runner lives: it is a child subreaper, so orphans of the program's processes
        // (double forks, setsid) are re-parented to it and are still found among its descendants.
        killRounds(root, true);
        process.toHandle().destroyForcibly();
        // Then by session and group, for what was forked while the runner itself was being killed.
        if (!killRounds(root, false)) {
            log.warn("Processes of run {} were still alive after {} kill rounds", root, MAX_KILL_ROUNDS);
        }
    }

    /** Kills the run's processes until none is left; false if some still were after the last round. */
    private static boolean killRounds(long root, boolean whileRootLives) {
        for (int round = 0; round < MAX_KILL_ROUNDS; round++) {
            List<ProcessEntry> table = processTable();
            if (whileRootLives && table.stream().noneMatch(entry -> entry.pid() == root && entry.live())) {
                return true;
            }
            List<Long> members = members(table, root);
            if (members.isEmpty()) {
                return true;
            }
            // Through the handle: Process.destroyForcibly() would also close the pipes we still drain.
            members.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            LockSupport.parkNanos(KILL_PAUSE_NANOS); // SIGKILL takes effect asynchronously
        }
        return false;
    }

    /** Live processes, other than the root, in the root's session or group or below it by parentage. */
    static List<Long> members(List<ProcessEntry> table, long root) {
        Map<Long, List<ProcessEntry>> byParent = new HashMap<>();
        table.forEach(entry ->
                byParent.computeIfAbsent(entry.ppid(), k -> new ArrayList<>()).add(entry));
        Set<Long> found = new LinkedHashSet<>();
        table.stream()
                .filter(entry -> entry.sid() == root || entry.pgrp() == root)
                .forEach(entry -> found.add(entry.pid()));
        Set<Long> visited = new HashSet<>();
        Deque<Long> parents = new ArrayDeque<>(List.of(root));
        while (!parents.isEmpty()) {
            for (ProcessEntry child : byParent.getOrDefault(parents.pop(), List.of())) {
                if (visited.add(child.pid())) {
                    found.add(child.pid());
                    parents.push(child.pid());
                }
            }
        }
        Set<Long> live = new HashSet<>();
        table.stream().filter(ProcessEntry::live).forEach(entry -> live.add(entry.pid()));
        return found.stream().filter(pid -> pid != root && live.contains(pid)).toList();
    }

    /** One line of /proc/[pid]/stat, as far as killing is concerned. */
    record ProcessEntry(long pid, long ppid, long pgrp, long sid, char state) {

        boolean live() {
            return state != 'Z' && state != 'X';
        }
    }

    static List<ProcessEntry> processTable() {
        try (Stream<Path> entries = Files.list(PROC)) {
            return entries.map(path -> path.getFileName().toString())
                    .filter(name -> !name.isEmpty() && name.chars().allMatch(Character::isDigit))
                    .map(SessionProcessLauncher::read)
                    .flatMap(Optional::stream)
                    .toList();
        } catch (IOException e) {
            log.warn("Cannot list /proc to find the processes of a run", e);
            return List.of();
        }
    }

    private static Optional<ProcessEntry> read(String pid) {
        String stat;
        try {
            stat = Files.readString(PROC.resolve(pid).resolve("stat"));
        } catch (IOException e) {
            return Optional.empty(); // exited while we looked
        }
        // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        if (fields.length < 4) {
            return Optional.empty();
        }
        return Optional.of(new ProcessEntry(
                Long.parseLong(pid),
                Long.parseLong(fields[1]),
                Long.parseLong(fields[2]),
                Long.parseLong(fields[3]),
                fields[0].charAt(0)));
    }
}
