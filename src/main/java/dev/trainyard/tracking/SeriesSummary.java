package dev.trainyard.tracking;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A key's summaries on one run, from its series' maintained aggregates: {@code value} is its own
 * summary (what the script set, else its mode's), {@code mode} its {@code define_metric} mode (null:
 * last). The steps of the min and max are only read for a single run's page ({@link MetricStore#summaryOf});
 * elsewhere they are null. A value that does not exist (no finite point yet) is null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SeriesSummary(String key, String mode, Double value, Double last, Long lastStep, Double min, Long minStep,
        Double max, Long maxStep, Double mean, long count) {

    /** The summary a column names: its own for a null mode. */
    public Double of(MetricDefinition.SummaryMode pick) {
        if (pick == null) {
            return value;
        }
        return switch (pick) {
            case LAST -> last;
            case MIN -> min;
            case MAX -> max;
            case MEAN -> mean;
            case NONE -> null;
        };
    }
}
