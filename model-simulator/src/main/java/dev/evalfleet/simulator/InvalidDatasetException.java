package dev.evalfleet.simulator;

import java.nio.file.Path;

/** A dataset file that cannot be read as a dataset the stand-in knows; the message names the line. */
public final class InvalidDatasetException extends RuntimeException {

    private InvalidDatasetException(String message, Throwable cause) {
        super(message, cause);
    }

    static InvalidDatasetException atLine(Path file, int line, String problem, Throwable cause) {
        return new InvalidDatasetException(file + ":" + line + ": " + problem, cause);
    }

    static InvalidDatasetException unreadable(Path file, Throwable cause) {
        return new InvalidDatasetException(file + ": cannot be read: " + cause.getMessage(), cause);
    }
}
