package dev.trainyard.sweeps;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
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
import dev.trainyard.tracking.RunSearch;
import dev.trainyard.tracking.RunQuery;
import dev.trainyard.tracking.JobSummary;
import dev.trainyard.tracking.RunView;
import dev.trainyard.tracking.RunViews;
import dev.trainyard.training.JobSizes;
import dev.trainyard.training.JobRefusal;
import dev.trainyard.training.JobSpec;
import dev.trainyard.training.NetworkPaths;
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
    private static final String TEST_ACCURACY = "test_accuracy";
    private static final String STEPS = "steps";
    /** What recall:N runs take where the base is silent. */
    private static final Map<String, Object> HORIZON_DEFAULTS = Map.of(STEPS, Horizon.STEPS, "hidden", Horizon.HIDDEN,
            "batchSize", Horizon.BATCH_SIZE);

    private final RunManagement runs;
    private final RunSearch search;
    private final RunViews views;
    private final ProjectManagement projects;
    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final Validator validator;
    private final Settings settings;
    private final JobSizes sizes;
    private final Clock clock;

    SweepManagement(RunManagement runs, RunSearch search, RunViews views, ProjectManagement projects, JdbcTemplate jdbc, JsonMapper json,
            Validator validator, Settings settings, JobSizes sizes, Clock clock) {
        this.sizes = sizes;
        this.runs = runs;
        this.search = search;
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
        request = normalised(request);
        List<Planned> planned = expand(request);
        Project project = projects.findOrCreate(request.project());
        String id = Ids.newId();
        String name = request.name() == null || request.name().isBlank() ? "sweep-" + id.substring(0, 6) : request.name().strip();
        jdbc.update("insert into sweep (id, project_id, name, request, created_at) values (?, ?, ?, ?, ?)",
                id, project.getId(), name, json.writeValueAsString(request), Timestamp.from(clock.instant()));
        var gridKeys = new ArrayList<String>(request.grid() == null ? List.of() : request.grid().keySet().stream()
                .map(SweepManagement::field).toList());
        if (request.seeds() != null && !request.seeds().isEmpty()) {
            gridKeys.add("seed");
        }
        for (Planned run : planned) {
            // The network's varied values are config too, so that runs compare and sort by them as by a learning rate.
            String config = run.paths().isEmpty() ? null : json.writeValueAsString(run.paths());
            runs.create(new NewRun(project.getName(), runName(run, gridKeys), config, null, null, run.spec(), id));
        }
        return id;
    }

    /** Sweeps newest first, at most {@code limit}, of one project or of all. */
    @Transactional(readOnly = true)
    public List<Sweep.Summary> list(String project, int limit) {
        record Line(String id, String project, String name, String request, Instant created) {
        }
        String sql = "select s.id, p.slug, s.name, s.request, s.created_at from sweep s join project p on p.id = s.project_id "
                + (project == null ? "" : "where p.slug = ? ") + "order by s.created_at desc, s.id limit " + limit;
        Object[] args = project == null ? new Object[0] : new Object[] {project};
        List<Line> lines = jdbc.query(sql, (rs, i) -> new Line(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getTimestamp(5).toInstant()), args);
        var states = new LinkedHashMap<String, Map<String, Long>>();
        if (!lines.isEmpty()) {
            String marks = String.join(",", java.util.Collections.nCopies(lines.size(), "?"));
            jdbc.query("select group_id, state, count(*) from run where group_id in (" + marks + ") group by group_id, state",
                    rs -> {
                        states.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3));
                    }, lines.stream().map(Line::id).toArray());
        }
        var result = new ArrayList<Sweep.Summary>();
        for (Line line : lines) {
            SweepRequest request = json.readValue(line.request(), SweepRequest.class);
            Map<String, Long> counts = states.getOrDefault(line.id(), Map.of());
            int runs = (int) counts.values().stream().mapToLong(Long::longValue).sum();
            result.add(new Sweep.Summary(line.id(), line.project(), line.name(), line.created(), modelsOf(request),
                    request.lengths() == null ? List.of() : List.copyOf(new java.util.TreeSet<>(request.lengths())), runs,
                    counts));
        }
        return result;
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
        List<RunView> members = views.of(search.find(new RunQuery(null, id, null, null, null, "createdAt", 0, settings.maxRuns())).runs());
        var table = new ArrayList<Sweep.Row>();
        for (RunView run : members) {
            JobSummary job = run.job();
            String dataset = String.valueOf(job.spec().dataset());
            Integer length = lengthOf(dataset);
            var params = new LinkedHashMap<String, Object>();
            if (request.grid() != null) {
                request.grid().keySet().forEach(k -> params.put(field(k), NetworkPaths.isPath(k)
                        ? run.config() instanceof Map<?, ?> config ? config.get(k) : null
                        : job.setting(field(k))));
            }
            Double exact = run.summary().get("exact");
            Double accuracy = run.summary().getOrDefault(TEST_ACCURACY, run.summary().get("accuracy"));
            table.add(new Sweep.Row(run.id(), run.name(), String.valueOf(job.model()), dataset, length,
                    job.spec().seed(), params.isEmpty() ? null : params, run.state().name(),
                    accuracy, run.summary().get("loss"), exact == null ? null : exact == 1.0));
        }
        Map<String, Long> states = members.stream().collect(Collectors.groupingBy(r -> r.state().name(), TreeMap::new,
                Collectors.counting()));
        List<String> datasets = table.stream().map(Sweep.Row::dataset).distinct().toList();
        String task = datasets.stream().anyMatch(d -> d.startsWith(JobSpec.RECALL)) ? "recall"
                : datasets.stream().anyMatch(d -> d.startsWith(JobSpec.MEMORIZE)) ? "memorize" : null;
        Double chance = datasets.stream().map(JobSpec::chanceOf).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        List<Integer> lengths = table.stream().map(Sweep.Row::length).filter(java.util.Objects::nonNull).distinct().sorted()
                .toList();
        return new Sweep(id, sweep.project(), sweep.name(), sweep.created(), modelsOf(request), lengths, task, chance,
                effectiveBase(request, "recall".equals(task)), members.size(), states, table, curves(table, chance));
    }

    /** Per model, in the order the table first names them: mean ± std over seeds per length, and the fall-off. */
    static List<Sweep.Curve> curves(List<Sweep.Row> table, Double chance) {
        double threshold = (1 + (chance == null ? 0 : chance)) / 2;
        var byModel = new LinkedHashMap<String, TreeMap<Integer, List<Double>>>();
        for (Sweep.Row row : table) {
            TreeMap<Integer, List<Double>> lengths = byModel.computeIfAbsent(row.model(), k -> new TreeMap<>());
            if (row.length() != null && row.accuracy() != null && !row.accuracy().isNaN()) {
                lengths.computeIfAbsent(row.length(), k -> new ArrayList<>()).add(row.accuracy());
            }
        }
        var curves = new ArrayList<Sweep.Curve>();
        byModel.forEach((model, lengths) -> {
            var points = new ArrayList<Sweep.Point>();
            Integer fallOff = null;
            for (var e : lengths.entrySet()) {
                double mean = e.getValue().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                double variance = e.getValue().stream().mapToDouble(v -> (v - mean) * (v - mean)).average().orElseThrow();
                points.add(new Sweep.Point(e.getKey(), mean, Math.sqrt(variance), e.getValue().size()));
                if (fallOff == null && mean < threshold) {
                    fallOff = e.getKey();
                }
            }
            curves.add(new Sweep.Curve(model, fallOff, points));
        });
        return curves;
    }

    private static Integer lengthOf(String dataset) {
        for (String prefix : List.of(JobSpec.MEMORIZE, JobSpec.RECALL)) {
            if (dataset.startsWith(prefix) && dataset.substring(prefix.length()).matches("[0-9]{1,9}")) {
                return Integer.valueOf(dataset.substring(prefix.length()));
            }
        }
        return null;
    }

    private static List<String> modelsOf(SweepRequest request) {
        return request.models() == null || request.models().isEmpty() ? DEFAULT_MODELS : request.models();
    }

    /** A request as stored: {@code lengths} of a request written before {@code task} existed meant memorize:N. */
    private static SweepRequest normalised(SweepRequest r) {
        return new SweepRequest(r.project(), r.name(), r.models(), r.lengths(), r.task() == null ? "recall" : r.task(),
                r.datasets(), r.seeds(), r.grid(), r.base());
    }

    /** The request's base without its nulls, with the horizon defaults it leaves out when recall runs take them. */
    private Map<String, Object> effectiveBase(SweepRequest request, boolean recall) {
        var base = new LinkedHashMap<String, Object>();
        if (request.base() != null) {
            base.putAll(json.convertValue(request.base(), Map.class));
        }
        base.values().removeIf(v -> v == null);
        base.remove("model"); // each run sets its own model and dataset
        base.remove("dataset");
        if (recall) {
            HORIZON_DEFAULTS.forEach(base::putIfAbsent);
        }
        return base;
    }

    /** One run of a sweep: its job, and the values the grid set in its network (path → value). */
    private record Planned(JobSpec spec, Map<String, Object> paths) {
    }

    private List<Planned> expand(SweepRequest request) {
        List<String> models = modelsOf(request);
        var datasets = new ArrayList<String>();
        if (request.lengths() != null) {
            request.lengths().forEach(n -> datasets.add(request.datasetOf(n)));
        }
        if (request.datasets() != null) {
            datasets.addAll(request.datasets());
        }
        if (datasets.isEmpty()) {
            datasets.add(null);
        }
        List<Map<String, Object>> combos = combinations(request.grid());
        List<Long> seeds = request.seeds() == null || request.seeds().isEmpty() ? java.util.Collections.singletonList(null)
                : request.seeds().stream().distinct().toList();
        long total = (long) models.size() * datasets.size() * seeds.size() * combos.size();
        if (total > settings.maxRuns()) {
            throw new BadRequestException("grid", "this sweep would launch " + total + " runs; at most " + settings.maxRuns()
                    + " are allowed (trainyard.sweeps.max-runs)");
        }
        Map<String, Object> base = request.base() == null ? Map.of() : json.convertValue(request.base(), Map.class);
        var specs = new ArrayList<Planned>();
        for (String model : models) {
            for (String dataset : datasets) {
                for (Long seed : seeds) {
                    for (Map<String, Object> combo : combos) {
                        var fields = new LinkedHashMap<String, Object>(base);
                        fields.values().removeIf(v -> v == null);
                        fields.put("model", model);
                        if (dataset != null) {
                            fields.put("dataset", dataset);
                            if (dataset.startsWith(JobSpec.RECALL)) {
                                HORIZON_DEFAULTS.forEach(fields::putIfAbsent);
                            }
                        }
                        if (seed != null) {
                            fields.put("seed", seed);
                        }
                        var paths = new LinkedHashMap<String, Object>();
                        combo.forEach((key, value) -> (NetworkPaths.isPath(key) ? paths : fields).put(key, value));
                        if (combo.containsKey(JobSpec.STEPS_ALIAS) && !combo.containsKey(STEPS)) {
                            fields.remove(STEPS); // the grid's epochs (steps' old name) overrides the base's steps
                        }
                        if (JobSpec.DL4J.equals(model) && fields.containsKey(STEPS)) {
                            // A base without a model reads epochs as steps; a dl4j job trains epochs, passes over its table.
                            fields.putIfAbsent(JobSpec.STEPS_ALIAS, fields.get(STEPS));
                            fields.remove(STEPS);
                        }
                        if (!paths.isEmpty()) {
                            fields.put("network", networkWith(fields, paths));
                        }
                        var named = new LinkedHashMap<>(fields);
                        named.putAll(paths);
                        specs.add(new Planned(validated(fields, describe(named)), paths));
                    }
                }
            }
        }
        return specs;
    }

    /** The base's network with the grid's values set in it; validated with the rest of the job afterwards. */
    private String networkWith(Map<String, Object> fields, Map<String, Object> paths) {
        if (!JobSpec.DL4J.equals(fields.get("model"))) {
            throw new BadRequestException("grid", paths.keySet().iterator().next() + " is a place in a dl4j job's network; "
                    + "the run " + describe(fields) + " is a " + fields.get("model") + " job");
        }
        if (!(fields.get("network") instanceof String network)) {
            throw new BadRequestException("grid", "to vary " + String.join(", ", paths.keySet()) + ", give the network inline "
                    + "in base.network (a networkFile is read only when its job is submitted)");
        }
        for (var path : paths.entrySet()) {
            try {
                network = NetworkPaths.with(network, path.getKey(), path.getValue());
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("grid", e.getMessage());
            }
        }
        return network;
    }

    /** @param run how an error names the run: its fields and the network's varied values */
    private JobSpec validated(Map<String, Object> fields, String run) {
        JobSpec spec;
        try {
            spec = json.convertValue(fields, JobSpec.class);
        } catch (JacksonException e) {
            String at = e.getPath().stream().map(JacksonException.Reference::getPropertyName).filter(java.util.Objects::nonNull)
                    .collect(Collectors.joining("."));
            throw new BadRequestException("grid", "the run " + run + " is not a valid job: "
                    + (at.isEmpty() ? "" : at + " ") + e.getOriginalMessage());
        }
        for (ConstraintViolation<JobSpec> v : validator.validate(spec)) {
            throw new BadRequestException("grid", "the run " + run + " is invalid: " + v.getPropertyPath() + " "
                    + v.getMessage());
        }
        try {
            sizes.requireWithinLimits(spec);
        } catch (JobRefusal e) {
            throw new BadRequestException("grid", "the run " + run + " cannot be trained: " + e.getMessage());
        } catch (TrainingException e) {
            throw new BadRequestException("grid", "the run " + run + " is too large: " + e.getMessage());
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

    private static String runName(Planned run, List<String> gridKeys) {
        JobSpec spec = run.spec();
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
        fields.putAll(run.paths());
        fields.forEach((k, v) -> name.append(' ').append(k).append('=').append(v));
        String text = name.toString().strip();
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    /** A job spec field as the spec names it: {@code epochs} is the old name of {@code steps}. */
    private static String field(String name) {
        return JobSpec.STEPS_ALIAS.equals(name) ? STEPS : name;
    }

    /** The run's fields for an error message; a dl4j network (kilobytes of JSON) is named, not quoted. */
    private static String describe(Map<String, Object> fields) {
        return fields.entrySet().stream().map(e -> e.getKey() + "=" + ("network".equals(e.getKey()) ? "…" : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
