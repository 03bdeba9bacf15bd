package dev.trainyard.shared.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class H2WritePolicyTest {

    @Test
    void fileUrlsGetWriteDelayZeroWhateverTheySaid() {
        assertThat(H2WritePolicy.enforced("jdbc:h2:file:/d/t;AUTO_SERVER=FALSE")).isEqualTo("jdbc:h2:file:/d/t;AUTO_SERVER=FALSE;WRITE_DELAY=0");
        assertThat(H2WritePolicy.enforced("jdbc:h2:file:/d/t;write_delay = 500;X=1")).isEqualTo("jdbc:h2:file:/d/t;X=1;WRITE_DELAY=0");
        assertThat(H2WritePolicy.enforced("jdbc:h2:/d/t;WRITE_DELAY=0;WRITE_DELAY=9")).isEqualTo("jdbc:h2:/d/t;WRITE_DELAY=0");
    }

    @Test
    void onlyFileDatabasesAreConcernedAndAnEnforcedUrlIsLeftAlone() {
        assertThat(H2WritePolicy.applies("jdbc:h2:mem:test")).isFalse();
        assertThat(H2WritePolicy.applies("jdbc:postgresql://localhost/t")).isFalse();
        assertThat(H2WritePolicy.applies("jdbc:h2:file:/d/t")).isTrue();
        assertThat(H2WritePolicy.isAlreadyEnforced("jdbc:h2:file:/d/t;WRITE_DELAY=0;AUTO_SERVER=FALSE")).isTrue();
        assertThat(H2WritePolicy.isAlreadyEnforced("jdbc:h2:file:/d/t;WRITE_DELAY=10")).isFalse();
        assertThat(H2WritePolicy.isAlreadyEnforced("jdbc:h2:file:/d/t")).isFalse();
    }

    @Test
    void retentionTimeZeroIsADefaultThatTheUrlMayOverride() {
        assertThat(H2WritePolicy.withRetentionDefault("jdbc:h2:file:/d/t;WRITE_DELAY=0")).isEqualTo("jdbc:h2:file:/d/t;WRITE_DELAY=0;RETENTION_TIME=0");
        assertThat(H2WritePolicy.withRetentionDefault("jdbc:h2:file:/d/t;retention_time = 45000")).isEqualTo("jdbc:h2:file:/d/t;retention_time = 45000");
    }
}
