package dev.trainyard.tracking;

import static dev.trainyard.tracking.RunState.CANCELLED;
import static dev.trainyard.tracking.RunState.CRASHED;
import static dev.trainyard.tracking.RunState.FAILED;
import static dev.trainyard.tracking.RunState.FINISHED;
import static dev.trainyard.tracking.RunState.QUEUED;
import static dev.trainyard.tracking.RunState.RUNNING;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.trainyard.shared.web.ConflictException;
import jakarta.persistence.EntityManager;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The only writer of a run's state, and the one place that lists the states a run may go
 * through. Each change is a conditional UPDATE naming the states it may start from, in the
 * manner of db-scheduler, so that two nodes, or a worker and a user, never both win one: the
 * loser sees a zero row count. A change that lands records its STATE event in the same
 * transaction. The {@link Run} entity maps these columns read-only, so a save cannot write them.
 *
 * <p>Apart from its state, a run is active or deleted (MLflow's lifecycle stage): {@link #delete}
 * hides it from any state and {@link #restore} shows it again; neither touches the state.
 */
@Component
@Transactional(propagation = Propagation.MANDATORY)
public class RunLifecycle {

    /** Every change of state a run may make, by kind. Anything not listed is refused. */
    static final Map<RunKind, Map<RunState, Set<RunState>>> TRANSITIONS = Map.of(
            RunKind.JOB, Map.of(
                    QUEUED, EnumSet.of(RUNNING, CANCELLED), // claimed by a worker; cancelled before it started
                    RUNNING, EnumSet.of(QUEUED, FINISHED, FAILED, CANCELLED)), // handed back or requeued; ended; cancelled
            RunKind.EXTERNAL, Map.of(
                    RUNNING, EnumSet.of(FINISHED, FAILED, CRASHED), // the script ends it; it fell silent
                    CRASHED, EnumSet.of(RUNNING, FINISHED, FAILED), // a sign of life; an ending sent late
                    FINISHED, EnumSet.of(RUNNING), // resumed, as wandb's resume or MLflow's status RUNNING do
                    FAILED, EnumSet.of(RUNNING)));

    private final JdbcTemplate jdbc;
    private final RunEventLog events;
    private final EntityManager entities;
    private final Clock clock;

    RunLifecycle(JdbcTemplate jdbc, RunEventLog events, EntityManager entities, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.entities = entities;
        this.clock = clock;
    }

    public static boolean allows(RunKind kind, RunState from, RunState to) {
        return TRANSITIONS.get(kind).getOrDefault(from, Set.of()).contains(to);
    }

    /** The states of a run of this kind from which it may become {@code to}. */
    static Set<RunState> sourcesOf(RunKind kind, RunState to) {
        return TRANSITIONS.get(kind).entrySet().stream().filter(e -> e.getValue().contains(to)).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(RunState.class)));
    }

    /**
     * A further condition on the run's row, in SQL over table {@code run}: the queue's "this node
     * still owns the job", say, which only the queue can phrase.
     */
    public record Guard(String sql, List<Object> args) {

        public static final Guard NONE = new Guard("1 = 1", List.of());

        public static Guard of(String sql, Object... args) {
            return new Guard(sql, List.of(args));
        }

        /** The run has not heart-beaten since {@code deadline}. */
        public static Guard silentSince(Instant deadline) {
            return of("(heartbeat_at is null or heartbeat_at <= ?)", Timestamp.from(deadline));
        }
    }

    /** A new run's first state, recorded as its first event. */
    void created(Run run) {
        events.appendState(run.getId(), run.getProject().getId(), run.getState(), null);
    }

    // --- the queue's transitions, for jobs; each is false when another node or a user won the row first

    /** QUEUED to RUNNING, for the worker that claims it; {@code version} is the one the claimer read. */
    public boolean claim(String runId, String projectId, long version) {
        Timestamp now = now();
        return move(runId, projectId, RunKind.JOB, RUNNING, null, Guard.of("version = ?", version),
                columns("started_at", now, "heartbeat_at", now, "ended_at", null));
    }

    /** RUNNING back to QUEUED, as a worker hands its job back on shutdown. */
    public boolean handBack(String runId, String projectId, Guard guard) {
        return move(runId, projectId, RunKind.JOB, QUEUED, null, guard, columns("started_at", null));
    }

    /** RUNNING back to QUEUED, as a job whose worker fell silent is requeued for another. */
    public boolean requeue(String runId, String projectId, Guard guard) {
        return move(runId, projectId, RunKind.JOB, QUEUED, null, guard, columns("error", null, "ended_at", null));
    }

    /** RUNNING to FINISHED or FAILED, as its worker ends a job, or the queue gives up on it. */
    public boolean endJob(String runId, String projectId, RunState ending, String error, Guard guard) {
        requireEnding(ending);
        return move(runId, projectId, RunKind.JOB, ending, error, guard, columns("error", error, "ended_at", now()));
    }

    // --- a script's run

    /**
     * A script showed it is alive, by a heartbeat or by logging: its run's heartbeat moves on, and
     * one that was taken for CRASHED is running again. {@code known} is the state the caller read,
     * so that the common case costs one UPDATE.
     */
    public void signOfLife(String runId, String projectId, RunKind kind, RunState known) {
        jdbc.update("update run set heartbeat_at = ? where id = ?", now(), runId);
        if (kind == RunKind.EXTERNAL && known == CRASHED) {
            move(runId, projectId, kind, RUNNING, null, Guard.of("state = ?", CRASHED.name()), columns("ended_at", null));
        }
    }

    /** Scripts' runs that fell silent before {@code deadline} become CRASHED; returns how many. */
    public int crashSilent(Instant deadline) {
        record Silent(String id, String projectId) {
        }
        List<Silent> silent = jdbc.query("select id, project_id from run where kind = 'EXTERNAL' and state = 'RUNNING' "
                + "and heartbeat_at < ?", (rs, i) -> new Silent(rs.getString(1), rs.getString(2)), Timestamp.from(deadline));
        int crashed = 0;
        for (Silent run : silent) {
            // Rechecked in the update: a heartbeat that came in since the select keeps the run alive.
            if (move(run.id(), run.projectId(), RunKind.EXTERNAL, CRASHED, null,
                    Guard.of("heartbeat_at < ?", Timestamp.from(deadline)), columns("ended_at", now()))) {
                crashed++;
            }
        }
        return crashed;
    }

    /**
     * A script declares its run over. Repeating the same ending is harmless, so a retried
     * {@code finish()} succeeds and returns false; changing an ending, or ending a job this way, is refused.
     */
    public boolean end(Run run, RunState ending) {
        requireEnding(ending);
        if (run.getKind() != RunKind.EXTERNAL) {
            throw new ConflictException("a job's state is set by its worker; use POST /runs/" + run.getId() + "/cancel to stop it");
        }
        if (run.getState() == ending) {
            return false;
        }
        apply(run, ending, columns("ended_at", now()));
        return true;
    }

    /**
     * A script picks its run up again ({@code wandb.init(id=..., resume=...)}): whatever its
     * ending, it is running once more. A run that is running already only gets a heartbeat.
     */
    public void resume(Run run) {
        if (run.getKind() != RunKind.EXTERNAL) {
            throw new ConflictException("run " + run.getId() + " is a job; only a script's run can be resumed");
        }
        if (run.getState() == RUNNING) {
            entities.flush();
            signOfLife(run.getId(), run.getProject().getId(), run.getKind(), RUNNING);
            entities.refresh(run);
            return;
        }
        apply(run, RUNNING, columns("ended_at", null, "error", null, "heartbeat_at", now()));
    }

    // --- a user's

    /** Stops a job: a queued one never starts, a running one stops within an epoch. */
    public void cancel(Run run) {
        if (run.getKind() != RunKind.JOB) {
            throw new ConflictException("only jobs can be cancelled; end an external run with PATCH {\"state\": \"FINISHED\"}");
        }
        apply(run, CANCELLED, columns("ended_at", now()));
    }

    /** Hides the run, in whatever state (MLflow's {@code delete_run}). False if it was hidden already. */
    public boolean delete(Run run) {
        return stage(run, "deleted_at = ?", "deleted_at is null", now());
    }

    /** Shows a hidden run again. False if it was not hidden. */
    public boolean restore(Run run) {
        return stage(run, "deleted_at = null", "deleted_at is not null");
    }

    /** Hides every active run of a project at {@code at}, as MLflow's {@code delete_experiment} takes its runs along. */
    void deleteAllOf(String projectId, Timestamp at) {
        jdbc.update("update run set deleted_at = ?, version = version + 1 where project_id = ? and deleted_at is null", at, projectId);
    }

    /** Shows every hidden run of a project again ({@code restore_experiment}). */
    void restoreAllOf(String projectId) {
        jdbc.update("update run set deleted_at = null, version = version + 1 where project_id = ? and deleted_at is not null", projectId);
    }

    private boolean stage(Run run, String set, String expected, Object... args) {
        entities.flush();
        var all = new ArrayList<>(Arrays.asList(args));
        all.add(run.getId());
        boolean changed = jdbc.update("update run set " + set + ", version = version + 1 where id = ? and " + expected,
                all.toArray()) == 1;
        if (changed) {
            events.append(run.getId(), run.getProject().getId(), RunEventType.UPDATED, Map.of("fields", List.of("deleted")));
            entities.refresh(run);
        }
        return changed;
    }

    /**
     * Moves a run the caller holds, refusing with a 409 that names its state when the table does
     * not allow the move, or when someone else moved it first. The entity is written out before
     * and read back after, so its version and state are the row's.
     */
    private void apply(Run run, RunState to, Map<String, Object> columns) {
        if (!allows(run.getKind(), run.getState(), to)) {
            throw refusal(run.getId(), run.getState(), to);
        }
        entities.flush();
        boolean moved = move(run.getId(), run.getProject().getId(), run.getKind(), to, null,
                Guard.of("state = ?", run.getState().name()), columns);
        entities.refresh(run);
        if (!moved) {
            throw refusal(run.getId(), run.getState(), to);
        }
    }

    private boolean move(String runId, String projectId, RunKind kind, RunState to, String error, Guard guard,
            Map<String, Object> columns) {
        Set<RunState> sources = sourcesOf(kind, to);
        var sql = new StringBuilder("update run set state = ?");
        var args = new ArrayList<>();
        args.add(to.name());
        columns.forEach((column, value) -> {
            sql.append(", ").append(column).append(" = ?");
            args.add(value);
        });
        sql.append(", version = version + 1 where id = ? and kind = ? and state in (")
                .append(sources.stream().map(s -> "?").collect(Collectors.joining(", "))).append(")");
        args.add(runId);
        args.add(kind.name());
        sources.forEach(s -> args.add(s.name()));
        sql.append(" and ").append(guard.sql());
        args.addAll(guard.args());
        boolean moved = jdbc.update(sql.toString(), args.toArray()) == 1;
        if (moved) {
            events.appendState(runId, projectId, to, error);
        }
        return moved;
    }

    private static ConflictException refusal(String runId, RunState from, RunState to) {
        return new ConflictException("run " + runId + " is " + (from.isTerminal() ? "already " : "") + from
                + " and cannot " + (to == CANCELLED ? "be cancelled" : "become " + to));
    }

    private static void requireEnding(RunState ending) {
        if (ending != FINISHED && ending != FAILED) {
            throw new ConflictException("state may only be set to FINISHED or FAILED, not " + ending);
        }
    }

    /** Column values in order; a plain map, since {@link Map#of} takes no nulls. */
    private static Map<String, Object> columns(Object... namesAndValues) {
        var columns = new LinkedHashMap<String, Object>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            columns.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return columns;
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }
}
