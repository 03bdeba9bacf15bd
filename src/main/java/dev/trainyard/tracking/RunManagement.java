package dev.trainyard.tracking;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.web.ConflictException;
import dev.trainyard.shared.web.NotFoundException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Creating, reading, changing and removing runs; their state changes go through {@link RunLifecycle}. */
@Service
public class RunManagement {

    /** The size of run.config (V16_6): the API's limit on a config, and on a job's config with its hyper-parameters. */
    public static final int MAX_CONFIG_CHARS = 1_000_000;

    private final Runs runs;
    private final ProjectManagement projects;
    private final RunEventLog events;
    private final MetricStore metrics;
    private final ApplicationEventPublisher publisher;
    private final JsonMapper json;
    private final Clock clock;
    private final JobIntake jobs;
    private final RunLifecycle lifecycle;
    private final RunConfigIndex configIndex;

    RunManagement(Runs runs, ProjectManagement projects, RunEventLog events, MetricStore metrics,
            ApplicationEventPublisher publisher, JsonMapper json, Clock clock, JobIntake jobs,
            RunLifecycle lifecycle, RunConfigIndex configIndex) {
        this.configIndex = configIndex;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.runs = runs;
        this.projects = projects;
        this.events = events;
        this.metrics = metrics;
        this.publisher = publisher;
        this.json = json;
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
        String config = request.configJson();
        if (request.job() != null) {
            // The request's own config keys are kept, but a job's effective hyper-parameters win a clash:
            // config is what the run was trained with, so that runs of both kinds sort, filter and compare alike.
            config = mergedConfig(config, json.writeValueAsString(jobs.admit(request.job())));
            if (config.length() > MAX_CONFIG_CHARS) {
                throw new BadRequestException("config", "with the job's hyper-parameters must be at most " + MAX_CONFIG_CHARS
                        + " characters of JSON");
            }
        }
        Project project = projects.findOrCreate(request.project());
        Instant now = clock.instant();
        String name = request.name() == null || request.name().isBlank() ? RunNames.generate() : request.name().strip();
        Set<String> tags = request.tags() == null ? new LinkedHashSet<>() : new LinkedHashSet<>(request.tags());
        var placement = new Run.Placement(request.entity(), request.group(), request.jobType());
        Run run = request.job() == null
                ? Run.external(request.id(), project, name, config, tags, request.notes(), placement, request.startedAt(), now)
                : Run.job(project, name, config, tags, request.notes(), placement, now);
        runs.saveAndFlush(run);
        configIndex.write(run.getId(), config);
        if (request.job() != null) {
            jobs.enqueue(run.getId(), request.job());
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
            configIndex.write(run.getId(), run.getConfig());
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
            configIndex.write(run.getId(), patch.configJson());
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
        metrics.deletePointsOf(id);
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
}
