package dev.trainyard.tracking;

import java.util.Locale;

import dev.trainyard.shared.web.BadRequestException;

/**
 * What {@code wandb.define_metric} says about a key: how its summary is computed, whether lower or
 * higher is better, and the key it is plotted against. Null fields are left as they are.
 */
public record MetricDefinition(String summary, String goal, String stepMetric) {

    /** The summary modes: {@code last} is the default, {@code none} leaves the key out of the summary. */
    public enum SummaryMode {
        LAST, MIN, MAX, MEAN, NONE
    }

    public enum Goal {
        MINIMIZE, MAXIMIZE
    }

    /** This definition checked, with its words in the stored (lower-case) form; a 400 naming the field otherwise. */
    public MetricDefinition checked(String field) {
        return new MetricDefinition(word(field + ".summary", summary, SummaryMode.class),
                word(field + ".goal", goal, Goal.class),
                stepMetric == null ? null : MetricKeys.require(field + ".stepMetric", stepMetric));
    }

    private static <E extends Enum<E>> String word(String field, String value, Class<E> words) {
        if (value == null) {
            return null;
        }
        for (E word : words.getEnumConstants()) {
            if (word.name().equalsIgnoreCase(value.strip())) {
                return word.name().toLowerCase(Locale.ROOT);
            }
        }
        var allowed = new StringBuilder();
        for (E word : words.getEnumConstants()) {
            allowed.append(allowed.isEmpty() ? "" : ", ").append(word.name().toLowerCase(Locale.ROOT));
        }
        throw new BadRequestException(field, "must be one of " + allowed + ", not '" + value + "'");
    }
}
