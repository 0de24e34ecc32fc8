package dev.evalfleet.coordinator.access;

import dev.evalfleet.coordinator.CoordinatorProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Access", description = "API keys (admin) and who the caller is")
class ApiKeyController {

    private final ApiKeys keys;
    private final Callers callers;
    private final SignInOptions signIn;

    ApiKeyController(ApiKeys keys, Callers callers, CoordinatorProperties properties) {
        this.keys = keys;
        this.callers = callers;
        CoordinatorProperties.Oidc oidc = properties.access().oidc();
        String issuer = oidc.issuer() == null ? "" : oidc.issuer();
        this.signIn = new SignInOptions(
                oidc.clientId() == null || oidc.clientId().isBlank() || issuer.isBlank()
                        ? null
                        : new SignInOptions.IdentityProvider(
                                oidc.name() == null || oidc.name().isBlank() ? issuer : oidc.name(),
                                issuer,
                                oidc.clientId(),
                                oidc.scope()));
    }

    @GetMapping("/api/sign-in")
    @Operation(summary = "How to sign in: API key or token, and the identity provider's login where configured (open)")
    SignInOptions signIn() {
        return signIn;
    }

    @PostMapping("/api/keys")
    @Operation(summary = "Create an API key; the key is in this answer only, and stored only as a hash")
    ResponseEntity<KeyView> create(@Valid @RequestBody CreateKeyRequest request) {
        KeyView key = keys.create(request, callers.current().name());
        return ResponseEntity.created(URI.create("/api/keys/" + key.id())).body(key);
    }

    @GetMapping("/api/keys")
    @Operation(summary = "API keys, newest first (never the keys themselves)")
    List<KeyView> list() {
        return keys.list();
    }

    @DeleteMapping("/api/keys/{id}")
    @Operation(summary = "Revoke an API key: from now on it is refused with 401")
    KeyView revoke(@PathVariable UUID id) {
        return keys.revoke(id, callers.current().name());
    }

    @GetMapping("/api/me")
    @Operation(summary = "Who the caller is: name, role, kind of credential and quotas")
    CallerView me() {
        return CallerView.of(callers.current());
    }
}
