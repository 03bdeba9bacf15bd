package dev.trainyard.tracking;

import java.util.LinkedHashMap;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fills {@code run_config} (V15_2) for the runs that existed before it, after V15_1 gave past jobs
 * their config. A Spring bean, as V15_1 is, so that Flyway finds it inside the Boot jar; out of
 * order on databases that are past V19_1.
 */
@Component
class V15_3__run_config_index extends BaseJavaMigration {

    private final JsonMapper json = JsonMapper.builder().build();

    @Override
    public void migrate(Context context) throws Exception {
        var connection = context.getConnection();
        var configs = new LinkedHashMap<String, String>();
        try (var select = connection.prepareStatement("select id, config from run where config is not null");
                var rows = select.executeQuery()) {
            while (rows.next()) {
                configs.put(rows.getString(1), rows.getString(2));
            }
        }
        for (var e : configs.entrySet()) {
            Object config;
            try {
                config = json.readValue(e.getValue(), Object.class);
            } catch (RuntimeException unreadable) {
                continue; // nothing to index; the run keeps its text
            }
            RunConfigIndex.write(connection, e.getKey(), config, json);
        }
    }
}
