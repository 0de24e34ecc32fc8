package dev.evalfleet.coordinator.provenance;

import java.util.List;

/**
 * What ran a job, for its view.
 *
 * @param reported what the workers reported, first seen first; empty before any result (and for
 *     jobs finished before workers reported it)
 * @param coordinator the build of the coordinator serving the view
 */
public record ProvenanceView(List<ReportedProvenance> reported, EvalfleetBuild coordinator) {}
