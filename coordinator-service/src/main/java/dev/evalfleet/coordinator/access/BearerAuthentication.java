package dev.evalfleet.coordinator.access;

import dev.evalfleet.coordinator.CoordinatorProperties;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * Checks the bearer token of a request: a JWT (three dot-separated parts) goes to the identity
 * provider's decoder where one is configured, anything else is looked up as an API key.
 */
final class BearerAuthentication {

    private BearerAuthentication() {}

    static AuthenticationManager manager(ApiKeys keys, JwtDecoder jwtDecoder, CoordinatorProperties.Jwt claims) {
        List<AuthenticationProvider> providers = new ArrayList<>();
        providers.add(new ApiKeyProvider(keys));
        if (jwtDecoder != null) {
            JwtAuthenticationProvider jwt = new JwtAuthenticationProvider(jwtDecoder);
            jwt.setJwtAuthenticationConverter(token -> new CallerAuthentication(callerOf(token, claims, keys)));
            providers.add(jwt);
        }
        return new ProviderManager(providers);
    }

    static boolean isJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    private static Caller callerOf(Jwt token, CoordinatorProperties.Jwt claims, ApiKeys keys) {
        String name = token.getClaimAsString(claims.nameClaim());
        if (name == null || name.isBlank()) {
            throw new BadCredentialsException("The token has no claim '" + claims.nameClaim() + "' naming the caller");
        }
        Role role = rolesOf(token.getClaim(claims.rolesClaim())).stream()
                .max(Comparator.naturalOrder())
                .orElseThrow(() -> new BadCredentialsException("The token's claim '" + claims.rolesClaim()
                        + "' names no evalfleet role (viewer, evaluator, admin)"));
        return new Caller(name, role, Caller.JWT, keys.defaults(role));
    }

    private static List<Role> rolesOf(Object claim) {
        Collection<?> values = claim instanceof Collection<?> list ? list : claim == null ? List.of() : List.of(claim);
        return values.stream()
                .map(value -> Role.parse(String.valueOf(value)))
                .flatMap(Optional::stream)
                .toList();
    }

    /** API keys; a JWT is left to the next provider. */
    private record ApiKeyProvider(ApiKeys keys) implements AuthenticationProvider {

        @Override
        public Authentication authenticate(Authentication authentication) {
            String token = ((BearerTokenAuthenticationToken) authentication).getToken();
            return isJwt(token) ? null : new CallerAuthentication(keys.authenticate(token));
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
        }
    }
}
