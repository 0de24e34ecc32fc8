package dev.evalfleet.worker.model;

/** Asks one kind of model server for one answer; throws when the server fails or times out. */
interface ModelClient {

    /** Returns the answer without {@link ModelAnswer#generationMillis()}, which the caller measures. */
    ModelAnswer answer(ModelRequest request);
}
