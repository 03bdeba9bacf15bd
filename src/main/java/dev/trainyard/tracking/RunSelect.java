package dev.trainyard.tracking;

import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * A select of run ids over {@code run r join project p}, put together from parts that each bring
 * their own bound parameters, so that a query's shape is read in one list of calls and no value
 * is ever spliced into the SQL.
 */
final class RunSelect {

    private final List<String> joins = new ArrayList<>();
    private final List<String> conditions = new ArrayList<>();
    private final List<String> order = new ArrayList<>();
    private final MapSqlParameterSource params = new MapSqlParameterSource();

    /** A left join that the order needs, with its parameter. */
    RunSelect leftJoin(String table, String on, String param, Object value) {
        joins.add(" left join " + table + " on " + on);
        params.addValue(param, value);
        return this;
    }

    /** A left join without parameters of its own. */
    RunSelect leftJoin(String table, String on) {
        joins.add(" left join " + table + " on " + on);
        return this;
    }

    /** The condition; nothing when it is null. */
    RunSelect where(String condition) {
        if (condition != null) {
            conditions.add(condition);
        }
        return this;
    }

    /** The condition with its parameters, given as name, value, name, value... */
    RunSelect where(String condition, Object... namesAndValues) {
        conditions.add(condition);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            params.addValue((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return this;
    }

    /** The condition, when its value is given; nothing when it is null. */
    RunSelect whereGiven(String condition, String param, Object value) {
        if (value != null) {
            conditions.add(condition);
            params.addValue(param, value);
        }
        return this;
    }

    RunSelect orderBy(String expression, boolean descending) {
        order.add(expression + (descending ? " desc" : " asc") + " nulls last");
        return this;
    }

    String countSql() {
        return "select count(*)" + from();
    }

    /** The ids of one page in order; newest first, then by id, settles ties and an empty order. */
    String pageSql(long offset, int limit) {
        params.addValue("offset", offset).addValue("limit", limit);
        var all = new ArrayList<>(order);
        all.add("r.created_at desc");
        all.add("r.id");
        return "select r.id" + from() + " order by " + String.join(", ", all) + " offset :offset rows fetch next :limit rows only";
    }

    /** Up to {@code limit} distinct values of {@code value} with their run counts, the largest first. */
    String groupSql(String value, int limit) {
        params.addValue("limit", limit);
        return "select " + value + " as v, count(*) as n" + from() + " group by " + value
                + " order by n desc, v nulls last fetch next :limit rows only";
    }

    MapSqlParameterSource params() {
        return params;
    }

    private String from() {
        return " from run r join project p on p.id = r.project_id" + String.join("", joins)
                + (conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions));
    }
}
