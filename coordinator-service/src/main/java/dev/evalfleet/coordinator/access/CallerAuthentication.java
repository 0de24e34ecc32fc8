package dev.evalfleet.coordinator.access;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A request's caller once its API key or token has been checked. */
final class CallerAuthentication extends AbstractAuthenticationToken {

    private final Caller caller;

    CallerAuthentication(Caller caller) {
        super(List.of(caller.role().authority()));
        this.caller = caller;
        setAuthenticated(true);
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public String getName() {
        return caller.name();
    }
}
