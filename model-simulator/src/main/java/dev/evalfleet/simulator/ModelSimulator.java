package dev.evalfleet.simulator;

/** Stand-in model server; placeholder until implemented. */
public final class ModelSimulator {
    public static void main(String[] args) {}
}
