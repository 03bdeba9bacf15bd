package dev.trainyard.tracking;

/**
 * One line of a run's console.
 *
 * @param seq    its number within the run, from 1; 0 for a line not stored yet
 * @param stream {@code stdout} or {@code stderr}
 * @param time   wall time, epoch milliseconds
 */
public record LogLine(long seq, String stream, String text, long time) {

    public static final String STDOUT = "stdout";
    public static final String STDERR = "stderr";

    /** A line to append: the store gives it its number. */
    public static LogLine of(String stream, String text, long time) {
        return new LogLine(0, stream, text, time);
    }

    public static boolean isStream(String stream) {
        return STDOUT.equals(stream) || STDERR.equals(stream);
    }
}
