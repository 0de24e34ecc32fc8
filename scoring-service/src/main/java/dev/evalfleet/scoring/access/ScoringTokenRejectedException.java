package dev.evalfleet.scoring.access;

/** A caller sent no scoring token, or not the right one: answered 401. */
public class ScoringTokenRejectedException extends RuntimeException {

    private ScoringTokenRejectedException(String message) {
        super(message);
    }

    static ScoringTokenRejectedException missing() {
        return new ScoringTokenRejectedException("Send the scoring token as 'Authorization: Bearer <token>'.");
    }

    static ScoringTokenRejectedException wrong() {
        return new ScoringTokenRejectedException("The bearer token is not the scoring token.");
    }
}
