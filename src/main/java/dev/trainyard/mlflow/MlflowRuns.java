package dev.trainyard.mlflow;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.trainyard.mlflow.Messages.Metric;
import dev.trainyard.mlflow.Messages.Param;
import dev.trainyard.mlflow.Messages.RunData;
import dev.trainyard.mlflow.Messages.RunInfo;
import dev.trainyard.mlflow.Messages.Tag;
import dev.trainyard.shared.web.NotFoundException;
import dev.trainyard.tracking.MetricKeys;
import dev.trainyard.tracking.MetricPoint;
import dev.trainyard.tracking.MetricStore;
import dev.trainyard.tracking.NewRun;
import dev.trainyard.tracking.Project;
import dev.trainyard.tracking.Run;
import dev.trainyard.tracking.RunEventLog;
import dev.trainyard.tracking.RunEventType;
import dev.trainyard.tracking.RunConfigIndex;
import dev.trainyard.tracking.RunManagement;
import dev.trainyard.tracking.RunSearch;
import dev.trainyard.tracking.RunPage;
import dev.trainyard.tracking.RunPatch;
import dev.trainyard.tracking.RunQuery;
import dev.trainyard.tracking.RunState;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * MLflow's run calls over Trainyard's runs. Params are the run's config (a flat object of
 * strings for runs made here; a job's nested config reads as dotted keys); metrics go through the
 * metric store, so the dashboard draws them live; {@code mlflow.runName} is the run's name and
 * {@code mlflow.note.content} its notes, and the other tags are kept beside the run.
 */
@Service
public class MlflowRuns {

    static final String RUN_NAME = "mlflow.runName";
    static final String NOTE = "mlflow.note.content";
    static final String USER = "mlflow.user";
    static final int MAX_KEY = 250;
    static final int MAX_PARAM_VALUE = 6000;
    static final int MAX_TAG_VALUE = 8000;
    static final int MAX_BATCH_ITEMS = 1000;
    static final int MAX_BATCH_PARAMS = 100;
    static final int MAX_BATCH_TAGS = 100;
    private static final int PAGE = 500;
    /** The most runs one runs/search page may ask for, as MLflow's server allows. */
    static final int MAX_SEARCH_PAGE = 50_000;
    /** MLflow's server caps a history page at 25,000 points. */
    static final int MAX_HISTORY_PAGE = 25_000;

    private final RunManagement runs;
    private final RunSearch search;
    private final MetricStore metrics;
    private final MlflowExperiments experiments;
    private final MlflowTags tags;
    private final RunEventLog events;
    private final JsonMapper json;
    private final TransactionTemplate transaction;
    private final JdbcTemplate jdbc;
    private final MlflowSearch sql;

