package dev.evalfleet.coordinator.result;

import java.util.List;

/**
 * One page of a problem's samples, in sample order (a FAILED task's row first).
 *
 * @param verdict the verdict the page is filtered by; {@code null} for all
 * @param totalItems rows of the problem that match the filter
 */
public record SamplePage(
        String problem, String verdict, int page, int size, long totalItems, int totalPages, List<SampleView> items) {}
