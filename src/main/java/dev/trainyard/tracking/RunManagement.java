package dev.trainyard.tracking;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.web.ConflictException;
import dev.trainyard.shared.web.NotFoundException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Creating, reading, changing and removing runs, and noticing scripts that died. */
@Service
public class RunManagement {

    /** The size of run.config (V1). */
    private static final int MAX_CONFIG_CHARS = 200_000;
    private static final Map<String, String> SORTABLE = Map.of("name", "r.name", "state", "r.state", "kind", "r.kind",
            "createdAt", "r.created_at", "startedAt", "r.started_at", "endedAt", "r.ended_at");

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
    private final JobIntake jobs;

    RunManagement(Runs runs, ProjectManagement projects, RunEventLog events, MetricStore metrics, JdbcTemplate jdbc,
            ApplicationEventPublisher publisher, JsonMapper json, RunSettings settings, Clock clock, JobIntake jobs) {
        this.jobs = jobs;
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
                ? Run.external(request.id(), project, name, config, tags, request.notes(), placement, now)
                : Run.job(project, name, config, tags, request.notes(), placement, now);
        runs.saveAndFlush(run);
        if (request.job() != null) {
            jobs.enqueue(run.getId(), request.job());
        }
        events.appendState(run.getId(), project.getId(), run.getState(), null);
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
        RunState before = run.getState();
        run.resume(clock.instant());
        if (request.configJson() != null) {
            run.reconfigure(mergedConfig(run.getConfig(), request.configJson()));
        }
        if (request.tags() != null && !request.tags().isEmpty()) {
            var tags = new LinkedHashSet<>(run.getTags());
            tags.addAll(request.tags());
            run.retag(tags);
        }
        if (before != RunState.RUNNING) {
            recordState(run);
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
            changed.add("config");
        }
        if (patch.state() != null && run.end(patch.state(), clock.instant())) {
            recordState(run);
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
        if (run.beat(clock.instant())) {
            recordState(run);
        }
        runs.saveAndFlush(run);
    }

    @Transactional
    public Run cancel(String id) {
        Run run = get(id);
        run.cancel(clock.instant());
        recordState(run);
        publisher.publishEvent(new RunStopped(id, run.getProject().getId(), false));
        return runs.saveAndFlush(run);
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
        Run run = get(id);
        boolean changed = jdbc.update("update run set deleted_at = ?, version = version + 1 where id = ? and deleted_at is null",
                java.sql.Timestamp.from(clock.instant()), id) == 1;
        if (changed) {
            events.append(id, run.getProject().getId(), RunEventType.UPDATED, Map.of("fields", List.of("deleted")));
        }
        return changed;
    }

    /** Shows a hidden run again. Returns false if it was not hidden. */
    @Transactional
    public boolean restore(String id) {
        Run run = get(id);
        boolean changed = jdbc.update("update run set deleted_at = null, version = version + 1 where id = ? and deleted_at is not null",
                id) == 1;
        if (changed) {
            events.append(id, run.getProject().getId(), RunEventType.UPDATED, Map.of("fields", List.of("deleted")));
        }
        return changed;
    }

    /** External runs that stopped sending heartbeats and metrics are marked CRASHED. */
    @Scheduled(fixedDelayString = "${trainyard.runs.crash-check-interval:15s}", initialDelayString = "${trainyard.runs.crash-check-interval:15s}")
    @Transactional
    public void detectCrashes() {
        Instant deadline = clock.instant().minus(settings.crashAfter());
        List<String[]> silent = jdbc.query("select id, project_id from run where kind = 'EXTERNAL' and state = 'RUNNING' "
                + "and heartbeat_at < ?", (rs, i) -> new String[] {rs.getString(1), rs.getString(2)}, Timestamp.from(deadline));
        for (String[] run : silent) {
            int changed = jdbc.update("update run set state = 'CRASHED', ended_at = ?, version = version + 1 "
                    + "where id = ? and state = 'RUNNING' and heartbeat_at < ?",
                    Timestamp.from(clock.instant()), run[0], Timestamp.from(deadline));
            if (changed == 1) {
                events.appendState(run[0], run[1], RunState.CRASHED, null);
            }
        }
    }

    @Transactional(readOnly = true)
    public RunPage list(RunQuery query) {
        if (query.size() < 1 || query.size() > settings.maxPageSize()) {
            throw new BadRequestException("size", "must be between 1 and " + settings.maxPageSize());
        }
        if (query.page() < 0) {
            throw new BadRequestException("page", "must be 0 or more");
        }
        var where = new StringBuilder(" from run r join project p on p.id = r.project_id");
        var params = new MapSqlParameterSource();
        String order = orderBy(query.sort(), where, params);
        where.append(switch (query.lifecycle()) {
            case ACTIVE -> " where r.deleted_at is null";
            case DELETED -> " where r.deleted_at is not null";
            case ALL -> " where 1 = 1";
        });
        if (query.project() != null) {
            where.append(" and (p.slug = :project or p.name = :project)");
            params.addValue("project", query.project());
        }
        if (query.state() != null) {
            where.append(" and r.state = :state");
            params.addValue("state", query.state().name());
        }
        if (query.group() != null) {
            where.append(" and r.group_id = :group");
            params.addValue("group", query.group());
        }
        if (query.tag() != null) {
            where.append(" and exists (select 1 from run_tag t where t.run_id = r.id and t.tag = :tag)");
            params.addValue("tag", query.tag());
        }
        if (query.q() != null && !query.q().isBlank()) {
            where.append(" and lower(r.name) like :q escape '\\'");
            params.addValue("q", "%" + query.q().toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        Long total = named.queryForObject("select count(*)" + where, params, Long.class);
        params.addValue("limit", query.size()).addValue("offset", (long) query.page() * query.size());
        List<String> ids = named.queryForList("select r.id" + where + " order by " + order
                + " offset :offset rows fetch next :limit rows only", params, String.class);
        Map<String, Run> byId = runs.findAllById(ids).stream().collect(Collectors.toMap(Run::getId, Function.identity()));
        List<Run> page = ids.stream().map(byId::get).filter(r -> r != null).toList();
        return new RunPage(page, query.page(), query.size(), total == null ? 0 : total);
    }

    private static String orderBy(String sort, StringBuilder from, MapSqlParameterSource params) {
        if (sort == null || sort.isBlank()) {
            return "r.created_at desc, r.id";
        }
        String[] parts = sort.split(",", 2);
        String field = parts[0].strip();
        boolean desc = parts.length > 1 && parts[1].strip().equalsIgnoreCase("desc");
        if (parts.length > 1 && !desc && !parts[1].strip().equalsIgnoreCase("asc")) {
            throw new BadRequestException("sort", "direction must be asc or desc, not '" + parts[1].strip() + "'");
        }
        String column;
        if (field.startsWith("summary.") && field.length() > "summary.".length()) {
            from.append(" left join metric_series s on s.run_id = r.id and s.metric_key = :sortKey");
            params.addValue("sortKey", field.substring("summary.".length()));
            column = MetricStore.SUMMARY_VALUE;
        } else {
            column = SORTABLE.get(field);
            if (column == null) {
                throw new BadRequestException("sort", "unknown sort field '" + field + "'; use one of "
                        + String.join(", ", SORTABLE.keySet().stream().sorted().toList()) + " or summary.<key>");
            }
        }
        return column + (desc ? " desc" : " asc") + " nulls last, r.created_at desc, r.id";
    }

    private void recordState(Run run) {
        events.appendState(run.getId(), run.getProject().getId(), run.getState(), run.getError());
    }
}
