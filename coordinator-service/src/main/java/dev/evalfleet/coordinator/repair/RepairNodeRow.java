package dev.evalfleet.coordinator.repair;

/**
 * One stored node of a self-repair tree, as the report and the tree view read it.
 *
 * @param problem the dataset's task id of the problem
 * @param ordinal the problem's position in the job
 * @param nodeId the sample index within the problem's task
 * @param parentId the parent's sample index; {@code null} in turn 1
 * @param passedHidden whether the node passed the hidden tests
 */
record RepairNodeRow(
        String problem,
        int ordinal,
        int nodeId,
        int turn,
        Integer parentId,
        double reward,
        boolean passedHidden,
        long tokens) {}
