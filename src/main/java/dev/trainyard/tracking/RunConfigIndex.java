package dev.trainyard.tracking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * A run's config as rows of {@code run_config}: one per dotted key ({@code optimizer.lr}), with
 * the value as text and, for a number, as a number. The runs search sorts and filters on them.
 * Rewritten whole each time the run's config is, in the same transaction.
 */
@Component
public class RunConfigIndex {

    /** A longer key is kept in the config but not here, so nothing can filter or sort by it in SQL. */
    public static final int MAX_KEY = 250;
    /**
     * As long as a whole config may be (V16_4), so a value is never cut short here and a search on
     * it matches what the config holds (MLflow's param values reach 6000 characters).
     */
    static final int MAX_TEXT = RunManagement.MAX_CONFIG_CHARS;

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    RunConfigIndex(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void write(String runId, String configJson) {
        jdbc.execute((Connection connection) -> {
            write(connection, runId, configJson == null ? null : json.readValue(configJson, Object.class), json);
            return null;
        });
    }

    /** Replaces the run's rows; also what V15_3 runs over existing runs, on its own connection. */
    static void write(Connection connection, String runId, Object config, JsonMapper json) throws SQLException {
        try (var delete = connection.prepareStatement("delete from run_config where run_id = ?")) {
            delete.setString(1, runId);
            delete.executeUpdate();
        }
        var values = flatten(config);
        if (values.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into run_config (run_id, config_key, text_value, num_value) values (?, ?, ?, ?)")) {
            for (var e : values.entrySet()) {
                if (e.getKey().length() > MAX_KEY) {
                    continue; // too long to sort by; the config itself keeps it
                }
                String text = e.getValue() instanceof String s ? s : json.writeValueAsString(e.getValue());
                insert.setString(1, runId);
                insert.setString(2, e.getKey());
                insert.setString(3, text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text);
                if (e.getValue() instanceof Number n && Double.isFinite(n.doubleValue())) {
                    insert.setDouble(4, n.doubleValue());
                } else {
                    insert.setNull(4, Types.DOUBLE);
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * A nested config as dotted keys, in order: a nested object's members get its key and a dot
     * before theirs, an empty nested object stays as itself; lists and scalars are leaves.
     */
    public static Map<String, Object> flatten(Object config) {
        var out = new LinkedHashMap<String, Object>();
        flatten("", config, out);
        return out;
    }

    private static void flatten(String prefix, Object value, Map<String, Object> out) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty() && !prefix.isEmpty()) {
                out.put(prefix, Map.of());
            }
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
        } else if (!prefix.isEmpty()) {
            out.put(prefix, value);
        }
    }
}
