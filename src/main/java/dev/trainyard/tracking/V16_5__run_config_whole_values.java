package dev.trainyard.tracking;

import java.util.LinkedHashMap;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rewrites the {@code run_config} rows of runs whose value V15_3 or an earlier write cut at 1000
 * characters, now that V16_4 lets the column hold it whole: otherwise a search on such a param
 * would compare its first 1000 characters only. A Spring bean, as V15_3 is.
 */
@Component
class V16_5__run_config_whole_values extends BaseJavaMigration {

    /** The old cap: only a value of exactly this length may have been cut. */
    private static final int OLD_MAX_TEXT = 1000;

    private final JsonMapper json = JsonMapper.builder().build();

    @Override
    public void migrate(Context context) throws Exception {
        var connection = context.getConnection();
        var configs = new LinkedHashMap<String, String>();
        try (var select = connection.prepareStatement("select r.id, r.config from run r where r.config is not null and exists "
                + "(select 1 from run_config c where c.run_id = r.id and char_length(c.text_value) = ?)")) {
            select.setInt(1, OLD_MAX_TEXT);
            try (var rows = select.executeQuery()) {
                while (rows.next()) {
                    configs.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        for (var e : configs.entrySet()) {
            Object config;
            try {
                config = json.readValue(e.getValue(), Object.class);
            } catch (RuntimeException unreadable) {
                continue; // as in V15_3: the run keeps its text
            }
            RunConfigIndex.write(connection, e.getKey(), config, json);
        }
    }
}
