package dev.trainyard.tracking;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
        return view(run, metrics.summaries(List.of(runId)).getOrDefault(runId, Map.of()), jobs.records(List.of(runId)).get(runId), head,
                metrics.nextStep(runId));
    }

    @Transactional(readOnly = true)
    public List<RunView> of(Collection<Run> page) {
        List<String> ids = page.stream().map(Run::getId).toList();
        var summaries = metrics.summaries(ids);
        var records = jobs.records(ids);
        return page.stream().map(run -> view(run, summaries.getOrDefault(run.getId(), Map.of()), records.get(run.getId()), 0, null))
                .toList();
    }

    private RunView view(Run run, Map<String, Double> summary, JobRecord job, long lastEventId, Long nextStep) {
        Map<String, Object> jobView = null;
        if (job != null) {
            jobView = new LinkedHashMap<>();
            Map<String, Object> stored = json.readValue(job.specJson(), LinkedHashMap.class);
            // a spec stored before #13 says epochs; the API says steps for every run alike
            for (var e : stored.entrySet()) {
                boolean alias = JobSpec.STEPS_ALIAS.equals(e.getKey()) && !JobSpec.DL4J.equals(stored.get("model"));
                jobView.put(alias ? "steps" : e.getKey(), e.getValue()); // a dl4j job's epochs are passes, not steps
            }
            var progress = new HashMap<String, Object>();
            progress.put("step", job.epoch());
            progress.put("steps", job.epochs());
            progress.put("etaSeconds", job.etaSeconds());
            jobView.put("progress", progress);
        }
        Object config = run.getConfig() == null ? Map.of() : json.readValue(run.getConfig(), Object.class);
        return new RunView(run.getId(), run.getProject().getSlug(), run.getProject().getName(), run.getEntity(), run.getGroup(),
                run.getJobType(), run.getName(), run.getKind(), run.getState(), config,
                run.getTags(), run.getNotes(), run.getCreatedAt(), run.getStartedAt(), run.getEndedAt(),
                run.getHeartbeatAt(), summary, jobView, run.getError(), lastEventId, nextStep);
    }
}
