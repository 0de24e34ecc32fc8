package dev.evalfleet.coordinator.access;

/** Who the caller is, as {@code GET /api/me} shows it. */
record CallerView(String name, String role, String kind, Quotas quotas) {

    static CallerView of(Caller caller) {
        return new CallerView(caller.name(), caller.role().label(), caller.kind(), caller.quotas());
    }
}
