package dev.trainyard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class JsonTest {

    private final JsonMapper jackson = JsonMapper.builder().build();

    @Test
    void writesWhatJacksonReadsBackTheSame() {
        var value = new LinkedHashMap<String, Object>();
        value.put("name", "quote \" backslash \\ newline \n tab \t bell \u0007 ünïcode");
        value.put("points", List.of(Map.of("step", 3L, "value", 0.25), Map.of("flag", true)));
        value.put("none", null);
        value.put("big", Long.MAX_VALUE);
        assertThat(jackson.readValue(Json.write(value), Map.class)).isEqualTo(jackson.readValue(jackson.writeValueAsString(value), Map.class));
    }

    @Test
    void nonFiniteValuesAreTheStringsTheApiTakes() {
        assertThat(Json.write(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.5)))
                .isEqualTo("[\"NaN\",\"Infinity\",\"-Infinity\",1.5]");
    }

    @Test
    void readsAnObjectWithNestedObjectsAndArrays() {
        var run = Json.readObject(" {\"id\": \"r1\", \"config\": {\"a\": [1, {\"b\": \"}\"}]}, \"name\": \"n\\u00e9 \\\"x\\\"\","
                + " \"step\": 12, \"ended\": null, \"ok\": true, \"tags\": [\"a]\"]} ");
        assertThat(run).containsEntry("id", "r1").containsEntry("name", "né \"x\"").containsEntry("step", 12L)
                .containsEntry("ended", null).containsEntry("ok", true).containsEntry("tags", List.of("a]"))
                .containsEntry("config", Map.of("a", List.of(1L, Map.of("b", "}"))));
        assertThat(Json.readObject("{\"v\": -1.5e3, \"w\": [], \"x\": {}}")).containsEntry("v", -1500.0)
                .containsEntry("w", List.of()).containsEntry("x", Map.of());
        assertThat(Json.readObject("{}")).isEmpty();
    }

    @Test
    void somethingElseThanAnObjectIsAClearError() {
        assertThatThrownBy(() -> Json.readObject("[1]")).hasMessageContaining("expected '{' at 0");
    }
}
