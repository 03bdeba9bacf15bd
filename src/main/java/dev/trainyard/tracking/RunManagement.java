package dev.trainyard.tracking;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.web.ConflictException;
import dev.trainyard.accounts.CurrentUser;
import dev.trainyard.shared.web.NotFoundException;
import dev.trainyard.shared.web.QuotaExceededException;
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
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Creating, reading, changing and removing runs; their state changes go through {@link RunLifecycle}. */
@Service
public class RunManagement {

    private static final String UPLOADED = "dataset:";

    private final Runs runs;
    private final ProjectManagement projects;
    private final RunEventLog events;
    private final MetricStore metrics;
    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final ApplicationEventPublisher publisher;
    private final JsonMapper json;
    private final RunSettings settings;
    private final Clock clock;
    private final ObjectProvider<UploadedTexts> uploads;
    private final JobSizes sizes;
    private final RunLifecycle lifecycle;

    RunManagement(Runs runs, ProjectManagement projects, RunEventLog events, MetricStore metrics, JdbcTemplate jdbc,
            ApplicationEventPublisher publisher, JsonMapper json, RunSettings settings, Clock clock,
            ObjectProvider<UploadedTexts> uploads, JobSizes sizes, RunLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.uploads = uploads;
        this.sizes = sizes;
        this.runs = runs;
        this.projects = projects;
        this.events = events;
        this.metrics = metrics;
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.publisher = publisher;
        this.json = json;
        this.settings = settings;
        this.clock = clock;
    }

    @Transactional
    public Run create(NewRun request) {
        return start(request).run();
    }

    /**
     * Creates the run, or, when the request names an existing run's id and may resume it, picks
     * that run up again as {@code wandb.init(id=..., resume=...)} does.
     */
    @Transactional
    public RunStart start(NewRun request) {
        if (request.id() != null) {
            if (request.job() != null) {
                throw new BadRequestException("id", "only a script's run may choose its id; a job's is given to it");
            }
            var existing = runs.findById(request.id());
            if (existing.isPresent()) {
                return new RunStart(resume(existing.get(), request), true);
            }
            if (request.resume() == NewRun.Resume.MUST) {
                throw new NotFoundException("run", request.id());
            }
        }
        requireUploadedDataset(request.job());
        requireWithinLimits(request.job());
        String submitter = request.job() == null ? null : CurrentUser.name().map(this::withinQueueQuota).orElse(null);
        Project project = projects.findOrCreate(request.project());
        Instant now = clock.instant();
        String name = request.name() == null || request.name().isBlank() ? RunNames.generate() : request.name().strip();
        Set<String> tags = request.tags() == null ? new LinkedHashSet<>() : new LinkedHashSet<>(request.tags());
        var placement = new Run.Placement(request.entity(), request.group(), request.jobType());
        Run run = request.job() == null
                ? Run.external(request.id(), project, name, request.configJson(), tags, request.notes(), placement, now)
                : Run.job(project, name, request.configJson(), tags, request.notes(), placement, now);
        runs.saveAndFlush(run);
        if (request.job() != null) {
            var spec = request.job().withDefaults();
            jdbc.update("insert into job (run_id, spec, attempts, epoch, epochs, submitted_by) values (?, ?, 0, 0, ?, ?)",
                    run.getId(), json.writeValueAsString(spec), spec.length(), submitter);
            publisher.publishEvent(new JobQueued(run.getId()));
        }
        lifecycle.created(run);
        return new RunStart(run, false);
    }

    /** The run named by a create that may resume it: running again, with the request's config and tags added. */
    private Run resume(Run run, NewRun request) {
        if (request.resume() == NewRun.Resume.NEVER) {
            throw new ConflictException("run " + run.getId() + " already exists; to continue it, create with resume \"allow\" or \"must\"");
        }
        if (!run.getProject().getName().equals(request.project() == null ? null : request.project().strip())) {
            throw new ConflictException("run " + run.getId() + " belongs to project '" + run.getProject().getName()
                    + "', not '" + request.project() + "'");
        }
        lifecycle.resume(run);
        if (request.configJson() != null) {
            run.reconfigure(mergedConfig(run.getConfig(), request.configJson()));
        }
        if (request.tags() != null && !request.tags().isEmpty()) {
            var tags = new LinkedHashSet<>(run.getTags());
            tags.addAll(request.tags());
            run.retag(tags);
        }
        return runs.saveAndFlush(run);
    }

    /** The stored config with the given one's top-level keys laid over it. */
    private String mergedConfig(String stored, String given) {
        if (stored == null) {
            return given;
        }
        Map<String, Object> merged = new LinkedHashMap<>(json.readValue(stored, LinkedHashMap.class));
        merged.putAll(json.readValue(given, LinkedHashMap.class));
        return json.writeValueAsString(merged);
    }

