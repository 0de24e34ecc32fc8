package dev.evalfleet.worker.model;

/** Told when a model server refuses a request as overloaded (429, 503), so the fleet can back off. */
public interface ServerSignals {

    void pushedBack(String endpoint);
}
