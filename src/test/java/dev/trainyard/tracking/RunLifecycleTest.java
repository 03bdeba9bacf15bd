package dev.trainyard.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import dev.trainyard.shared.web.ConflictException;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Walks the whole transition table: first the table itself against the lifecycle written out
 * here by hand, then every way the code has of moving a run, tried from every state of either
 * kind. A move lands exactly where the table allows it, records one STATE event when it does,
 * and otherwise leaves the row as it was: a 409 naming the state for a user's move, a false for
 * the queue's.
 */
@SpringBootTest(properties = {"trainyard.runs.crash-after=1m", "trainyard.workers.count=0"})
class RunLifecycleTest {

    /** kind, from, the states it may become; a state missing here may become nothing. */
    private static final String LIFECYCLE = """
            JOB QUEUED RUNNING CANCELLED
            JOB RUNNING QUEUED FINISHED FAILED CANCELLED
            EXTERNAL RUNNING FINISHED FAILED CRASHED
            EXTERNAL CRASHED RUNNING FINISHED FAILED
            EXTERNAL FINISHED RUNNING
            EXTERNAL FAILED RUNNING
            """;

    @Autowired
    RunLifecycle lifecycle;
    @Autowired
    RunManagement runs;
    @Autowired
    EntityManager entities;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theTableIsTheLifecycleWrittenOutByHand() {
        for (RunKind kind : RunKind.values()) {
            for (RunState from : RunState.values()) {
                for (RunState to : RunState.values()) {
                    assertThat(RunLifecycle.allows(kind, from, to)).as("%s %s -> %s", kind, from, to)
                            .isEqualTo(expected(kind, from, to));
                }
            }
        }
    }

    @Test
    void theQueuesMovesLandExactlyWhereTheTableAllows() {
        for (RunState from : RunState.values()) {
            tryMove(RunKind.JOB, from, RunState.RUNNING, run -> lifecycle.claim(run.getId(), run.getProject().getId(), run.getVersion()));
            tryMove(RunKind.JOB, from, RunState.QUEUED, run -> lifecycle.handBack(run.getId(), run.getProject().getId(),
                    RunLifecycle.Guard.NONE));
            tryMove(RunKind.JOB, from, RunState.QUEUED, run -> lifecycle.requeue(run.getId(), run.getProject().getId(),
                    RunLifecycle.Guard.NONE));
            for (RunState ending : List.of(RunState.FINISHED, RunState.FAILED)) {
                tryMove(RunKind.JOB, from, ending, run -> lifecycle.endJob(run.getId(), run.getProject().getId(), ending, null,
                        RunLifecycle.Guard.NONE));
                // a script's run is never moved by the queue
                tryMove(RunKind.EXTERNAL, from, ending, run -> lifecycle.endJob(run.getId(), run.getProject().getId(), ending, null,
                        RunLifecycle.Guard.NONE), false);
            }
            tryMove(RunKind.EXTERNAL, from, RunState.RUNNING, run -> lifecycle.claim(run.getId(), run.getProject().getId(),
                    run.getVersion()), false);
        }
    }

    @Test
    void aScriptsRunMovesExactlyWhereTheTableAllows() {
        for (RunState from : RunState.values()) {
            for (RunState ending : List.of(RunState.FINISHED, RunState.FAILED)) {
                // the same ending twice is no move, and no error: a retried finish() succeeds
                tryMove(RunKind.EXTERNAL, from, ending, run -> lifecycle.end(run, ending), from != ending && expected(RunKind.EXTERNAL, from, ending));
            }
            // a sign of life revives a run taken for crashed, and moves nothing else
            tryMove(RunKind.EXTERNAL, from, RunState.RUNNING, run -> {
                lifecycle.signOfLife(run.getId(), run.getProject().getId(), run.getKind(), run.getState());
                entities.refresh(run);
                return run.getState() != from;
            }, from == RunState.CRASHED);
            // resuming a running run only beats its heart
            tryMove(RunKind.EXTERNAL, from, RunState.RUNNING, run -> {
                lifecycle.resume(run);
                return from != RunState.RUNNING;
            }, from != RunState.RUNNING && expected(RunKind.EXTERNAL, from, RunState.RUNNING));
            for (RunKind kind : RunKind.values()) {
                tryMove(kind, from, RunState.CRASHED, run -> {
                    jdbc.update("update run set heartbeat_at = ? where id = ?", Timestamp.from(Instant.now().minusSeconds(120)),
                            run.getId());
                    lifecycle.crashSilent(Instant.now().minusSeconds(60));
                    entities.refresh(run);
                    return run.getState() != from && run.getState() == RunState.CRASHED;
                });
            }
            tryMove(RunKind.JOB, from, RunState.CANCELLED, run -> {
                lifecycle.cancel(run);
                return true;
            });
        }
    }

