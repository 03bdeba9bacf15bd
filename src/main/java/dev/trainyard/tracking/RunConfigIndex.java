package dev.trainyard.tracking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

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
     * As long as a whole config may be (V16_6), so a value is never cut short here and a search on
     * it matches what the config holds (MLflow's param values reach 6000 characters).
     */
    static final int MAX_TEXT = RunManagement.MAX_CONFIG_CHARS;

    /** A decimal number as people write one: no spaces, no hex, no NaN; an exponent is fine. */
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    /** Longer digit strings are ids and hashes, not quantities. */
    static final int MAX_NUMBER_TEXT = 40;

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final ProjectKeyCache projectKeys;

    RunConfigIndex(JdbcTemplate jdbc, JsonMapper json, ProjectKeyCache projectKeys) {
        this.jdbc = jdbc;
        this.json = json;
        this.projectKeys = projectKeys;
    }

    void write(String runId, String configJson) {
        projectKeys.keysChanged();
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
                Double number = numberOf(e.getValue());
                if (number != null) {
                    insert.setDouble(4, number);
                } else {
                    insert.setNull(4, Types.DOUBLE);
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * A value's number: a JSON number, or a string that spells a decimal number as MLflow's params
     * do ({@code "0.01"}), so that runs logged either way sort and compare by it alike; null for
     * anything else, NaN and the infinities included.
     */
    static Double numberOf(Object value) {
        double number;
        if (value instanceof Number n) {
            number = n.doubleValue();
        } else if (value instanceof String s && s.length() <= MAX_NUMBER_TEXT && DECIMAL.matcher(s).matches()) {
            number = Double.parseDouble(s);
        } else {
            return null;
        }
        return Double.isFinite(number) ? number : null;
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
