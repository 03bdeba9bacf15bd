package dev.trainyard.tracking;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A metric's points in a step range: {@code total} in the range, possibly fewer returned.
 * {@code axis} is "sequence" for a series logged through MLflow's API with several points at one
 * step: then each point's {@code step} is its position in the series (by step, then time), and the
 * range is one of positions. Absent (null) means the points are per step, as usual.
 */
public record History(String key, long total, List<HistoryPoint> points,
        @JsonInclude(JsonInclude.Include.NON_NULL) String axis) {

    public static final String SEQUENCE = "sequence";

    public History(String key, long total, List<HistoryPoint> points) {
        this(key, total, points, null);
    }
}
