package dev.trainyard.web;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.tracking.SummaryRef;

/**
 * A column the runs table's user chose, as its address names it: {@code config.<key>} for a config
 * value, {@code summary.<key>} for a metric's own summary, {@code summary.<key>:min} (last, max,
 * mean) for that one. The id is also the column's sort field.
 */
record RunColumn(String id, String configKey, SummaryRef summary) {

    static final String CONFIG = "config.";
    static final String SUMMARY = "summary.";

    static RunColumn parse(String id) {
        String text = id.strip();
        if (text.startsWith(CONFIG) && text.length() > CONFIG.length()) {
            return new RunColumn(text, text.substring(CONFIG.length()), null);
        }
        if (text.startsWith(SUMMARY) && text.length() > SUMMARY.length()) {
            SummaryRef summary = SummaryRef.parse("col", text.substring(SUMMARY.length()));
            return new RunColumn(SUMMARY + summary, null, summary);
        }
        throw new BadRequestException("col", "'" + id + "' is not a column; use config.<key> or summary.<key>, "
                + "optionally followed by :last, :min, :max or :mean");
    }

    static RunColumn summary(String key) {
        return new RunColumn(SUMMARY + key, null, new SummaryRef(key, null));
    }

    public boolean isConfig() {
        return configKey != null;
    }

    /** The header: the key, and the summary's mode when one is picked. */
    public String label() {
        return isConfig() ? configKey : summary.mode() == null ? summary.key() : summary.key() + " (" + summary.modeWord() + ")";
    }

    /** What runs.js updates live: a metric's own summary, which each run's view carries. */
    public boolean live() {
        return summary != null && summary.mode() == null;
    }
}
