package dev.evalfleet.coordinator.access;

import java.util.Locale;
import java.util.Optional;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** What a caller may do; each role may do everything the one before it may. */
public enum Role {
    /** Reads jobs, results, datasets and the fleet. */
    VIEWER,
    /** Also starts jobs, cancels and retries its own, and imports datasets. */
    EVALUATOR,
    /** Everything, others' jobs and the API keys included. */
    ADMIN;

    /** The name the API and tokens use: {@code viewer}, {@code evaluator}, {@code admin}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    GrantedAuthority authority() {
        return new SimpleGrantedAuthority("ROLE_" + name());
    }

    static Optional<Role> parse(String value) {
        for (Role role : values()) {
            if (role.label().equalsIgnoreCase(value == null ? "" : value.strip())) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
