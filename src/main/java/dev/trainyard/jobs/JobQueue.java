package dev.trainyard.jobs;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.trainyard.shared.db.Database;
import dev.trainyard.tracking.JobQueued;
import dev.trainyard.tracking.RunEventLog;
import dev.trainyard.tracking.RunEventType;
import dev.trainyard.tracking.RunLifecycle;
import dev.trainyard.tracking.RunState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The persistent queue, in the manner of db-scheduler: every transition is a conditional UPDATE
 * that names the state (and for a claim, the version) it expects, so two nodes can never both
 * win a job, and a node that lost its lease finds out from a zero row count. The run's side of
 * each is {@link RunLifecycle}'s; the job row's side is here.
 */
@Component
class JobQueue {

    private static final Logger log = LoggerFactory.getLogger(JobQueue.class);
    private static final int CANDIDATES = 8;

    private final JdbcTemplate jdbc;
    private final RunEventLog events;
    private final RunLifecycle lifecycle;
    private final Database database;
    private final ApplicationEventPublisher publisher;
    private final Clock clock;

    JobQueue(JdbcTemplate jdbc, RunEventLog events, RunLifecycle lifecycle, Database database, ApplicationEventPublisher publisher,
            Clock clock) {
        this.lifecycle = lifecycle;
        this.jdbc = jdbc;
        this.database = database;
        this.events = events;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** Claims the oldest queued job this node can win, if any. */
    @Transactional
    public Optional<ClaimedJob> claimNext(String node) {
        record Candidate(String id, String projectId, long version) {
        }
        // The conditional UPDATE below decides who wins; on PostgreSQL, SKIP LOCKED also keeps
        // racing nodes off each other's candidates, so they rarely lose.
        List<Candidate> candidates = jdbc.query("select id, project_id, version from run where kind = 'JOB' and state = 'QUEUED' "
                + "order by created_at, id fetch first " + CANDIDATES + " rows only" + (database.isPostgres() ? " for update skip locked" : ""),
                (rs, i) -> new Candidate(rs.getString(1), rs.getString(2), rs.getLong(3)));
        for (Candidate c : candidates) {
            if (lifecycle.claim(c.id(), c.projectId(), c.version())) {
                jdbc.update("update job set owner = ?, attempts = attempts + 1, epoch = 0, eta_seconds = null where run_id = ?",
                        node, c.id());
                return Optional.of(jdbc.queryForObject("select spec, attempts from job where run_id = ?",
                        (rs, i) -> new ClaimedJob(c.id(), c.projectId(), rs.getString(1), rs.getInt(2)), c.id()));
            }
        }
        return Optional.empty();
    }

    /** Renews the lease. False means this node no longer owns a running job: stop training. */
    @Transactional
    public boolean heartbeat(String runId, String node) {
        return jdbc.update("update run set heartbeat_at = ? where id = ? and state = 'RUNNING' "
                + "and exists (select 1 from job j where j.run_id = run.id and j.owner = ?)", now(), runId, node) == 1;
    }

    /**
     * Records how far training has got, which renews the lease as a heartbeat does (steps being
     * stored are the surest sign of life); false when the lease was lost. Joins the caller's transaction.
     * The job table's columns keep their first names, {@code epoch} and {@code epochs}; the event says
     * {@code step} and {@code steps}, as the API does.
     */
    @Transactional
    public boolean progress(ClaimedJob job, String node, int epoch, int epochs, long etaSeconds) {
        int owned = jdbc.update("update job set epoch = ?, eta_seconds = ? where run_id = ? and owner = ? "
                + "and exists (select 1 from run r where r.id = job.run_id and r.state = 'RUNNING')",
                epoch, etaSeconds, job.runId(), node);
        if (owned == 1) {
            jdbc.update("update run set heartbeat_at = ? where id = ?", now(), job.runId());
            events.append(job.runId(), job.projectId(), RunEventType.PROGRESS,
                    Map.of("step", epoch, "steps", epochs, "etaSeconds", etaSeconds));
        }
        return owned == 1;
    }

    @Transactional
    public void finish(ClaimedJob job, String node) {
        end(job, node, RunState.FINISHED, null);
    }

    @Transactional
    public void fail(ClaimedJob job, String node, String error) {
        end(job, node, RunState.FAILED, error);
    }

    /**
     * Hands a job this node was training back to the queue, as on shutdown. That start does not
     * count as an attempt: a rolling restart of the workers must not use up a job's attempts.
     */
    @Transactional
    public void release(ClaimedJob job, String node) {
        if (lifecycle.handBack(job.runId(), job.projectId(), ownedBy(node))) {
            jdbc.update("update job set owner = null, attempts = attempts - 1 where run_id = ?", job.runId());
            publisher.publishEvent(new JobQueued(job.runId()));
        }
    }

    /**
     * Requeues RUNNING jobs whose owner stopped heart-beating {@code silentFor} ago, or fails
     * those abandoned {@code maxAttempts} times (starts handed back on shutdown do not count).
     * Safe to run twice, or on two nodes.
     */
    @Transactional
    public int requeueAbandoned(Duration silentFor, int maxAttempts) {
        Instant deadline = clock.instant().minus(silentFor);
        record Orphan(String id, String projectId, int attempts) {
        }
        List<Orphan> orphans = jdbc.query("select r.id, r.project_id, j.attempts from run r join job j on j.run_id = r.id "
                + "where r.kind = 'JOB' and r.state = 'RUNNING' and (r.heartbeat_at is null or r.heartbeat_at <= ?)",
                (rs, i) -> new Orphan(rs.getString(1), rs.getString(2), rs.getInt(3)), Timestamp.from(deadline));
        int requeued = 0;
        for (Orphan o : orphans) {
            boolean giveUp = o.attempts() >= maxAttempts;
            var silent = RunLifecycle.Guard.silentSince(deadline);
            boolean changed = giveUp
                    ? lifecycle.endJob(o.id(), o.projectId(), RunState.FAILED, "abandoned " + o.attempts() + " times: its worker "
                            + "stopped heart-beating each time (it crashed, was killed or lost the database); not retried, as "
                            + "trainyard.workers.max-attempts is " + maxAttempts, silent)
                    : lifecycle.requeue(o.id(), o.projectId(), silent);
            if (changed) {
                jdbc.update("update job set owner = null where run_id = ?", o.id());
                if (!giveUp) {
                    // Idle workers here and on other nodes take it now, not at their next poll.
                    publisher.publishEvent(new JobQueued(o.id()));
                }
                log.info("Job {} was abandoned by its worker; {}", o.id(), giveUp ? "failed it" : "requeued it");
                requeued++;
            }
        }
        return requeued;
    }

    private void end(ClaimedJob job, String node, RunState state, String error) {
        lifecycle.endJob(job.runId(), job.projectId(), state, error, ownedBy(node));
    }

    /** The run's job is still this node's: a node that lost its lease must not move the run. */
    private static RunLifecycle.Guard ownedBy(String node) {
        return RunLifecycle.Guard.of("exists (select 1 from job j where j.run_id = run.id and j.owner = ?)", node);
    }

    /** Throws unless the database answers. */
    void ping() {
        jdbc.queryForObject("select 1", Integer.class);
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }
}
