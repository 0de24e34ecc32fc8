package dev.evalfleet.coordinator.provenance;

/**
 * The evalfleet build of a service; {@code null} parts where the build left no record of them.
 *
 * @param version the Maven version
 * @param commit the git commit it was built from
 */
public record EvalfleetBuild(String version, String commit) {}
