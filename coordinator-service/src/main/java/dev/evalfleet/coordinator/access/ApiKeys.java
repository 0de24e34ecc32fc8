package dev.evalfleet.coordinator.access;

import dev.evalfleet.coordinator.CoordinatorProperties;
import dev.evalfleet.coordinator.api.ConflictException;
import dev.evalfleet.coordinator.api.InvalidRequestException;
import dev.evalfleet.coordinator.api.NotFoundException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, lists and revokes API keys, and tells who a key belongs to. */
@Service
class ApiKeys implements SmartInitializingSingleton {

    static final String BOOTSTRAP_NAME = "bootstrap-admin";
    private static final Pattern BOOTSTRAP_KEY = Pattern.compile("[A-Za-z0-9_-]{" + ApiKeySecret.MIN_LENGTH + ",}");
    private static final Duration USE_RECORDED_EVERY = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

    private final ApiKeyRepository keys;
    private final Quotas defaults;
    private final String bootstrapKey;

    ApiKeys(ApiKeyRepository keys, CoordinatorProperties properties) {
        this.keys = keys;
        this.defaults = Quotas.of(properties.access().quotas());
        this.bootstrapKey = properties.access().adminKey();
    }

    /** What a caller of {@code role} is held to unless its key names its own quotas. */
    Quotas defaults(Role role) {
        return role == Role.ADMIN ? Quotas.NONE : defaults;
    }

    @Transactional
    KeyView create(CreateKeyRequest request, String createdBy) {
        if (request.expiresAt() != null && !request.expiresAt().isAfter(Instant.now())) {
            throw InvalidRequestException.field("expiresAt", "must be in the future");
        }
        if (keys.findByNameAndRevokedAtIsNull(request.name()).isPresent()) {
            throw nameTaken(request.name());
        }
        Role role = Role.parse(request.role()).orElseThrow();
        String key = ApiKeySecret.newKey();
        ApiKeyEntity entity;
        try {
            entity = keys.saveAndFlush(new ApiKeyEntity(
                    request.name(), role, ApiKeySecret.of(key), createdBy, request.expiresAt(), request.quotas()));
        } catch (DataIntegrityViolationException e) {
            throw nameTaken(request.name()); // created at the same moment by another request
        }
        log.info("API key '{}' ({}) created by {}", request.name(), role.label(), createdBy);
        return entity.toView(defaults(role), key);
    }

    private static ConflictException nameTaken(String name) {
        return new ConflictException(
                "A key named '" + name + "' exists; revoke it first, or choose another name (field name)");
    }

    @Transactional(readOnly = true)
    List<KeyView> list() {
        return keys.findAllByOrderByCreatedAtDesc().stream()
                .map(key -> key.toView(defaults(key.role()), null))
                .toList();
    }

    @Transactional
    KeyView revoke(UUID id, String revokedBy) {
        ApiKeyEntity key = keys.findById(id).orElseThrow(() -> new NotFoundException("No API key with id " + id));
        key.revoke();
        log.info("API key '{}' revoked by {}", key.name(), revokedBy);
        return key.toView(defaults(key.role()), null);
    }

    /** The caller a key stands for; a key unknown, expired or revoked is refused, saying which. */
    Caller authenticate(String token) {
        ApiKeySecret secret = ApiKeySecret.of(token);
        ApiKeyEntity key = secret == null
                ? null
                : keys.findByPrefix(secret.prefix())
                        .filter(candidate -> secret.matches(candidate.hash()))
                        .orElse(null);
        if (key == null) {
            throw new BadCredentialsException("Unknown API key");
        }
        Instant now = Instant.now();
        if (key.revokedAt() != null) {
            throw new BadCredentialsException("The API key was revoked");
        }
        if (key.expiresAt() != null && !key.expiresAt().isAfter(now)) {
            throw new BadCredentialsException("The API key has expired");
        }
        if (key.lastUsedAt() == null || key.lastUsedAt().isBefore(now.minus(USE_RECORDED_EVERY))) {
            keys.recordUse(key.id(), now, now.minus(USE_RECORDED_EVERY));
        }
        return new Caller(key.name(), key.role(), Caller.API_KEY, key.quotas(defaults(key.role())));
    }

    /**
     * Stores the admin key given at start ({@code EVALFLEET_ADMIN_KEY}) before the API serves; a new
     * one replaces the last one given.
     */
    @Override
    public void afterSingletonsInstantiated() {
        if (bootstrapKey == null || bootstrapKey.isBlank()) {
            return;
        }
        if (!BOOTSTRAP_KEY.matcher(bootstrapKey).matches()) {
            throw new IllegalStateException(
                    "evalfleet.coordinator.access.admin-key (EVALFLEET_ADMIN_KEY) must be at least "
                            + ApiKeySecret.MIN_LENGTH + " characters of A-Z, a-z, 0-9, '_' and '-'");
        }
        ApiKeySecret secret = ApiKeySecret.of(bootstrapKey);
        ApiKeyEntity stored = keys.findByPrefix(secret.prefix()).orElse(null);
        if (stored != null) {
            if (!secret.matches(stored.hash())) {
                throw new IllegalStateException("the admin key given (EVALFLEET_ADMIN_KEY) starts like another key"
                        + " stored; choose another");
            }
            if (stored.revokedAt() != null) {
                log.warn("The admin key given at start (EVALFLEET_ADMIN_KEY) was revoked; it stays revoked");
            }
            return;
        }
        keys.findByNameAndRevokedAtIsNull(BOOTSTRAP_NAME).ifPresent(previous -> {
            previous.revoke();
            keys.saveAndFlush(previous);
        });
        keys.saveAndFlush(new ApiKeyEntity(BOOTSTRAP_NAME, Role.ADMIN, secret, "EVALFLEET_ADMIN_KEY", null, null));
        log.info("Admin key '{}' stored from EVALFLEET_ADMIN_KEY", BOOTSTRAP_NAME);
    }
}
