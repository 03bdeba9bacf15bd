package dev.trainyard.tracking;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.trainyard.shared.web.NotFoundException;
import dev.trainyard.shared.web.StoredText;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A run's console log: what a job's worker wrote while training, or what a script printed. A run
 * keeps its newest {@link LogSettings#maxLinesPerRun()} lines; older ones are dropped and counted,
 * so a script that prints in a tight loop costs a bounded amount of storage. Each append is one
 * LOG event in the run's event log, which is how the Logs tab tails it live.
 */
@Component
public class RunLogs {

    /** The column's size: longer lines are cut, not refused, since they come from a console. */
    public static final int MAX_LINE_CHARS = 10_000;
    private static final int JDBC_BATCH = 500;
    private static final RowMapper<LogLine> LINE = (rs, i) -> new LogLine(rs.getLong(1), rs.getString(2), rs.getString(3),
            rs.getLong(4));

    /** What one append stored: lines {@code firstSeq..lastSeq} (some dropped at once if the batch alone passes the limit). */
    public record Appended(int accepted, long firstSeq, long lastSeq, long dropped) {
    }

    private final JdbcTemplate jdbc;
    private final RunEventLog events;
    private final LogSettings settings;
    private final TransactionTemplate transaction;

    RunLogs(JdbcTemplate jdbc, RunEventLog events, LogSettings settings, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.events = events;
        this.settings = settings;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * Appends lines in one transaction and drops the run's oldest past the limit.
     *
     * @throws NotFoundException for an unknown run
     */
    public Appended append(String runId, List<LogLine> lines) {
        return transaction.execute(tx -> write(runId, lines));
    }

    private Appended write(String runId, List<LogLine> lines) {
        // The run's lock, as every writer of its events takes: appends to one run take turns, so seq is gapless.
        String projectId = jdbc.query("select project_id from run where id = ? for update", (rs, i) -> rs.getString(1), runId)
                .stream().findFirst().orElseThrow(() -> new NotFoundException("run", runId));
        long[] state = counters(runId);
        if (state == null) {
            jdbc.update("insert into run_log (run_id, last_seq, dropped) values (?, 0, 0)", runId);
            state = new long[] {0, 0};
        }
        long before = state[0];
        int max = settings.maxLinesPerRun();
        // Lines this batch alone pushes past the limit are never written, only counted.
        int skipped = Math.max(0, lines.size() - max);
        List<LogLine> kept = lines.subList(skipped, lines.size());
        long firstKept = before + skipped + 1;
        var rows = new ArrayList<Object[]>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            LogLine line = kept.get(i);
            rows.add(new Object[] {runId, firstKept + i, line.stream(), storable(line.text()), line.time()});
        }
        for (int from = 0; from < rows.size(); from += JDBC_BATCH) {
            jdbc.batchUpdate("insert into run_log_line (run_id, seq, stream, line, wall_time) values (?, ?, ?, ?, ?)",
                    rows.subList(from, Math.min(rows.size(), from + JDBC_BATCH)));
        }
        long last = before + lines.size();
        int trimmed = jdbc.update("delete from run_log_line where run_id = ? and seq <= ?", runId, last - max);
        long dropped = state[1] + skipped + trimmed;
        jdbc.update("update run_log set last_seq = ?, dropped = ? where run_id = ?", last, dropped, runId);
        events.append(runId, projectId, RunEventType.LOG, Map.of("first", before + 1, "last", last));
        return new Appended(lines.size(), before + 1, last, dropped);
    }

    /** Lines after {@code afterSeq}, oldest first, at most {@code limit}. */
    public LogPage after(String runId, long afterSeq, int limit) {
        long[] state = requireCounters(runId);
        var lines = jdbc.query("select seq, stream, line, wall_time from run_log_line where run_id = ? and seq > ? "
                + "order by seq fetch first ? rows only", LINE, runId, afterSeq, limit);
        return new LogPage(lines, state[1], state[0]);
    }

    /** The newest {@code count} lines, oldest first. */
    public LogPage tail(String runId, int count) {
        long[] state = requireCounters(runId);
        var lines = new ArrayList<>(jdbc.query("select seq, stream, line, wall_time from run_log_line where run_id = ? "
                + "order by seq desc fetch first ? rows only", LINE, runId, count));
        Collections.reverse(lines);
        return new LogPage(lines, state[1], state[0]);
    }

    /** Lines {@code firstSeq..lastSeq} that are still kept, for the live stream. */
    public LogPage between(String runId, long firstSeq, long lastSeq) {
        long[] state = counters(runId);
        var lines = jdbc.query("select seq, stream, line, wall_time from run_log_line where run_id = ? and seq between ? and ? "
                + "order by seq", LINE, runId, firstSeq, lastSeq);
        return state == null ? new LogPage(lines, 0, 0) : new LogPage(lines, state[1], state[0]);
    }

    private long[] requireCounters(String runId) {
        long[] state = counters(runId);
        if (state != null) {
            return state;
        }
        if (jdbc.queryForObject("select count(*) from run where id = ?", Integer.class, runId) == 0) {
            throw new NotFoundException("run", runId);
        }
        return new long[] {0, 0};
    }

    /** {last_seq, dropped}, or null for a run that has logged nothing. */
    private long[] counters(String runId) {
        return jdbc.query("select last_seq, dropped from run_log where run_id = ?",
                (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)}, runId).stream().findFirst().orElse(null);
    }

    /** A console may print anything; what the database cannot hold becomes U+FFFD rather than a failed batch. */
    private static String storable(String text) {
        String line = text.length() > MAX_LINE_CHARS ? text.substring(0, MAX_LINE_CHARS - 1) + "…" : text;
        if (StoredText.flaw(line) == null) {
            return line;
        }
        var out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < line.length() && Character.isLowSurrogate(line.charAt(i + 1))) {
                out.append(c).append(line.charAt(++i));
            } else {
                out.append(c == 0 || Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }
}
