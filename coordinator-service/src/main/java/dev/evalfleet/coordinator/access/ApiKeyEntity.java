package dev.evalfleet.coordinator.access;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "api_key")
class ApiKeyEntity {

    @Id
    private UUID id;

    private String name;

    @Enumerated(EnumType.STRING)
    private Role role;

    private String prefix;

    private byte[] hash;

    private Instant createdAt;

    private String createdBy;

    private Instant expiresAt;

    private Instant revokedAt;

    private Instant lastUsedAt;

    private Integer maxRunningJobs;

    private Long maxQueuedRequests;

    private Long maxUploadBytes;

    private Integer maxDatasets;

    private Integer requestsPerMinute;

    protected ApiKeyEntity() {}

    ApiKeyEntity(String name, Role role, ApiKeySecret secret, String createdBy, Instant expiresAt, KeyQuotas quotas) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.role = role;
        this.prefix = secret.prefix();
        this.hash = secret.hash();
        this.createdAt = Instant.now();
        this.createdBy = createdBy;
        this.expiresAt = expiresAt;
        if (quotas != null) {
            this.maxRunningJobs = quotas.runningJobs();
            this.maxQueuedRequests = quotas.queuedRequests();
            this.maxUploadBytes = quotas.uploadBytes();
            this.maxDatasets = quotas.datasets();
            this.requestsPerMinute = quotas.requestsPerMinute();
        }
    }

    UUID id() {
        return id;
    }

    String name() {
        return name;
    }

    Role role() {
        return role;
    }

    byte[] hash() {
        return hash;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    Instant revokedAt() {
        return revokedAt;
    }

    Instant lastUsedAt() {
        return lastUsedAt;
    }

    void revoke() {
        if (revokedAt == null) {
            revokedAt = Instant.now();
        }
    }

    Quotas quotas(Quotas defaults) {
        return defaults.with(maxRunningJobs, maxQueuedRequests, maxUploadBytes, maxDatasets, requestsPerMinute);
    }

    KeyView toView(Quotas defaults, String key) {
        return new KeyView(
                id,
                name,
                role.label(),
                prefix,
                key,
                quotas(defaults),
                createdAt,
                createdBy,
                expiresAt,
                revokedAt,
                lastUsedAt);
    }
}
