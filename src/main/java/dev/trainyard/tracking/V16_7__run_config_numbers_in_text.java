package dev.trainyard.tracking;

import java.util.LinkedHashMap;
import java.util.Map;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.stereotype.Component;

/**
 * Gives the {@code run_config} rows of values that are strings spelling a number (every MLflow
 * param, such as {@code lr = "0.01"}) their {@code num_value}, as {@link RunConfigIndex} now
 * writes them, so that the runs table filters and sorts such runs by the number. Parsed here, not
 * in SQL, so that both databases read a number exactly as new writes do. A Spring bean, as V15_3 is.
 */
@Component
class V16_7__run_config_numbers_in_text extends BaseJavaMigration {

    private static final int BATCH = 1000;

    @Override
    public void migrate(Context context) throws Exception {
        var connection = context.getConnection();
        record Row(String runId, String key) {
        }
        Map<Row, Double> numbers = new LinkedHashMap<>();
        try (var select = connection.prepareStatement("select run_id, config_key, text_value from run_config "
                + "where num_value is null and char_length(text_value) <= ?")) {
            select.setInt(1, RunConfigIndex.MAX_NUMBER_TEXT);
            try (var rows = select.executeQuery()) {
                while (rows.next()) {
                    Double number = RunConfigIndex.numberOf(rows.getString(3));
                    if (number != null) {
                        numbers.put(new Row(rows.getString(1), rows.getString(2)), number);
                    }
                }
            }
        }
        try (var update = connection.prepareStatement("update run_config set num_value = ? where run_id = ? and config_key = ?")) {
            int pending = 0;
            for (var e : numbers.entrySet()) {
                update.setDouble(1, e.getValue());
                update.setString(2, e.getKey().runId());
                update.setString(3, e.getKey().key());
                update.addBatch();
                if (++pending == BATCH) {
                    update.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                update.executeBatch();
            }
        }
    }
}
