package dev.evalfleet.coordinator.access;

import dev.evalfleet.coordinator.api.ForbiddenException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/** Who is making the current request, for the features that record owners, check them and hold quotas. */
@Component
public class Callers {

    /** The current request's caller; every API request has one by the time a controller runs. */
    public Caller current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof CallerAuthentication caller) {
            return caller.getPrincipal();
        }
        throw new IllegalStateException("no authenticated caller in this thread");
    }

    /** Refuses with 403 unless the caller created {@code owner}'s thing or is an admin. */
    public Caller requireMayActOn(String owner, String action) {
        Caller caller = current();
        if (!caller.mayActOn(owner)) {
            throw new ForbiddenException(caller.name() + " (" + caller.role().label() + ") may not " + action
                    + ": it was created by " + (owner == null ? "nobody known" : owner)
                    + "; only its creator or an admin may");
        }
        return caller;
    }
}
