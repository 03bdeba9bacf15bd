package dev.trainyard.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The config keys on which compared runs differ, for the compare page's table. A key one run lacks
 * differs too. Each cell says whether it is off the row's most common value, so the page highlights
 * what sets a run apart rather than a whole row.
 *
 * @param keys  the differing keys, in the order the runs first name them
 * @param rows  one per run, in the runs' order
 * @param same  how many keys every run has with one value
 */
record ConfigDifference(List<String> keys, List<Row> rows, int same) {

    /** A run's values under {@link #keys}; {@code null} where it has none. */
    record Row(List<Cell> cells) {
    }

    record Cell(String text, boolean odd) {
    }

    /** Leaves of flattened configs (strings, numbers, booleans, lists), shown by {@code show}. */
    static ConfigDifference of(List<Map<String, Object>> configs, java.util.function.Function<Object, String> show) {
        Set<String> all = new LinkedHashSet<>();
        configs.forEach(c -> all.addAll(c.keySet()));
        var keys = new ArrayList<String>();
        int same = 0;
        for (String key : all) {
            Object first = configs.get(0).get(key);
            boolean differs = configs.stream().anyMatch(c -> !c.containsKey(key) || !equal(c.get(key), first));
            if (differs) {
                keys.add(key);
            } else {
                same++;
            }
        }
        var common = new HashMap<String, String>();
        for (String key : keys) {
            var counts = new HashMap<String, Integer>();
            configs.forEach(c -> counts.merge(textOf(c, key, show), 1, Integer::sum));
            // Ties go to the first run's value, so two runs that differ highlight the second, not both.
            String firstText = textOf(configs.get(0), key, show);
            String mode = firstText;
            for (var e : counts.entrySet()) {
                if (e.getValue() > counts.get(mode)) {
                    mode = e.getKey();
                }
            }
            common.put(key, mode);
        }
        var rows = new ArrayList<Row>();
        for (var config : configs) {
            var cells = new ArrayList<Cell>();
            for (String key : keys) {
                String text = textOf(config, key, show);
                cells.add(new Cell(text, !Objects.equals(text, common.get(key))));
            }
            rows.add(new Row(cells));
        }
        return new ConfigDifference(List.copyOf(keys), List.copyOf(rows), same);
    }

    private static String textOf(Map<String, Object> config, String key, java.util.function.Function<Object, String> show) {
        return config.containsKey(key) ? show.apply(config.get(key)) : null;
    }

    // JSON numbers arrive as Integer, Long or Double: 1 and 1.0 are the same setting.
    private static boolean equal(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        return Objects.equals(a, b);
    }
}
