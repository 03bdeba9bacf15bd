package dev.trainyard.jobs;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import dev.trainyard.accounts.CurrentUser;
import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.web.QuotaExceededException;
import dev.trainyard.tracking.JobIntake;
import dev.trainyard.tracking.JobQueued;
import dev.trainyard.tracking.JobRecord;
import dev.trainyard.tracking.QueuePlace;
import dev.trainyard.tracking.RunSettings;
import dev.trainyard.training.JobRefusal;
import dev.trainyard.training.JobSizes;
import dev.trainyard.training.JobSpec;
import dev.trainyard.training.TrainingException;
import dev.trainyard.training.UploadedTexts;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Job submission: what a job run needs before it is created (its dataset exists, its size is within
 * the limits, its user within the queue quota) and its entry in the queue once it is.
 */
@Service
class JobSubmission implements JobIntake {

    static final String QUOTA = "trainyard.runs.max-queued-jobs-per-user";
    private static final String UPLOADED = "dataset:";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final ApplicationEventPublisher publisher;
    private final JsonMapper json;
    private final RunSettings settings;
    private final ObjectProvider<UploadedTexts> uploads;
    private final JobSizes sizes;
    /** Looked up when asked: the pool trains jobs whose runs tracking creates through this class. */
    private final ObjectProvider<WorkerPool> workers;

    JobSubmission(JdbcTemplate jdbc, ApplicationEventPublisher publisher, JsonMapper json, RunSettings settings,
            ObjectProvider<UploadedTexts> uploads, JobSizes sizes, ObjectProvider<WorkerPool> workers) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.publisher = publisher;
        this.json = json;
        this.settings = settings;
        this.uploads = uploads;
        this.sizes = sizes;
        this.workers = workers;
    }

    /** Mandatory: the quota's row lock means something only until the creating transaction commits. */
    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public Map<String, Object> admit(JobSpec job) {
        requireUploadedDataset(job);
        requireWithinLimits(job);
        CurrentUser.name().ifPresent(this::requireWithinQueueQuota);
        return JobHyperParameters.of(job, json);
    }

    /**
     * The spec is stored with its defaults applied, as before: the worker, and a requeued job's next
     * attempt, train exactly the hyper-parameters the run's config shows, even if a later version
     * changes a default.
     */
    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public void enqueue(String runId, JobSpec job) {
        var spec = job.withDefaults();
        jdbc.update("insert into job (run_id, spec, attempts, epoch, epochs, submitted_by) values (?, ?, 0, 0, ?, ?)",
                runId, json.writeValueAsString(spec), spec.length(), CurrentUser.name().orElse(null));
        publisher.publishEvent(new JobQueued(runId));
    }

    @Override
    @Transactional(readOnly = true)
    public Map<String, JobRecord> records(Collection<String> runIds) {
        var result = new HashMap<String, JobRecord>();
        if (runIds.isEmpty()) {
            return result;
        }
        named.query("select run_id, spec, attempts, epoch, epochs, eta_seconds from job where run_id in (:ids)",
                Map.of("ids", runIds), rs -> {
                    result.put(rs.getString(1), new JobRecord(rs.getString(1), rs.getString(2), rs.getInt(3),
                            rs.getInt(4), rs.getInt(5), rs.getObject(6, Long.class)));
                });
        return result;
    }

    /** Counted in the order {@link JobQueue#claimNext} claims: oldest first, then by id. */
    @Override
    @Transactional(readOnly = true)
    public Map<String, QueuePlace> queuePlaces(Collection<String> runIds) {
        var result = new HashMap<String, QueuePlace>();
        if (runIds.isEmpty()) {
            return result;
        }
        WorkerPool pool = workers.getIfAvailable();
        int idle = pool == null ? 0 : pool.idleWorkers();
        named.query("select r.id, (select count(*) from run q where q.kind = 'JOB' and q.state = 'QUEUED' "
                + "and (q.created_at < r.created_at or q.created_at = r.created_at and q.id <= r.id)) "
                + "from run r where r.id in (:ids) and r.kind = 'JOB' and r.state = 'QUEUED'",
                Map.of("ids", runIds), rs -> {
                    result.put(rs.getString(1), new QueuePlace(rs.getInt(2), idle));
                });
        return result;
    }

    /**
     * In team mode each user may have only so many jobs waiting. Counted in the creating
     * transaction, so a sweep or comparison that would overshoot is refused as a whole, and under a
     * lock on the user's row, so that concurrent submissions cannot all pass the same count.
     */
    private void requireWithinQueueQuota(String user) {
        // Count and insert are one step per user: the user's row stays locked until this transaction
        // commits, so concurrent submissions by one user queue up here instead of all counting the same.
        jdbc.query("select id from users where username = ? for update", rs -> { }, user);
        Integer queued = jdbc.queryForObject("select count(*) from job j join run r on r.id = j.run_id "
                + "where j.submitted_by = ? and r.state = 'QUEUED'", Integer.class, user);
        if (queued != null && queued >= settings.maxQueuedJobsPerUser()) {
            throw new QuotaExceededException(QUOTA, user + " already has " + queued
                    + " queued jobs, the most one user may queue (" + QUOTA + " = "
                    + settings.maxQueuedJobsPerUser() + "); cancel some or wait until they start");
        }
    }

    /** A job on an upload that does not exist is refused now rather than failed later. */
    private void requireUploadedDataset(JobSpec job) {
        if (job.dataset() == null || !job.dataset().startsWith(UPLOADED)) {
            return;
        }
        String id = job.dataset().substring(UPLOADED.length());
        UploadedTexts texts = uploads.getIfAvailable();
        if (texts != null && texts.textFile(id).isEmpty()) {
            throw new BadRequestException("job.dataset", "dataset '" + id + "' does not exist; upload one with POST /api/v1/datasets");
        }
    }

    /** A job too big to train, or to train in reasonable time, is refused now rather than failed later. */
    private void requireWithinLimits(JobSpec job) {
        try {
            sizes.requireWithinLimits(job);
        } catch (JobRefusal e) {
            throw new BadRequestException("job." + e.field(), e.getMessage());
        } catch (TrainingException e) {
            throw new BadRequestException("job", e.getMessage());
        }
    }
}
