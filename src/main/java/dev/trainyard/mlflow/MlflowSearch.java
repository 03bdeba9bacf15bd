package dev.trainyard.mlflow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import dev.trainyard.mlflow.MlflowFilter.Clause;
import dev.trainyard.mlflow.MlflowFilter.Kind;
import dev.trainyard.mlflow.MlflowFilter.OrderBy;
import dev.trainyard.shared.db.Database;
import dev.trainyard.tracking.RunConfigIndex;
import dev.trainyard.tracking.RunQuery;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code runs/search}'s filter and order_by as one SQL select of run ids, so that a search reads
 * only the page it returns. Each value is the one {@link MlflowRuns}' run view shows, read from
 * the tables behind it: a metric is its series' point at the last step, a param its
 * {@code run_config} row, a tag an MLflow tag or a Trainyard label (value ""), and the run's
 * name and notes are {@code mlflow.runName} and {@code mlflow.note.content}. Texts compare in
 * code point order ({@code collate "C"} on PostgreSQL, H2's default), as Java's strings do.
 * {@link #sqlCan} tells which clauses it takes; {@code MlflowRuns} evaluates the rest in memory.
 */
@Component
class MlflowSearch {

    /** The metric value of a run's series, as {@code MetricStore.latest} reads it. */
    private static final String LATEST = "metric_series %1$s join metric_point %1$sp on %1$sp.series_id = %1$s.id "
            + "and %1$sp.step = %1$s.last_step";

    private final NamedParameterJdbcTemplate named;
    private final String collate;

    MlflowSearch(JdbcTemplate jdbc, Database database) {
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.collate = database.isPostgres() ? " collate \"C\"" : "";
    }

    /**
     * Whether SQL can evaluate a clause or sort on this entity and key: all but a param whose key is
     * too long for {@code run_config}, which a config written through Trainyard's own API may hold.
     */
    static boolean sqlCan(Kind kind, String key) {
        return kind != Kind.PARAM || key.length() <= RunConfigIndex.MAX_KEY;
    }

    /**
     * The ids of the runs of {@code projectIds} that meet every clause, in {@code order}, then newest
     * start first, then by id: the order {@code MlflowRuns} sorts in memory. {@code limit} null is
     * every one from {@code offset}.
     */
    List<String> ids(Collection<String> projectIds, RunQuery.Lifecycle lifecycle, List<Clause> clauses, List<OrderBy> order,
            long offset, Integer limit) {
        var params = new MapSqlParameterSource().addValue("projects", projectIds);
        var joins = new StringBuilder();
        var where = new ArrayList<String>();
        where.add("r.project_id in (:projects)");
        switch (lifecycle) {
            case ACTIVE -> where.add("r.deleted_at is null");
            case DELETED -> where.add("r.deleted_at is not null");
            case ALL -> {
            }
        }
        for (int i = 0; i < clauses.size(); i++) {
            where.add(condition(clauses.get(i), "f" + i, params));
        }
        var sorts = new ArrayList<String>();
        for (int i = 0; i < order.size(); i++) {
            OrderBy o = order.get(i);
            String alias = "o" + i;
            String key = alias + "k";
            params.addValue(key, o.key());
            String expression = switch (o.kind()) {
                case METRIC -> {
                    joins.append(" left join metric_series ").append(alias).append(" on ").append(alias).append(".run_id = r.id and ")
                            .append(alias).append(".metric_key = :").append(key)
                            .append(" left join metric_point ").append(alias).append("p on ").append(alias).append("p.series_id = ")
                            .append(alias).append(".id and ").append(alias).append("p.step = ").append(alias).append(".last_step");
                    yield alias + "p.metric_value";
                }
                case PARAM -> {
                    joins.append(" left join run_config ").append(alias).append(" on ").append(alias).append(".run_id = r.id and ")
                            .append(alias).append(".config_key = :").append(key);
                    yield alias + ".text_value" + collate;
                }
                case TAG -> tag(o.key(), ":" + key) + collate;
                case ATTRIBUTE -> attribute(o.key()) + (numeric(o.kind(), o.key()) ? "" : collate);
            };
            sorts.add(expression + (o.ascending() ? " asc" : " desc") + " nulls last");
        }
        sorts.add(millis("coalesce(r.started_at, r.created_at)") + " desc");
        sorts.add("r.id" + collate + " asc");
        params.addValue("offset", offset);
        String page = " offset :offset rows";
        if (limit != null) {
            params.addValue("limit", limit);
            page += " fetch next :limit rows only";
        }
        String sql = "select r.id from run r join project p on p.id = r.project_id" + joins + " where " + String.join(" and ", where)
                + " order by " + String.join(", ", sorts) + page;
        return named.queryForList(sql, params, String.class);
    }

    /** Whether the entity's value is a number (metrics and times), which compares with numbers only. */
    static boolean numeric(Kind kind, String key) {
        return kind == Kind.METRIC || kind == Kind.ATTRIBUTE && switch (key.toLowerCase(Locale.ROOT)) {
            case "start_time", "created", "end_time" -> true;
            default -> false;
        };
    }

    private String condition(Clause c, String name, MapSqlParameterSource params) {
        String key = name + "k";
        params.addValue(key, c.key());
        if (numeric(c.kind(), c.key())) {
            String value = name + "v";
            params.addValue(value, c.number() + 0.0); // -0.0 is 0 to SQL and to the Java evaluator alike
            String op = switch (c.op()) {
                case EQ -> "=";
                case NE -> "<>";
                case LT -> "<";
                case LE -> "<=";
                case GT -> ">";
                case GE -> ">=";
                default -> throw new IllegalArgumentException(c.op() + " on a number; MlflowRuns refuses it first");
            };
            if (c.kind() == Kind.METRIC) {
                // A semi-join: the planner can start from the key's series instead of testing every run.
                return "exists (select 1 from " + LATEST.formatted(name) + " where " + name + ".run_id = r.id and " + name
                        + ".metric_key = :" + key + " and " + name + "p.metric_value " + op + " :" + value + ")";
            }
            return attribute(c.key()) + " " + op + " :" + value;
        }
        String value = switch (c.kind()) {
            case PARAM -> null;
            case TAG -> tag(c.key(), ":" + key);
            case ATTRIBUTE -> attribute(c.key());
            case METRIC -> throw new IllegalStateException("metrics are numeric");
        };
        String test = text(value == null ? name + ".text_value" : value, c, name, params);
        if (value == null) {
            return "exists (select 1 from run_config " + name + " where " + name + ".run_id = r.id and " + name + ".config_key = :" + key
                    + " and " + test + ")";
        }
        return test;
    }

    /** A text test of {@code expression}; null (no such value) meets none, {@code !=} and {@code NOT IN} included. */
    private String text(String expression, Clause c, String name, MapSqlParameterSource params) {
        String value = name + "v";
        switch (c.op()) {
            case IN, NOT_IN -> {
                params.addValue(value, c.values());
                return expression + (c.op() == MlflowFilter.Op.IN ? " in" : " not in") + " (:" + value + ")";
            }
            case LIKE, ILIKE -> {
                // No escape character: MLflow's pattern has only % and _, and the Java evaluator reads a backslash as itself.
                params.addValue(value, c.value());
                return expression + (c.op() == MlflowFilter.Op.LIKE ? " like :" : " ilike :") + value + " escape ''";
            }
            default -> {
                params.addValue(value, c.value());
                String op = switch (c.op()) {
                    case EQ -> "=";
                    case NE -> "<>";
                    case LT -> "<";
                    case LE -> "<=";
                    case GT -> ">";
                    case GE -> ">=";
                    default -> throw new IllegalStateException(c.op().name());
                };
                return expression + collate + " " + op + " :" + value + collate;
            }
        }
    }

    /**
     * A tag's value as the run view has it: the run's name and notes for MLflow's two tags that
     * are kept there, otherwise the MLflow tag, otherwise "" when a Trainyard label has the name.
     */
    private static String tag(String key, String param) {
        if (MlflowRuns.RUN_NAME.equals(key)) {
            return "r.name";
        }
        String stored = "coalesce((select t.tag_value from mlflow_run_tag t where t.run_id = r.id and t.tag_key = " + param + "), "
                + "(select '' from run_tag l where l.run_id = r.id and l.tag = " + param + "))";
        if (MlflowRuns.NOTE.equals(key)) {
            return "(case when r.notes is not null and r.notes <> '' then r.notes else " + stored + " end)";
        }
        return stored;
    }

    /** An attribute as {@code MlflowRuns.info} reports it; the name was checked against MlflowRuns' list. */
    private static String attribute(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "status" -> "(case r.state when 'QUEUED' then 'SCHEDULED' when 'CRASHED' then 'FAILED' when 'CANCELLED' then 'KILLED' "
                    + "else r.state end)";
            case "run_name" -> "r.name";
            case "start_time", "created" -> millis("coalesce(r.started_at, r.created_at)");
            case "end_time" -> millis("r.ended_at");
            case "run_id", "run_uuid" -> "r.id";
            case "user_id" -> "coalesce((select u.tag_value from mlflow_run_tag u where u.run_id = r.id and u.tag_key = '"
                    + MlflowRuns.USER + "'), '')";
            case "artifact_uri" -> "('mlflow-artifacts:/' || (case when p.name = '" + MlflowExperiments.DEFAULT_NAME + "' then '"
                    + MlflowExperiments.DEFAULT_ID + "' else p.id end) || '/' || r.id || '/artifacts')";
            case "lifecycle_stage" -> "(case when r.deleted_at is null then 'active' else 'deleted' end)";
            default -> throw new IllegalArgumentException("attribute " + name + "; MlflowRuns refuses it first");
        };
    }

    /**
     * Epoch milliseconds, rounded down as {@code Instant.toEpochMilli} does, so that two runs started
     * in one millisecond tie here as they do in the run view; the same expression on both databases.
     */
    private static String millis(String timestamp) {
        return "cast(floor(extract(epoch from " + timestamp + ") * 1000) as double precision)";
    }
}
