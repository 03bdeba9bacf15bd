package dev.trainyard.sweeps;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.Ids;
import dev.trainyard.shared.web.NotFoundException;
import dev.trainyard.tracking.NewRun;
import dev.trainyard.tracking.Project;
import dev.trainyard.tracking.ProjectManagement;
import dev.trainyard.tracking.RunManagement;
import dev.trainyard.tracking.RunQuery;
import dev.trainyard.tracking.RunView;
import dev.trainyard.tracking.RunViews;
import dev.trainyard.training.JobSizes;
import dev.trainyard.training.JobSpec;
import dev.trainyard.training.TrainingException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Expands a sweep request into jobs that share a group, and reads back their results as a table. */
@Service
public class SweepManagement {

    /** @param maxRuns the most jobs one sweep may launch */
    @ConfigurationProperties("trainyard.sweeps")
    record Settings(Integer maxRuns) {
        Settings {
            maxRuns = maxRuns == null ? 200 : maxRuns;
        }
    }

    private static final List<String> DEFAULT_MODELS = List.of("rnn", "gru", "lstm");

    private final RunManagement runs;
    private final RunViews views;
    private final ProjectManagement projects;
    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final Validator validator;
    private final Settings settings;
    private final JobSizes sizes;
    private final Clock clock;

    SweepManagement(RunManagement runs, RunViews views, ProjectManagement projects, JdbcTemplate jdbc, JsonMapper json,
            Validator validator, Settings settings, JobSizes sizes, Clock clock) {
        this.sizes = sizes;
        this.runs = runs;
        this.views = views;
        this.projects = projects;
        this.jdbc = jdbc;
        this.json = json;
        this.validator = validator;
        this.settings = settings;
        this.clock = clock;
    }

    /** Creates the sweep and all its jobs, or nothing when any of them is invalid. */
    @Transactional
    public String create(SweepRequest request) {
        List<JobSpec> specs = expand(request);
        Project project = projects.findOrCreate(request.project());
        String id = Ids.newId();
        String name = request.name() == null || request.name().isBlank() ? "sweep-" + id.substring(0, 6) : request.name().strip();
        jdbc.update("insert into sweep (id, project_id, name, request, created_at) values (?, ?, ?, ?, ?)",
                id, project.getId(), name, json.writeValueAsString(request), Timestamp.from(clock.instant()));
        var gridKeys = request.grid() == null ? List.<String>of() : List.copyOf(request.grid().keySet());
        for (JobSpec spec : specs) {
            runs.create(new NewRun(project.getName(), runName(spec, gridKeys), null, null, null, spec, id));
        }
        return id;
    }

    @Transactional(readOnly = true)
    public Sweep get(String id) {
        record Row(String project, String name, String request, java.time.Instant created) {
        }
        Row sweep = jdbc.query("select p.slug, s.name, s.request, s.created_at from sweep s join project p on p.id = s.project_id "
                        + "where s.id = ?", (rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant()), id)
                .stream().findFirst().orElseThrow(() -> new NotFoundException("sweep", id));
        SweepRequest request = json.readValue(sweep.request(), SweepRequest.class);
        List<RunView> members = views.of(runs.list(new RunQuery(null, id, null, null, null, "createdAt", 0, settings.maxRuns())).runs());
        var table = new ArrayList<Sweep.Row>();
        for (RunView run : members) {
            Map<String, Object> spec = run.job();
            String dataset = String.valueOf(spec.get("dataset"));
            Integer length = dataset.startsWith(JobSpec.MEMORIZE) ? Integer.valueOf(dataset.substring(JobSpec.MEMORIZE.length())) : null;
            var params = new LinkedHashMap<String, Object>();
            if (request.grid() != null) {
                request.grid().keySet().forEach(k -> params.put(k, spec.get(k)));
            }
            Double exact = run.summary().get("exact");
            table.add(new Sweep.Row(run.id(), run.name(), String.valueOf(spec.get("model")), dataset, length,
                    params.isEmpty() ? null : params, run.state().name(), run.summary().get("accuracy"),
                    run.summary().get("loss"), exact == null ? null : exact == 1.0));
        }
        Map<String, Long> states = members.stream().collect(Collectors.groupingBy(r -> r.state().name(), TreeMap::new,
                Collectors.counting()));
        return new Sweep(id, sweep.project(), sweep.name(), sweep.created(), members.size(), states, table);
    }

