package dev.trainyard.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

@SpringBootTest(properties = {"trainyard.runs.crash-after=1m", "trainyard.workers.count=0"})
class CrashDetectionTest {

    @Autowired
    RunManagement runs;
    @Autowired
    CrashDetector detector;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aSilentScriptsRunBecomesCrashedAndComesBackWhenItHeartbeatsAgain() {
        String silent = runs.create(new NewRun("crash", "silent", null, null, null, null)).getId();
        String alive = runs.create(new NewRun("crash", "alive", null, null, null, null)).getId();
        jdbc.update("update run set heartbeat_at = ? where id = ?", Timestamp.from(Instant.now().minusSeconds(61)), silent);

        detector.detectCrashes();

        assertThat(runs.get(silent).getState()).isEqualTo(RunState.CRASHED);
        assertThat(runs.get(alive).getState()).isEqualTo(RunState.RUNNING);

        runs.heartbeat(silent);
        assertThat(runs.get(silent).getState()).isEqualTo(RunState.RUNNING);
    }
}
