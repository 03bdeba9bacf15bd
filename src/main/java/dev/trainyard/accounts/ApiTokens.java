package dev.trainyard.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface ApiTokens extends JpaRepository<ApiToken, Long> {

    @Query("select t from ApiToken t join fetch t.account where t.tokenHash = :hash")
    Optional<ApiToken> findByHash(String hash);

    List<ApiToken> findByAccountOrderByCreatedAtDesc(Account account);

    /** Conditional, so that many requests with one token write at most once per interval. */
    @Modifying
    @Query("update ApiToken t set t.lastUsedAt = :now where t.id = :id and (t.lastUsedAt is null or t.lastUsedAt < :staleBefore)")
    int touch(Long id, Instant now, Instant staleBefore);
}
