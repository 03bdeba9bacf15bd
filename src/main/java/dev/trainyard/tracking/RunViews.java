package dev.trainyard.tracking;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.trainyard.training.JobSpec;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Turns runs into {@link RunView}s, reading summaries and job records for a whole page at once. */
@Component
public class RunViews {

    private final RunManagement runs;
    private final JobIntake jobs;
    private final MetricStore metrics;
    private final RunEventLog events;
    private final JsonMapper json;

    RunViews(RunManagement runs, JobIntake jobs, MetricStore metrics, RunEventLog events, JsonMapper json) {
        this.runs = runs;
        this.jobs = jobs;
        this.metrics = metrics;
        this.events = events;
        this.json = json;
    }

    /**
     * One run as of its newest event. The event id is read before the run, so a change committed in
     * between is in the view or after {@code lastEventId}, never lost between the two.
     */
    @Transactional(readOnly = true)
    public RunView of(String runId) {
        long head = events.head(runId);
        Run run = runs.get(runId);
        QueuePlace place = run.getState() == RunState.QUEUED ? jobs.queuePlaces(List.of(runId)).get(runId) : null;
        return view(run, metrics.summaries(List.of(runId)).getOrDefault(runId, Map.of()), jobs.records(List.of(runId)).get(runId), place,
                head, metrics.nextStep(runId));
    }

    @Transactional(readOnly = true)
    public List<RunView> of(Collection<Run> page) {
        List<String> ids = page.stream().map(Run::getId).toList();
        var summaries = metrics.summaries(ids);
        var records = jobs.records(ids);
        List<String> queued = page.stream().filter(r -> r.getState() == RunState.QUEUED).map(Run::getId).toList();
        var places = queued.isEmpty() ? Map.<String, QueuePlace>of() : jobs.queuePlaces(queued);
        return page.stream().map(run -> view(run, summaries.getOrDefault(run.getId(), Map.of()), records.get(run.getId()),
                places.get(run.getId()), 0, null)).toList();
    }

    /** The job summaries of those of the given runs that are jobs, by run id. */
    @Transactional(readOnly = true)
    public Map<String, JobSummary> jobs(Collection<String> runIds) {
        var result = new HashMap<String, JobSummary>();
        jobs.records(runIds).forEach((id, job) -> result.put(id, summary(job)));
        return result;
    }

    /**
     * The stored spec read as a {@link JobSpec}, which takes a pre-#13 {@code epochs} as {@code steps} (a
     * dl4j job's epochs stay epochs: passes, not steps). The spec was stored by the same JSON mapping, so
     * the API writes it back as stored; one stored before #3 gains nulls for the fields added since.
     */
    private JobSummary summary(JobRecord job) {
        return summary(job, null);
    }

    /** A queued job has a place in the queue and no ETA yet: one left from an attempt that was handed back means nothing now. */
    private JobSummary summary(JobRecord job, QueuePlace queued) {
        return new JobSummary(json.readValue(job.specJson(), JobSpec.class),
                new Progress(job.epoch(), job.epochs(), queued == null ? job.etaSeconds() : null, queued));
    }

    private RunView view(Run run, Map<String, Double> summary, JobRecord job, QueuePlace queued, long lastEventId, Long nextStep) {
        JobSummary jobView = job == null ? null : summary(job, queued);
        Object config = run.getConfig() == null ? Map.of() : json.readValue(run.getConfig(), Object.class);
        return new RunView(run.getId(), run.getProject().getSlug(), run.getProject().getName(), run.getEntity(), run.getGroup(),
                run.getJobType(), run.getName(), run.getKind(), run.getState(), config,
                run.getTags(), run.getNotes(), run.getCreatedAt(), run.getStartedAt(), run.getEndedAt(),
                run.getHeartbeatAt(), summary, jobView, run.getError(), lastEventId, nextStep);
    }
}
