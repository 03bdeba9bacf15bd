package dev.trainyard.jobs;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.trainyard.training.JobSpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * A job's effective hyper-parameters as its run's config: the spec with the model's defaults applied,
 * under the names the spec's JSON uses ({@code steps} for text models, {@code epochs}, meaning passes,
 * for dl4j), without the fields that do not apply to the model (null).
 */
public final class JobHyperParameters {

    /**
     * A dl4j job's inline network is its architecture as DL4J's JSON, up to the whole spec's size: it is
     * kept in the job, but as one config value it could be sorted and compared by nobody.
     */
    private static final String NETWORK = "network";

    private JobHyperParameters() {
    }

    public static Map<String, Object> of(JobSpec spec, JsonMapper json) {
        // Through the JSON the worker reads back, so the names and values are the ones it trains on.
        Map<String, Object> all = json.readValue(json.writeValueAsString(spec.withDefaults()), LinkedHashMap.class);
        var result = new LinkedHashMap<String, Object>();
        all.forEach((key, value) -> {
            if (value != null && !NETWORK.equals(key)) {
                result.put(key, value);
            }
        });
        return result;
    }
}
