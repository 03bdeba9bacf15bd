package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.trainyard.tracking.LogLine;
import dev.trainyard.tracking.RunLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

/** A job's console never stops its training: lines wait while the store refuses, and arrive in order once it takes them. */
class JobLogTest {

    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final RunLogs store = mock(RunLogs.class);
    final List<LogLine> stored = new ArrayList<>();
    boolean refusing = true;

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void linesWaitWhileTheStoreRefusesAndArriveInOrderOnceItTakesThem() {
        doAnswer(call -> {
            if (refusing) {
                throw new DataAccessResourceFailureException("the database is out of reach");
            }
            stored.addAll(call.getArgument(1));
            return null;
        }).when(store).append(eq("run1"), anyList());
        // An interval no test waits for: flushes here are the test's own.
        var log = new JobLog("run1", store, scheduler, Duration.ofHours(1), Clock.systemUTC());

        log.info("step 1/2  loss 0.5");
        log.warn("loss is NaN at step 2");
        assertThatThrownBy(log::flush).isInstanceOf(DataAccessResourceFailureException.class);
        log.error("job failed: boom", new IllegalStateException("boom"));
        refusing = false;
        assertThatCode(log::close).doesNotThrowAnyException();

        assertThat(stored).extracting(LogLine::text).startsWith("INFO  step 1/2  loss 0.5", "WARN  loss is NaN at step 2",
                "ERROR job failed: boom", "java.lang.IllegalStateException: boom");
        assertThat(stored.get(4).text()).startsWith("\tat dev.trainyard.jobs.JobLogTest.");
        assertThat(stored).extracting(LogLine::stream).containsOnly(LogLine.STDOUT, LogLine.STDERR);
        assertThat(stored.get(0).stream()).isEqualTo(LogLine.STDOUT);
        assertThat(stored.get(1).stream()).isEqualTo(LogLine.STDERR);
    }

    @Test
    void closingWhileTheStoreStillRefusesIsNoException() {
        doAnswer(call -> {
            throw new DataAccessResourceFailureException("the database is out of reach");
        }).when(store).append(eq("run1"), anyList());
        var log = new JobLog("run1", store, scheduler, Duration.ofHours(1), Clock.systemUTC());
        log.info("a line");

        assertThatCode(log::close).doesNotThrowAnyException();
    }
}
