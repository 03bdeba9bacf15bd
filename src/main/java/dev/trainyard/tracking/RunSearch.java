package dev.trainyard.tracking;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.trainyard.shared.web.BadRequestException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Pages of runs, filtered and sorted as {@link RunQuery} says. */
@Component
public class RunSearch {

    private static final String SUMMARY = "summary.";
    private static final String CONFIG = "config.";
    private static final Map<String, String> SORTABLE = Map.of("name", "r.name", "state", "r.state", "kind", "r.kind",
            "createdAt", "r.created_at", "startedAt", "r.started_at", "endedAt", "r.ended_at");

    private final Runs runs;
    private final NamedParameterJdbcTemplate named;
    private final RunSettings settings;
    private final ProjectKeyCache projectKeys;

    RunSearch(Runs runs, JdbcTemplate jdbc, RunSettings settings, ProjectKeyCache projectKeys) {
        this.projectKeys = projectKeys;
        this.runs = runs;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.settings = settings;
    }

    @Transactional(readOnly = true)
    public RunPage find(RunQuery query) {
        if (query.size() < 1 || query.size() > settings.maxPageSize()) {
            throw new BadRequestException("size", "must be between 1 and " + settings.maxPageSize());
        }
        if (query.page() < 0) {
            throw new BadRequestException("page", "must be 0 or more");
        }
        var select = select(query);
        sort(select, query.sort());
        Long total = named.queryForObject(select.countSql(), select.params(), Long.class);
        List<String> ids = named.queryForList(select.pageSql((long) query.page() * query.size(), query.size()), select.params(), String.class);
        Map<String, Run> byId = runs.findAllById(ids).stream().collect(Collectors.toMap(Run::getId, Function.identity()));
        List<Run> page = ids.stream().map(byId::get).filter(r -> r != null).toList();
        return new RunPage(page, query.page(), query.size(), total == null ? 0 : total);
    }

    /** The runs the query's filters keep, its folds included, before any sort. */
    private static RunSelect select(RunQuery query) {
        var select = new RunSelect()
                .where(switch (query.lifecycle()) {
                    case ACTIVE -> "r.deleted_at is null";
                    case DELETED -> "r.deleted_at is not null";
                    case ALL -> null;
                })
                .whereGiven("(p.slug = :project or p.name = :project)", "project", query.project())
                .whereGiven("r.state = :state", "state", query.state() == null ? null : query.state().name())
                .whereGiven("r.group_id = :group", "group", query.group())
                .whereGiven("exists (select 1 from run_tag t where t.run_id = r.id and t.tag = :tag)", "tag", query.tag())
                .whereGiven("lower(r.name) like :q escape '\\'", "q", nameContains(query.q()));
        for (int i = 0; i < query.config().size(); i++) {
            where(select, query.config().get(i), "ck" + i, "cv" + i);
        }
        for (int i = 0; i < query.metrics().size(); i++) {
            where(select, query.metrics().get(i), "mk" + i, "mv" + i);
        }
        for (int i = 0; i < query.folds().size(); i++) {
            GroupBy.Fold fold = query.folds().get(i);
            String alias = "f" + i;
            fold.by().joinTo(select, alias);
            String value = fold.by().value(alias);
            if (fold.value() == null) {
                select.where(value + " is null");
            } else {
                select.where(value + " = :" + alias + "Value", alias + "Value", fold.value());
            }
        }
        return select;
    }

    /**
     * The groups the query's runs fold into by {@code by}, the largest first, at most {@code limit};
     * a run with two tags counts in both. The query's sort and page do not apply.
     */
    @Transactional(readOnly = true)
    public List<RunGroup> groups(RunQuery query, GroupBy by, int limit) {
        var select = select(query);
        by.joinTo(select, "g");
        return named.query(select.groupSql(by.value("g"), limit), select.params(), (rs, i) -> new RunGroup(rs.getString(1), rs.getLong(2)));
    }

    /**
     * The config keys and the metric keys that runs of a project (null: of all projects) have, in
     * order, at most {@code limit} of each: what the runs table offers as columns. Kept a few
     * seconds ({@link ProjectKeyCache}).
     */
    @Transactional(readOnly = true)
    public Keys keys(String project, int limit) {
        return projectKeys.get(project + "\n" + limit, () -> readKeys(project, limit));
    }

    private Keys readKeys(String project, int limit) {
        var params = new HashMap<String, Object>();
        params.put("limit", limit);
        String scope = "";
        if (project != null) {
            scope = " and r.project_id in (select p.id from project p where p.slug = :project or p.name = :project)";
            params.put("project", project);
        }
        List<String> config = named.queryForList("select distinct c.config_key from run_config c join run r on r.id = c.run_id "
                + "where r.deleted_at is null" + scope + " order by c.config_key fetch next :limit rows only", params, String.class);
        List<String> metrics = named.queryForList("select distinct s.metric_key from metric_series s join run r on r.id = s.run_id "
                + "where r.deleted_at is null" + scope + " order by s.metric_key fetch next :limit rows only", params, String.class);
        return new Keys(config, metrics);
    }