    /**
     * In team mode each user may have only so many jobs waiting. Counted in the creating
     * transaction, so a sweep or comparison that would overshoot is refused as a whole, and under a
     * lock on the user's row, so that concurrent submissions cannot all pass the same count.
     */
    private String withinQueueQuota(String user) {
        // Count and insert are one step per user: the user's row stays locked until this transaction
        // commits, so concurrent submissions by one user queue up here instead of all counting the same.
        jdbc.query("select id from users where username = ? for update", rs -> { }, user);
        Integer queued = jdbc.queryForObject("select count(*) from job j join run r on r.id = j.run_id "
                + "where j.submitted_by = ? and r.state = 'QUEUED'", Integer.class, user);
        if (queued != null && queued >= settings.maxQueuedJobsPerUser()) {
            throw new QuotaExceededException("trainyard.runs.max-queued-jobs-per-user", user + " already has " + queued
                    + " queued jobs, the most one user may queue (trainyard.runs.max-queued-jobs-per-user = "
                    + settings.maxQueuedJobsPerUser() + "); cancel some or wait until they start");
        }
        return user;
    }

    /** A job on an upload that does not exist is refused now rather than failed later. */
    private void requireUploadedDataset(JobSpec job) {
        if (job == null || job.dataset() == null || !job.dataset().startsWith(UPLOADED)) {
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
        if (job == null) {
            return;
        }
        try {
            sizes.requireWithinLimits(job);
        } catch (JobRefusal e) {
            throw new BadRequestException("job." + e.field(), e.getMessage());
        } catch (TrainingException e) {
            throw new BadRequestException("job", e.getMessage());
        }
    }

    @Transactional(readOnly = true)
    public Run get(String id) {
        return runs.findById(id).orElseThrow(() -> new NotFoundException("run", id));
    }

    @Transactional
    public Run patch(String id, RunPatch patch) {
        Run run = get(id);
        var changed = new ArrayList<String>();
        if (patch.name() != null) {
            if (patch.name().isBlank()) {
                throw new BadRequestException("name", "must not be blank");
            }
            run.rename(patch.name().strip());
            changed.add("name");
        }
        if (patch.tags() != null) {
            run.retag(patch.tags());
            changed.add("tags");
        }
        if (patch.notes() != null) {
            run.annotate(patch.notes());
            changed.add("notes");
        }
        if (patch.configJson() != null) {
            run.reconfigure(patch.configJson());
            changed.add("config");
        }
        if (patch.state() != null) {
            lifecycle.end(run, patch.state());
        }
        // Names the fields only: notes may be far larger than an event, and subscribers re-read the run.
        if (!changed.isEmpty()) {
            events.append(run.getId(), run.getProject().getId(), RunEventType.UPDATED, Map.of("fields", changed));
        }
        Run saved = runs.saveAndFlush(run);
        if (patch.summary() != null) {
            metrics.setSummary(id, run.getProject().getId(), patch.summary());
        }
        if (patch.metrics() != null) {
            metrics.define(id, run.getProject().getId(), patch.metrics());
        }
        return saved;
    }

    @Transactional
    public void heartbeat(String id) {
        Run run = get(id);
        lifecycle.signOfLife(id, run.getProject().getId(), run.getKind(), run.getState());
    }

    @Transactional
    public Run cancel(String id) {
        Run run = get(id);
        lifecycle.cancel(run);
        publisher.publishEvent(new RunStopped(id, run.getProject().getId(), false));
        return run;
    }

    @Transactional
    public void delete(String id) {
        Run run = get(id);
        // Points go in bulk first: a cascade from the run row would delete them one by one.
        jdbc.update("delete from metric_point where series_id in (select s.id from metric_series s where s.run_id = ?)", id);
        jdbc.update("delete from metric_point_sent where series_id in (select s.id from metric_series s where s.run_id = ?)", id);
        runs.delete(run);
        runs.flush();
        metrics.forgetRun(id);
        publisher.publishEvent(new RunStopped(id, run.getProject().getId(), true));
    }

    /**
     * Hides the run (MLflow's {@code delete_run}) without touching anything else: its state,
     * points and files stay, and {@link #restore} brings it back. Returns false if it was hidden already.
     */
    @Transactional
    public boolean markDeleted(String id) {
        return lifecycle.delete(get(id));
    }

    /** Shows a hidden run again. Returns false if it was not hidden. */
    @Transactional
    public boolean restore(String id) {
        return lifecycle.restore(get(id));
    }

    /** The job records of the given runs, by run id. */
    @Transactional(readOnly = true)
    public Map<String, JobRecord> jobs(Collection<String> runIds) {
        var result = new HashMap<String, JobRecord>();
        if (runIds.isEmpty()) {
            return result;
        }
        named.query("select run_id, spec, attempts, epoch, epochs, eta_seconds from job where run_id in (:ids)",
                Map.of("ids", runIds), rs -> {
                    long eta = rs.getLong(6);
                    result.put(rs.getString(1), new JobRecord(rs.getString(1), rs.getString(2), rs.getInt(3),
                            rs.getInt(4), rs.getInt(5), rs.wasNull() ? null : eta));
                });
        return result;
    }
}