    MlflowRuns(RunManagement runs, RunSearch search, MetricStore metrics, MlflowExperiments experiments, MlflowTags tags, RunEventLog events,
            JsonMapper json, PlatformTransactionManager transactions, JdbcTemplate jdbc, MlflowSearch sql) {
        this.jdbc = jdbc;
        this.sql = sql;
        this.runs = runs;
        this.search = search;
        this.metrics = metrics;
        this.experiments = experiments;
        this.tags = tags;
        this.events = events;
        this.json = json;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * {@code runs/create}: a new external run with a 32-hex id, as MLflow's server makes them. It
     * started at {@code startTime} (epoch ms) when the client gave one, as a resumed or backfilled
     * script's does.
     */
    public Messages.Run create(String experimentId, String userId, Long startTime, String runName, List<Tag> runTags) {
        Project project = experiments.project(experimentId == null || experimentId.isBlank() ? MlflowExperiments.DEFAULT_ID : experimentId);
        if (project.getDeletedAt() != null) {
            throw MlflowException.invalid("Could not create run under non-active experiment with id " + experimentId + ".");
        }
        var given = new LinkedHashMap<String, String>();
        if (runTags != null) {
            for (Tag t : runTags) {
                requireTag(t.key(), t.value());
                given.put(t.key(), t.value() == null ? "" : t.value());
            }
        }
        String name = runName != null && !runName.isBlank() ? runName : given.get(RUN_NAME);
        String notes = given.remove(NOTE);
        given.remove(RUN_NAME);
        if (userId != null && !userId.isBlank()) {
            given.putIfAbsent(USER, userId);
        }
        String id = UUID.randomUUID().toString().replace("-", "");
        transaction.executeWithoutResult(tx -> {
            runs.start(new NewRun(project.getName(), name, "{}", new LinkedHashSet<>(), notes, null, null, null, null, id,
                    NewRun.Resume.NEVER, startTime == null ? null : Instant.ofEpochMilli(startTime)));
            given.forEach((k, v) -> tags.setOnRun(id, k, v));
        });
        return get(id);
    }

    public Messages.Run get(String runId) {
        Run run = run(runId);
        return new Messages.Run(info(run, tags.ofRun(runId)), data(run, tags.ofRun(runId)));
    }

    /**
     * {@code runs/update}: FINISHED ends the run; FAILED and KILLED end it as failed (Trainyard has
     * no KILLED for scripts' runs); RUNNING picks an ended run up again; SCHEDULED changes nothing.
     */
    public RunInfo update(String runId, String status, String runName) {
        Run run = active(runId);
        RunState ending = null;
        if (status != null && !status.isBlank()) {
            switch (status.toUpperCase(Locale.ROOT)) {
                case "FINISHED" -> ending = RunState.FINISHED;
                case "FAILED", "KILLED" -> ending = RunState.FAILED;
                case "RUNNING" -> {
                    if (run.getState() != RunState.RUNNING) {
                        runs.start(new NewRun(run.getProject().getName(), null, null, null, null, null, null, null, null, runId,
                                NewRun.Resume.MUST));
                    }
                }
                case "SCHEDULED" -> {
                }
                default -> throw MlflowException.invalid("Invalid value '" + status
                        + "' for parameter 'status': one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED");
            }
        }
        String name = runName == null || runName.isBlank() ? null : runName;
        if (ending != null || name != null) {
            runs.patch(runId, new RunPatch(name, null, null, ending));
        }
        Run updated = run(runId);
        return info(updated, tags.ofRun(runId));
    }

    public void logMetrics(String runId, List<Metric> points) {
        if (points.isEmpty()) {
            return;
        }
        var batch = new ArrayList<MetricPoint>(points.size());
        for (Metric m : points) {
            requireKey(m.key(), "metric");
            if (!MetricKeys.isValid(m.key())) {
                throw MlflowException.invalid("Invalid metric name '" + m.key() + "': Trainyard's metric keys " + MetricKeys.RULE);
            }
            batch.add(new MetricPoint(m.key(), m.step(), m.value(), m.timestamp()));
        }
        requireActive(runId);
        try {
            metrics.logEvery(runId, batch);
        } catch (NotFoundException e) {
            throw noRun(runId);
        }
    }

    /** Params are immutable: the same value again is fine, a different one is refused, as in MLflow. */
    public void logParams(String runId, List<Param> params) {
        if (params.isEmpty()) {
            return;
        }
        for (Param p : params) {
            requireKey(p.key(), "param");
            if (p.value() != null && p.value().length() > MAX_PARAM_VALUE) {
                throw MlflowException.invalid("Param value for key '" + p.key() + "' is " + p.value().length()
                        + " characters; at most " + MAX_PARAM_VALUE + " are allowed");
            }
        }
        requireActive(runId);
        retryingOnConcurrentChange(() -> transaction.executeWithoutResult(tx -> {
            Run run = locked(runId);
            Map<String, Object> config = new LinkedHashMap<>();
            if (run.getConfig() != null) {
                config.putAll(json.readValue(run.getConfig(), LinkedHashMap.class));
            }
            boolean changed = false;
            for (Param p : params) {
                String value = p.value() == null ? "" : p.value();
                Object existing = config.get(p.key());
                if (existing != null && !paramValue(existing).equals(value)) {
                    throw MlflowException.invalid("Changing param values is not allowed. Param with key='" + p.key()
                            + "' was already logged with value='" + paramValue(existing) + "' for run ID='" + runId
                            + "'. Attempted logging new value '" + value + "'.");
                }
                if (existing == null) {
                    config.put(p.key(), value);
                    changed = true;
                }
            }
            if (changed) {
                String written = json.writeValueAsString(config);
                // MLflow has no cap on a run's params in all; Trainyard keeps them as the run's config, which has one.
                if (written.length() > RunManagement.MAX_CONFIG_CHARS) {
                    throw MlflowException.invalid("A run's params take at most " + RunManagement.MAX_CONFIG_CHARS
                            + " characters in all (as JSON, Trainyard's limit for a run's config); with these they would take "
                            + written.length());
                }
                runs.patch(runId, new RunPatch(null, null, null, null, written, null, null));
            }
        }));
    }

    public void setTags(String runId, List<Tag> runTags) {
        if (runTags.isEmpty()) {
            return;
        }
        runTags.forEach(t -> requireTag(t.key(), t.value()));
        requireActive(runId);
        retryingOnConcurrentChange(() -> transaction.executeWithoutResult(tx -> {
            Run run = locked(runId);
            String name = null;
            String notes = null;
            for (Tag t : runTags) {
                String value = t.value() == null ? "" : t.value();
                switch (t.key()) {
                    case RUN_NAME -> name = value.isBlank() ? null : value;
                    case NOTE -> notes = value;
                    default -> tags.setOnRun(runId, t.key(), value);
                }
            }
            if (name != null || notes != null) {
                runs.patch(runId, new RunPatch(name, null, notes, null));
            } else {
                events.append(runId, run.getProject().getId(), RunEventType.UPDATED, Map.of("fields", List.of("tags")));
            }
        }));
    }

    public void deleteTag(String runId, String key) {
        requireKey(key, "tag");
        transaction.executeWithoutResult(tx -> {
            Run run = active(runId);
            if (NOTE.equals(key) && run.getNotes() != null) {
                runs.patch(runId, new RunPatch(null, null, "", null));
                return;
            }
            if (!tags.deleteFromRun(runId, key)) {
                throw MlflowException.missing("No tag with name: " + key + " in run with id " + runId);
            }
            events.append(runId, run.getProject().getId(), RunEventType.UPDATED, Map.of("fields", List.of("tags")));
        });
    }

    /**
     * {@code runs/delete}: the run is hidden from searches (ACTIVE_ONLY) and from Trainyard's runs
     * table, and refuses MLflow's writes; its state, points and files are kept. Deleting twice is fine.
     */
    public void delete(String runId) {
        run(runId);
        runs.markDeleted(runId);
    }

    /** {@code runs/restore}: the run is back, as it was. */
    public void restore(String runId) {
        run(runId);
        runs.restore(runId);
    }

    /** {@code runs/log-batch}, with MLflow's limits; params, then tags, then metrics, as MLflow applies them. */
    public void logBatch(String runId, List<Metric> batchMetrics, List<Param> params, List<Tag> batchTags) {
        int total = batchMetrics.size() + params.size() + batchTags.size();
        if (total > MAX_BATCH_ITEMS) {
            throw MlflowException.invalid("A batch logging request can contain at most " + MAX_BATCH_ITEMS
                    + " metrics, params, and tags in total; this one has " + total);
        }
        if (params.size() > MAX_BATCH_PARAMS) {
            throw MlflowException.invalid("A batch logging request can contain at most " + MAX_BATCH_PARAMS
                    + " params; this one has " + params.size());
        }
        if (batchTags.size() > MAX_BATCH_TAGS) {
            throw MlflowException.invalid("A batch logging request can contain at most " + MAX_BATCH_TAGS
                    + " tags; this one has " + batchTags.size());
        }
        active(runId);
        logParams(runId, params);
        setTags(runId, batchTags);
        logMetrics(runId, batchMetrics);
    }

    /**
     * {@code metrics/get-history}: every point of the key, by step, timestamp and value, so a
     * loop that logs at step 0 reads back in the order it logged. The page token is the position of
     * the page's last point, so a page costs the same however deep it is.
     */
    public Page<Metric> history(String runId, String key, Integer maxResults, String pageToken) {
        requireKey(key, "metric");
        if (maxResults != null && (maxResults < 1 || maxResults > MAX_HISTORY_PAGE)) {
            throw MlflowException.invalid("Invalid value " + maxResults + " for parameter 'max_results': it must be between 1 and "
                    + MAX_HISTORY_PAGE);
        }
        MetricStore.Position after = historyPosition(pageToken);
        int limit = maxResults == null ? Integer.MAX_VALUE : maxResults;
        List<MetricPoint> points;
        try {
            points = metrics.everyPoint(runId, key, after, limit == Integer.MAX_VALUE ? limit : limit + 1);
        } catch (NotFoundException e) {
            throw noRun(runId);
        }
        String next = null;
        if (points.size() > limit) {
            points = points.subList(0, limit);
            MetricPoint last = points.get(limit - 1);
            next = Base64.getUrlEncoder().encodeToString((last.step() + ":" + last.time() + ":"
                    + Double.doubleToRawLongBits(last.value())).getBytes(StandardCharsets.UTF_8));
        }
        var page = new ArrayList<Metric>(points.size());
        for (MetricPoint p : points) {
            page.add(new Metric(key, p.value(), p.time(), p.step()));
        }
        return new Page<>(page, next);
    }

    private static MetricStore.Position historyPosition(String pageToken) {
        if (pageToken == null || pageToken.isBlank()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8).split(":");
            if (parts.length == 3) {
                return new MetricStore.Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]),
                        Double.longBitsToDouble(Long.parseLong(parts[2])));
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw MlflowException.invalid("Invalid page token '" + pageToken + "'");
    }

    /**
     * {@code runs/search} over the given experiments. The filter and order_by run in SQL
     * ({@link MlflowSearch}), which returns one page of ids, and only that page's runs are read.
     * A clause or order on what SQL cannot see (a param key longer than {@code run_config} keeps)
     * is evaluated in memory over the runs the other clauses leave. Default order: newest start
     * first, as MLflow's. The page token is the offset into that order, as it always was.
     */
    public Page<Messages.Run> search(List<String> experimentIds, String filter, ViewType viewType, List<String> orderBy,
            Integer maxResults, String pageToken) {
        Search s = prepare(experimentIds, filter, orderBy, maxResults, pageToken);
        List<MlflowFilter.Clause> inSql = s.filter.clauses().stream().filter(c -> MlflowSearch.sqlCan(c.kind(), c.key())).toList();
        boolean allInSql = inSql.size() == s.filter.clauses().size() && s.order.stream().allMatch(o -> MlflowSearch.sqlCan(o.kind(), o.key()));
        if (allInSql) {
            List<String> ids = sql.ids(s.projects, viewType.lifecycle(), inSql, s.order, s.offset, s.size + 1);
            String next = null;
            if (ids.size() > s.size) {
                ids = ids.subList(0, s.size);
                next = offsetToken(s.offset + s.size);
            }
            return new Page<>(views(ids), next);
        }
        var residual = MlflowFilter.of(s.filter.clauses().stream().filter(c -> !MlflowSearch.sqlCan(c.kind(), c.key())).toList());
        var candidates = sql.ids(s.projects, viewType.lifecycle(), inSql, List.of(), 0, null);
        return inMemory(candidates, residual, s);
    }

    /**
     * The same search with every clause and order evaluated in memory over every run's view: the
     * way it was done before it moved into SQL, kept as the oracle its tests compare SQL against.
     */
    Page<Messages.Run> searchInMemory(List<String> experimentIds, String filter, ViewType viewType, List<String> orderBy,
            Integer maxResults, String pageToken) {
        Search s = prepare(experimentIds, filter, orderBy, maxResults, pageToken);
        return inMemory(sql.ids(s.projects, viewType.lifecycle(), List.of(), List.of(), 0, null), s.filter, s);
    }

    private record Search(List<String> projects, MlflowFilter filter, List<MlflowFilter.OrderBy> order, int size, long offset) {
    }

    private Search prepare(List<String> experimentIds, String filter, List<String> orderBy, Integer maxResults, String pageToken) {
        if (experimentIds == null || experimentIds.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'experiment_ids'.");
        }
        MlflowFilter parsed = MlflowFilter.parse(filter == null ? "" : filter);
        var order = new ArrayList<MlflowFilter.OrderBy>();
        if (orderBy != null) {
            orderBy.stream().filter(o -> o != null && !o.isBlank()).forEach(o -> order.add(MlflowFilter.orderBy(o)));
        }
        order.forEach(o -> {
            if (o.kind() == MlflowFilter.Kind.ATTRIBUTE) {
                requireAttribute(o.key());
            }
        });
        parsed.clauses().forEach(c -> {
            if (c.kind() == MlflowFilter.Kind.ATTRIBUTE) {
                requireAttribute(c.key());
            }
            if (MlflowSearch.numeric(c.kind(), c.key())) {
                MlflowFilter.requireNumeric(c);
            }
        });
        int size = maxResults == null ? 1000 : maxResults;
        if (size < 1 || size > MAX_SEARCH_PAGE) {
            throw MlflowException.invalid("Invalid value " + maxResults + " for parameter 'max_results': it must be between 1 and "
                    + MAX_SEARCH_PAGE);
        }
        var projects = new LinkedHashSet<String>();
        for (String experimentId : experimentIds) {
            projects.add(experiments.project(experimentId).getId());
        }
        return new Search(List.copyOf(projects), parsed, order, size, offset(pageToken));
    }

    /** Each run's MLflow view, in the order of {@code ids}, read a page at a time. */
    private List<Messages.Run> views(List<String> ids) {
        var out = new ArrayList<Messages.Run>(ids.size());
        for (int from = 0; from < ids.size(); from += PAGE) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + PAGE));
            // The chunk's tags and latest metrics in a query apiece: one per run cost PostgreSQL seconds at 10k runs.
            var pageTags = tags.ofRuns(chunk);
            var pageMetrics = metrics.latest(chunk);
            for (Run run : search.byIds(chunk)) {
                Map<String, String> runTags = pageTags.get(run.getId());
                out.add(new Messages.Run(info(run, runTags), data(run, runTags, pageMetrics.get(run.getId()))));
            }
        }
        return out;
    }

    private Page<Messages.Run> inMemory(List<String> candidates, MlflowFilter filter, Search s) {
        var matching = new ArrayList<Messages.Run>();
        for (Messages.Run view : views(candidates)) {
            if (filter.matches(c -> valueOf(view, c.kind(), c.key()))) {
                matching.add(view);
            }
        }
        Comparator<Messages.Run> comparator = null;
        for (MlflowFilter.OrderBy o : s.order) {
            Comparator<Messages.Run> next = Comparator.comparing(r -> comparable(valueOf(r, o.kind(), o.key())),
                    nullsLast(o.ascending()));
            comparator = comparator == null ? next : comparator.thenComparing(next);
        }
        Comparator<Messages.Run> newestFirst = Comparator.comparing((Messages.Run r) -> r.info().startTime(),
                Comparator.nullsLast(Comparator.reverseOrder()));
        comparator = (comparator == null ? newestFirst : comparator.thenComparing(newestFirst))
                .thenComparing(r -> r.info().runId());
        matching.sort(comparator);
        int from = (int) Math.min(s.offset, matching.size());
        int to = (int) Math.min((long) from + s.size, matching.size());
        return new Page<>(List.copyOf(matching.subList(from, to)), to < matching.size() ? offsetToken(to) : null);
    }

    private static String offsetToken(long offset) {
        return Base64.getUrlEncoder().encodeToString(Long.toString(offset).getBytes(StandardCharsets.UTF_8));
    }

    private static long offset(String pageToken) {
        if (pageToken == null || pageToken.isBlank()) {
            return 0;
        }
        long offset;
        try {
            offset = Long.parseLong(new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw MlflowException.invalid("Invalid page token '" + pageToken + "'");
        }
        if (offset < 0) {
            throw MlflowException.invalid("Invalid page token '" + pageToken + "'");
        }
        return offset;
    }

    /** A page of results and the opaque token of the next, null on the last. */
    public record Page<T>(List<T> items, String nextPageToken) {
    }

    private static final List<String> ATTRIBUTES = List.of("status", "run_name", "start_time", "end_time", "run_id", "user_id",
            "artifact_uri", "lifecycle_stage", "created", "run_uuid");

    private static void requireAttribute(String name) {
        if (!ATTRIBUTES.contains(name.toLowerCase(Locale.ROOT))) {
            throw MlflowException.invalid("Invalid attribute key '" + name + "' specified. Valid keys are " + ATTRIBUTES);
        }
    }

    private static Object valueOf(Messages.Run run, MlflowFilter.Kind kind, String key) {
        return switch (kind) {
            // + 0.0: -0.0 is 0 to SQL (PostgreSQL keeps the sign, but compares it equal), so it is here too.
            case METRIC -> run.data().metrics().stream().filter(m -> m.key().equals(key)).map(m -> (Object) (m.value() + 0.0)).findFirst()
                    .orElse(null);
            case PARAM -> run.data().params().stream().filter(p -> p.key().equals(key)).map(Param::value).findFirst().orElse(null);
            case TAG -> run.data().tags().stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse(null);
            case ATTRIBUTE -> switch (key.toLowerCase(Locale.ROOT)) {
                case "status" -> run.info().status();
                case "run_name" -> run.info().runName();
                case "start_time", "created" -> run.info().startTime() == null ? null : (double) run.info().startTime();
                case "end_time" -> run.info().endTime() == null ? null : (double) run.info().endTime();
                case "run_id", "run_uuid" -> run.info().runId();
                case "user_id" -> run.info().userId();
                case "artifact_uri" -> run.info().artifactUri();
                case "lifecycle_stage" -> run.info().lifecycleStage();
                default -> null;
            };
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparable<Object> comparable(Object value) {
        return (Comparable) value;
    }

    private static Comparator<Comparable<Object>> nullsLast(boolean ascending) {
        Comparator<Comparable<Object>> natural = Comparator.naturalOrder();
        return Comparator.nullsLast(ascending ? natural : natural.reversed());
    }

    private Run run(String runId) {
        if (runId == null || runId.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'run_id'.");
        }
        try {
            return runs.get(runId);
        } catch (NotFoundException e) {
            throw noRun(runId);
        }
    }

    /**
     * The run, read after taking its row lock (as every writer of its events does), so that MLflow
     * writers changing its config or tags take turns instead of failing each other's version check.
     */
    private Run locked(String runId) {
        if (runId == null || runId.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'run_id'.");
        }
        // Before any read of the run, or this transaction would keep the version read before the lock.
        if (jdbc.queryForList("select id from run where id = ? for update", String.class, runId).isEmpty()) {
            throw noRun(runId);
        }
        return runs.get(runId);
    }

    /** The run, refused when deleted: MLflow writes only to active runs. */
    private Run active(String runId) {
        Run run = run(runId);
        if (run.getDeletedAt() != null) {
            throw notActive(runId);
        }
        return run;
    }

    /** The same check for the metric path, without loading the run. */
    private void requireActive(String runId) {
        if (runId == null || runId.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'run_id'.");
        }
        var deleted = jdbc.queryForList("select deleted_at from run where id = ?", java.sql.Timestamp.class, runId);
        if (deleted.isEmpty()) {
            throw noRun(runId);
        }
        if (deleted.get(0) != null) {
            throw notActive(runId);
        }
    }

    private static MlflowException notActive(String runId) {
        return MlflowException.invalid("The run " + runId + " must be in the 'active' state. Current state is deleted.");
    }

    private static MlflowException noRun(String runId) {
        return MlflowException.missing("Run with id=" + runId + " not found");
    }

    private static void requireKey(String key, String what) {
        if (key == null || key.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'key' (" + what + " key)");
        }
        if (key.length() > MAX_KEY) {
            throw MlflowException.invalid("The " + what + " key '" + key.substring(0, 20) + "...' is " + key.length()
                    + " characters; at most " + MAX_KEY + " are allowed");
        }
    }

    private static void requireTag(String key, String value) {
        requireKey(key, "tag");
        if (value != null && value.length() > MAX_TAG_VALUE) {
            throw MlflowException.invalid("Tag value for key '" + key + "' is " + value.length() + " characters; at most "
                    + MAX_TAG_VALUE + " are allowed");
        }
    }

    /** Two writers changing one run's config or name at once: the loser reads again and retries. */
    private static void retryingOnConcurrentChange(Runnable change) {
        for (int attempt = 1; ; attempt++) {
            try {
                change.run();
                return;
            } catch (OptimisticLockingFailureException e) {
                if (attempt == 5) {
                    throw new MlflowException(ErrorCode.TEMPORARILY_UNAVAILABLE,
                            "the run was changed by other writers at the same time; retry");
                }
            }
        }
    }

    private static String paramValue(Object value) {
        return value instanceof String s ? s : String.valueOf(value);
    }

    private RunInfo info(Run run, Map<String, String> runTags) {
        String experimentId = experiments.idOf(run.getProject());
        Long start = run.getStartedAt() != null ? run.getStartedAt().toEpochMilli() : run.getCreatedAt().toEpochMilli();
        Long end = run.getEndedAt() == null ? null : run.getEndedAt().toEpochMilli();
        return new RunInfo(run.getId(), run.getId(), run.getName(), experimentId, runTags.getOrDefault(USER, ""), status(run.getState()),
                start, end, "mlflow-artifacts:/" + experimentId + "/" + run.getId() + "/artifacts",
                run.getDeletedAt() == null ? "active" : "deleted");
    }

    private static String status(RunState state) {
        return switch (state) {
            case QUEUED -> "SCHEDULED";
            case RUNNING -> "RUNNING";
            case FINISHED -> "FINISHED";
            case FAILED, CRASHED -> "FAILED";
            case CANCELLED -> "KILLED";
        };
    }

    private RunData data(Run run, Map<String, String> runTags) {
        return data(run, runTags, metrics.latest(run.getId()));
    }

    private RunData data(Run run, Map<String, String> runTags, List<MetricPoint> latest) {
        var metricList = new ArrayList<Metric>();
        for (MetricPoint p : latest) {
            metricList.add(new Metric(p.key(), p.value(), p.time(), p.step()));
        }
        var params = new ArrayList<Param>();
        if (run.getConfig() != null) {
            RunConfigIndex.flatten(json.readValue(run.getConfig(), Object.class)).forEach((key, value) ->
                    params.add(new Param(key, value instanceof String text ? text : json.writeValueAsString(value))));
        }
        var tagList = new ArrayList<Tag>();
        var all = new HashMap<String, String>();
        run.getTags().forEach(t -> all.put(t, ""));
        all.putAll(runTags);
        all.put(RUN_NAME, run.getName());
        if (run.getNotes() != null && !run.getNotes().isEmpty()) {
            all.put(NOTE, run.getNotes());
        }
        all.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> tagList.add(new Tag(e.getKey(), e.getValue())));
        return new RunData(metricList, params, tagList);
    }
}
