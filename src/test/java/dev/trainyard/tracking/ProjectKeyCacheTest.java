package dev.trainyard.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

class ProjectKeyCacheTest {

    private Instant now = Instant.parse("2026-12-04T12:00:00Z");
    private final ProjectKeyCache cache = new ProjectKeyCache(new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    });
    private final AtomicInteger reads = new AtomicInteger();

    private RunSearch.Keys read() {
        return new RunSearch.Keys(List.of("lr" + reads.incrementAndGet()), List.of("loss"));
    }

    @Test
    void aProjectsKeysAreReadOnceWithinTheTtlAndAgainAfterIt() {
        assertThat(cache.get("p", this::read).config()).containsExactly("lr1");
        assertThat(cache.get("p", this::read).config()).containsExactly("lr1");
        assertThat(cache.get("q", this::read).config()).as("another project's are its own").containsExactly("lr2");
        now = now.plus(ProjectKeyCache.TTL);
        assertThat(cache.get("p", this::read).config()).containsExactly("lr3");
    }

    @Test
    void aNewKeyIsListedAtOnceAndAgainWhenItsTransactionCommits() {
        cache.get("p", this::read);
        cache.keysChanged();
        assertThat(cache.get("p", this::read).config()).containsExactly("lr2");

        TransactionSynchronizationManager.initSynchronization();
        try {
            cache.keysChanged();
            // A page read before the commit sees the old keys, and must not keep them past it.
            assertThat(cache.get("p", this::read).config()).containsExactly("lr3");
            assertThat(cache.get("p", this::read).config()).containsExactly("lr3");
            TransactionSynchronizationManager.getSynchronizations().forEach(TransactionSynchronization::afterCommit);
        } finally {
            TransactionSynchronizationManager.clearSynchronization();
        }
        assertThat(cache.get("p", this::read).config()).containsExactly("lr4");
    }
}
