package dev.evalfleet.coordinator.upload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the errors of an uploaded file, to report the first ones by line. */
public final class LineErrors {

    private final List<LineError> all = new ArrayList<>();

    public void add(Integer line, String field, String message) {
        all.add(new LineError(line, field, message));
    }

    public boolean isEmpty() {
        return all.isEmpty();
    }

    public int size() {
        return all.size();
    }

    /** Throws when any error was found, listing at most {@code limit} of them in line order. */
    public void throwIfAny(String what, int limit) {
        if (all.isEmpty()) {
            return;
        }
        List<LineError> first = all.stream()
                .sorted(Comparator.comparing(LineError::line, Comparator.nullsFirst(Comparator.naturalOrder())))
                .limit(limit)
                .toList();
        throw new InvalidUploadException(what, first, all.size());
    }
}