    @Test
    void aJobCannotBeEndedNorResumedLikeAScriptsRunNorAScriptsRunCancelled() {
        assertThatThrownBy(() -> inTransaction(RunKind.JOB, RunState.RUNNING, run -> lifecycle.end(run, RunState.FINISHED)))
                .isInstanceOf(ConflictException.class).hasMessageContaining("set by its worker");
        assertThatThrownBy(() -> inTransaction(RunKind.JOB, RunState.FINISHED, run -> {
            lifecycle.resume(run);
            return true;
        })).isInstanceOf(ConflictException.class).hasMessageContaining("only a script's run can be resumed");
        assertThatThrownBy(() -> inTransaction(RunKind.EXTERNAL, RunState.RUNNING, run -> {
            lifecycle.cancel(run);
            return true;
        })).isInstanceOf(ConflictException.class).hasMessageContaining("only jobs can be cancelled");
        assertThatThrownBy(() -> inTransaction(RunKind.EXTERNAL, RunState.RUNNING, run -> lifecycle.end(run, RunState.CANCELLED)))
                .isInstanceOf(ConflictException.class).hasMessageContaining("only be set to FINISHED or FAILED");
    }

    @Test
    void deleteAndRestoreHideAndShowARunInAnyStateWithoutMovingIt() {
        for (RunState state : RunState.values()) {
            String id = runIn(RunKind.JOB, state);
            assertThat(inTransaction(id, lifecycle::delete)).isTrue();
            assertThat(inTransaction(id, lifecycle::delete)).as("deleted twice").isFalse();
            assertThat(jdbc.queryForObject("select deleted_at from run where id = ?", Timestamp.class, id)).isNotNull();
            assertThat(inTransaction(id, lifecycle::restore)).isTrue();
            assertThat(inTransaction(id, lifecycle::restore)).as("restored twice").isFalse();
            assertThat(jdbc.queryForObject("select deleted_at from run where id = ?", Timestamp.class, id)).isNull();
            assertThat(stateOf(id)).isEqualTo(state);
        }
    }

    private void tryMove(RunKind kind, RunState from, RunState to, Predicate<Run> move) {
        tryMove(kind, from, to, move, expected(kind, from, to));
    }

    /** Puts a run of this kind in {@code from}, tries the move, and checks it landed if and only if {@code lands}. */
    private void tryMove(RunKind kind, RunState from, RunState to, Predicate<Run> move, boolean lands) {
        String id = runIn(kind, from);
        long eventsBefore = stateEvents(id);
        String what = kind + " " + from + " -> " + to;
        boolean moved;
        try {
            moved = inTransaction(id, move);
        } catch (ConflictException refused) {
            assertThat(lands).as(what + " was refused: " + refused.getMessage()).isFalse();
            assertThat(refused.getMessage()).as(what).contains(from.name());
            moved = false;
        }
        assertThat(moved).as(what).isEqualTo(lands);
        assertThat(stateOf(id)).as(what).isEqualTo(lands ? to : from);
        assertThat(stateEvents(id) - eventsBefore).as(what + ": STATE events").isEqualTo(lands ? 1 : 0);
    }

    private boolean inTransaction(RunKind kind, RunState state, Predicate<Run> move) {
        return inTransaction(runIn(kind, state), move);
    }

    private boolean inTransaction(String id, Predicate<Run> move) {
        return transaction.execute(tx -> move.test(entities.find(Run.class, id)));
    }

    /** A fresh run put straight into the given kind and state, as if it had got there. */
    private String runIn(RunKind kind, RunState state) {
        String id = runs.create(new NewRun("lifecycle", null, null, null, null, null)).getId();
        jdbc.update("update run set kind = ?, state = ? where id = ?", kind.name(), state.name(), id);
        return id;
    }

    private RunState stateOf(String id) {
        return RunState.valueOf(jdbc.queryForObject("select state from run where id = ?", String.class, id));
    }

    private long stateEvents(String id) {
        return jdbc.queryForObject("select count(*) from run_event where run_id = ? and type = 'STATE'", Long.class, id);
    }

    private static boolean expected(RunKind kind, RunState from, RunState to) {
        var allowed = new ArrayList<String>();
        LIFECYCLE.lines().map(line -> line.split(" ")).filter(cells -> cells[0].equals(kind.name()) && cells[1].equals(from.name()))
                .forEach(cells -> allowed.addAll(List.of(cells).subList(2, cells.length)));
        return allowed.contains(to.name());
    }
}
