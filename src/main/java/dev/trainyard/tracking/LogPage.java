package dev.trainyard.tracking;

import java.util.List;

/**
 * Lines of a run's log, oldest first.
 *
 * @param dropped the run's lines dropped so far to keep it within its limit, oldest first
 * @param lastSeq the newest line's number (0 for an empty log): the cursor to follow it from
 */
public record LogPage(List<LogLine> lines, long dropped, long lastSeq) {
}
