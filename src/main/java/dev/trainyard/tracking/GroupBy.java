package dev.trainyard.tracking;

import dev.trainyard.shared.web.BadRequestException;

/**
 * What the runs table folds runs by: a config value ({@code config.lr}), a tag ({@code tag}: a run
 * with two tags is in two groups), the sweep or group ({@code sweep}) or the model ({@code model}:
 * a job's model, {@code external} for a script's run). Runs without a value fold into the group whose
 * value is null.
 */
public record GroupBy(Kind kind, String configKey) {

    public enum Kind { CONFIG, TAG, SWEEP, MODEL }

    private static final String CONFIG = "config.";

    public static GroupBy parse(String field, String text) {
        String t = text.strip();
        if (t.startsWith(CONFIG) && t.length() > CONFIG.length()) {
            String key = t.substring(CONFIG.length());
            if (key.length() > RunConfigIndex.MAX_KEY) {
                throw new BadRequestException(field, "a config key has at most " + RunConfigIndex.MAX_KEY + " characters");
            }
            return new GroupBy(Kind.CONFIG, key);
        }
        return switch (t) {
            case "tag" -> new GroupBy(Kind.TAG, null);
            case "sweep" -> new GroupBy(Kind.SWEEP, null);
            case "model" -> new GroupBy(Kind.MODEL, null);
            default -> throw new BadRequestException(field, "'" + text + "' is not something to group by; use config.<key>, tag, "
                    + "sweep or model");
        };
    }

    /**
     * The left join that brings the value in as table {@code alias}, with {@code :<alias>Key} bound to
     * {@link #configKey}: each fold of a query and its grouping join under their own alias.
     */
    void joinTo(RunSelect select, String alias) {
        switch (kind) {
            case CONFIG -> select.leftJoin("run_config " + alias, alias + ".run_id = r.id and " + alias + ".config_key = :" + alias + "Key",
                    alias + "Key", configKey);
            case MODEL -> select.leftJoin("run_config " + alias, alias + ".run_id = r.id and " + alias + ".config_key = 'model'");
            case TAG -> select.leftJoin("run_tag " + alias, alias + ".run_id = r.id");
            case SWEEP -> {
                // the run's own column
            }
        }
    }

    /** The value as SQL, over {@link #joinTo}'s table. */
    String value(String alias) {
        return switch (kind) {
            case CONFIG -> alias + ".text_value";
            case MODEL -> "case when r.kind = 'EXTERNAL' then 'external' else " + alias + ".text_value end";
            case TAG -> alias + ".tag";
            case SWEEP -> "r.group_id";
        };
    }

    @Override
    public String toString() {
        return kind == Kind.CONFIG ? CONFIG + configKey : kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** One group's runs: those whose value is {@code value}, or that have none when it is null. */
    public record Fold(GroupBy by, String value) {
    }
}
