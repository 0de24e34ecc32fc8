package dev.evalfleet.coordinator.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

interface ApiKeyRepository extends JpaRepository<ApiKeyEntity, UUID> {

    Optional<ApiKeyEntity> findByPrefix(String prefix);

    Optional<ApiKeyEntity> findByNameAndRevokedAtIsNull(String name);

    List<ApiKeyEntity> findAllByOrderByCreatedAtDesc();

    /** Records a use; at most one write per key and {@code since}, not one per request. */
    @Transactional
    @Modifying
    @Query(
            "update ApiKeyEntity k set k.lastUsedAt = :now where k.id = :id and (k.lastUsedAt is null or k.lastUsedAt < :since)")
    int recordUse(UUID id, Instant now, Instant since);
}
