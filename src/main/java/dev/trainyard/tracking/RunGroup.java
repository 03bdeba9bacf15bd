package dev.trainyard.tracking;

/** One row of a grouped runs table: the runs whose value is {@code value} (null: none), and how many. */
public record RunGroup(String value, long count) {
}