    /** What {@link #keys} finds. */
    public record Keys(List<String> config, List<String> metrics) {
    }

    /** Each run's config values as text, by dotted key, for the given runs. */
    @Transactional(readOnly = true)
    public Map<String, Map<String, String>> configValues(Collection<String> runIds) {
        var result = new HashMap<String, Map<String, String>>();
        if (!runIds.isEmpty()) {
            named.query("select run_id, config_key, text_value from run_config where run_id in (:ids)", Map.of("ids", runIds),
                    rs -> {
                        result.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getString(3));
                    });
        }
        return result;
    }

    /** The runs of {@code ids}, in that order; an id of no run is left out. */
    @Transactional(readOnly = true)
    public List<Run> byIds(List<String> ids) {
        Map<String, Run> byId = runs.findAllById(ids).stream().collect(Collectors.toMap(Run::getId, Function.identity()));
        return ids.stream().map(byId::get).filter(r -> r != null).toList();
    }

    /** A like pattern matching names that contain {@code q}, its wildcards taken literally; null for no filter. */
    private static String nameContains(String q) {
        if (q == null || q.isBlank()) {
            return null;
        }
        return "%" + q.toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /** A number compares with num_value, anything else with text_value; see {@link ConfigCondition}. */
    private static void where(RunSelect select, ConfigCondition condition, String keyParam, String valueParam) {
        Double number = condition.number();
        String column = number == null ? "c.text_value" : "c.num_value";
        boolean negated = condition.op() == ConfigCondition.Op.NE;
        String op = negated ? "=" : condition.op().symbol();
        select.where((negated ? "not " : "") + "exists (select 1 from run_config c where c.run_id = r.id and c.config_key = :" + keyParam
                + " and " + column + " " + op + " :" + valueParam + ")", keyParam, condition.key(), valueParam,
                number == null ? condition.value() : number);
    }

    /** The run's summary of the key, by {@link SummaryRef}; NaN meets no condition (it sorts above Infinity). */
    private static void where(RunSelect select, MetricCondition condition, String keyParam, String valueParam) {
        boolean negated = condition.op() == ConfigCondition.Op.NE;
        String op = negated ? "=" : condition.op().symbol();
        String value = condition.summary().sql();
        select.where((negated ? "not " : "") + "exists (select 1 from metric_series s where s.run_id = r.id and s.metric_key = :"
                + keyParam + " and " + value + " " + op + " :" + valueParam + " and " + value
                + " <= cast('Infinity' as double precision))", keyParam, condition.summary().key(), valueParam, condition.value());
    }

    /** {@code field} or {@code field,asc|desc}; a summary sorts by the value the runs table shows, a config value numbers first. */
    private static void sort(RunSelect select, String sort) {
        if (sort == null || sort.isBlank()) {
            return;
        }
        String[] parts = sort.split(",", 2);
        String field = parts[0].strip();
        boolean desc = parts.length > 1 && parts[1].strip().equalsIgnoreCase("desc");
        if (parts.length > 1 && !desc && !parts[1].strip().equalsIgnoreCase("asc")) {
            throw new BadRequestException("sort", "direction must be asc or desc, not '" + parts[1].strip() + "'");
        }
        if (field.startsWith(SUMMARY) && field.length() > SUMMARY.length()) {
            SummaryRef summary = SummaryRef.parse("sort", field.substring(SUMMARY.length()));
            select.leftJoin("metric_series s", "s.run_id = r.id and s.metric_key = :sortKey", "sortKey", summary.key())
                    .orderBy(summary.sql(), desc);
            return;
        }
        if (field.startsWith(CONFIG) && field.length() > CONFIG.length()) {
            select.leftJoin("run_config sc", "sc.run_id = r.id and sc.config_key = :sortConfigKey", "sortConfigKey",
                            field.substring(CONFIG.length()))
                    .orderBy("sc.num_value", desc).orderBy("sc.text_value", desc);
            return;
        }
        String column = SORTABLE.get(field);
        if (column == null) {
            throw new BadRequestException("sort", "unknown sort field '" + field + "'; use one of "
                    + String.join(", ", SORTABLE.keySet().stream().sorted().toList()) + ", " + SUMMARY + "<key>[:last|min|max|mean] or " + CONFIG + "<key>");
        }
        select.orderBy(column, desc);
    }
}