    private List<JobSpec> expand(SweepRequest request) {
        List<String> models = request.models() == null || request.models().isEmpty() ? DEFAULT_MODELS : request.models();
        var datasets = new ArrayList<String>();
        if (request.lengths() != null) {
            request.lengths().forEach(n -> datasets.add(JobSpec.MEMORIZE + n));
        }
        if (request.datasets() != null) {
            datasets.addAll(request.datasets());
        }
        if (datasets.isEmpty()) {
            datasets.add(null);
        }
        List<Map<String, Object>> combos = combinations(request.grid());
        long total = (long) models.size() * datasets.size() * combos.size();
        if (total > settings.maxRuns()) {
            throw new BadRequestException("grid", "this sweep would launch " + total + " runs; at most " + settings.maxRuns()
                    + " are allowed (trainyard.sweeps.max-runs)");
        }
        Map<String, Object> base = request.base() == null ? Map.of() : json.convertValue(request.base(), Map.class);
        var specs = new ArrayList<JobSpec>();
        for (String model : models) {
            for (String dataset : datasets) {
                for (Map<String, Object> combo : combos) {
                    var fields = new LinkedHashMap<String, Object>(base);
                    fields.values().removeIf(v -> v == null);
                    fields.put("model", model);
                    if (dataset != null) {
                        fields.put("dataset", dataset);
                    }
                    fields.putAll(combo);
                    specs.add(validated(fields));
                }
            }
        }
        return specs;
    }

    private JobSpec validated(Map<String, Object> fields) {
        JobSpec spec;
        try {
            spec = json.convertValue(fields, JobSpec.class);
        } catch (JacksonException e) {
            throw new BadRequestException("grid", "not a valid job: " + e.getOriginalMessage());
        }
        for (ConstraintViolation<JobSpec> v : validator.validate(spec)) {
            throw new BadRequestException("grid", "the run " + describe(fields) + " is invalid: " + v.getPropertyPath() + " "
                    + v.getMessage());
        }
        try {
            sizes.requireWithinLimits(spec);
        } catch (TrainingException e) {
            throw new BadRequestException("grid", "the run " + describe(fields) + " is too large: " + e.getMessage());
        }
        return spec;
    }

    /** Every combination of the grid's values, in the order given; one empty combination for no grid. */
    private static List<Map<String, Object>> combinations(Map<String, List<Object>> grid) {
        List<Map<String, Object>> result = new ArrayList<>();
        result.add(new LinkedHashMap<>());
        if (grid == null) {
            return result;
        }
        for (var axis : grid.entrySet()) {
            var next = new ArrayList<Map<String, Object>>();
            for (Map<String, Object> partial : result) {
                for (Object value : axis.getValue()) {
                    var combo = new LinkedHashMap<>(partial);
                    combo.put(axis.getKey(), value);
                    next.add(combo);
                }
            }
            result = next;
        }
        return result;
    }

    private static String runName(JobSpec spec, List<String> gridKeys) {
        var name = new StringBuilder(spec.model()).append(' ').append(spec.dataset() == null ? "" : spec.dataset());
        var fields = new LinkedHashMap<String, Object>();
        for (var component : JobSpec.class.getRecordComponents()) {
            if (gridKeys.contains(component.getName())) {
                try {
                    fields.put(component.getName(), component.getAccessor().invoke(spec));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        fields.forEach((k, v) -> name.append(' ').append(k).append('=').append(v));
        String text = name.toString().strip();
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    private static String describe(Map<String, Object> fields) {
        return fields.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", "{", "}"));
    }
}
