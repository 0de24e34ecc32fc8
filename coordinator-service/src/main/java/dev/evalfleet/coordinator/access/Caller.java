package dev.evalfleet.coordinator.access;

/**
 * Who is asking: an API key (its name) or an identity provider's token (its subject), the role it holds
 * and the quotas it is held to.
 *
 * @param kind {@code api-key} or {@code jwt}
 */
public record Caller(String name, Role role, String kind, Quotas quotas) {

    static final String API_KEY = "api-key";
    static final String JWT = "jwt";

    /** Whether this caller may act on something {@code owner} created: its own, or any as an admin. */
    public boolean mayActOn(String owner) {
        return role == Role.ADMIN || name.equals(owner);
    }
}
