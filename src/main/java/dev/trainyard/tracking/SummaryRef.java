package dev.trainyard.tracking;

import java.util.Locale;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.tracking.MetricDefinition.SummaryMode;

/**
 * One metric key's summary as a column, a sort or a filter names it: {@code loss} is the key's own
 * summary (what the script set, else its {@code define_metric} mode, else the last value), and
 * {@code loss:min}, {@code loss:max}, {@code loss:mean} or {@code loss:last} pick that one. A colon
 * never stands in a metric key (see {@link MetricKeys}), so the split is unambiguous.
 */
public record SummaryRef(String key, SummaryMode mode) {

    public SummaryRef {
        if (mode == SummaryMode.NONE) {
            throw new IllegalArgumentException("none is a key's setting, not a summary to show");
        }
    }

    /** {@code key} or {@code key:mode}; a 400 naming {@code field} when either part is not one. */
    public static SummaryRef parse(String field, String text) {
        int colon = text.lastIndexOf(':');
        String key = (colon < 0 ? text : text.substring(0, colon)).strip();
        MetricKeys.require(field, key);
        if (colon < 0) {
            return new SummaryRef(key, null);
        }
        String word = text.substring(colon + 1).strip();
        for (SummaryMode mode : SummaryMode.values()) {
            if (mode != SummaryMode.NONE && mode.name().equalsIgnoreCase(word)) {
                return new SummaryRef(key, mode);
            }
        }
        throw new BadRequestException(field, "'" + word + "' is not a summary; use last, min, max or mean after the key, as in "
                + key + ":min");
    }

    /** The value as SQL over a {@code metric_series} row aliased {@code s}. */
    String sql() {
        if (mode == null) {
            return MetricStore.SUMMARY_VALUE;
        }
        return switch (mode) {
            case LAST -> "s.last_value";
            case MIN -> "s.min_value";
            case MAX -> "s.max_value";
            case MEAN -> "s.value_sum / nullif(s.value_count, 0)";
            case NONE -> throw new IllegalStateException();
        };
    }

    /** The word after the colon, or empty for the key's own summary. */
    public String modeWord() {
        return mode == null ? "" : mode.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return mode == null ? key : key + ":" + modeWord();
    }
}
