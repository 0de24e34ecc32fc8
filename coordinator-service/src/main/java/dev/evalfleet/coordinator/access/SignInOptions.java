package dev.evalfleet.coordinator.access;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a person may sign in to the dashboard: always with an API key or a pasted token; with the
 * identity provider's login page where one is configured.
 */
record SignInOptions(
        @JsonInclude(JsonInclude.Include.NON_NULL) IdentityProvider identityProvider) {

    /**
     * @param issuer the provider's issuer URI; its {@code /.well-known/openid-configuration} names the
     *     authorization and token endpoints
     * @param clientId the dashboard's public client (no secret: the browser cannot keep one)
     */
    record IdentityProvider(String name, String issuer, String clientId, String scope) {}
}
