package dev.evalfleet.scoring.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to start: the command, its working directory and its complete environment.
 *
 * @param command the program and its arguments
 * @param workDir the working directory, private to this run
 * @param environment the whole environment; nothing of the service's own is inherited
 */
public record LaunchSpec(List<String> command, Path workDir, Map<String, String> environment) {

    public LaunchSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }
}
