package dev.trainyard.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's offline journal: append-only JSON lines under {@code <TRAINYARD_DIR>/journal/}, in the
 * Python client's format, so that {@link Sync} and {@code python -m trainyard sync} both upload it.
 * Records: {@code run} (the create body and the server's URL, first), {@code id} (the server's
 * run id, once known), {@code points} (one metrics request body), {@code finish} (the final
 * state) and {@code synced} (everything above it was uploaded).
 */
final class Journal {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path path;
    private final FileChannel file;

    private Journal(Path path) throws IOException {
        this.path = path;
        this.file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** {@code TRAINYARD_DIR}, else {@code ~/.trainyard}: where the journals go, as for the Python client. */
    static Path directory() {
        String dir = System.getenv("TRAINYARD_DIR");
        Path base = dir == null || dir.isBlank() ? Path.of(System.getProperty("user.home"), ".trainyard") : Path.of(dir);
        return base.resolve("journal");
    }

    /** Opens a new journal for a run, naming the server's id when the run was created there. */
    static Journal open(Path directory, String localId, String url, Map<String, Object> create, String serverId) {
        try {
            Files.createDirectories(directory);
            var journal = new Journal(directory.resolve(STAMP.format(Instant.now()) + "-" + (serverId == null ? localId : serverId) + ".jsonl"));
            var head = new LinkedHashMap<String, Object>();
            head.put("type", "run");
            head.put("version", 1);
            head.put("local_id", localId);
            head.put("url", url);
            head.put("create", create);
            head.put("time", Instant.now().toString());
            journal.append(head);
            if (serverId != null) {
                journal.append(record("type", "id", "id", serverId));
            }
            return journal;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a journal in " + directory, e);
        }
    }

    static Journal reopen(Path path) throws IOException {
        return new Journal(path);
    }

    Path path() {
        return path;
    }

    void points(List<Map<String, Object>> wire) {
        append(record("type", "points", "batch", Map.of("points", wire)));
    }

    void finish(String state) {
        append(record("type", "finish", "state", state, "time", Instant.now().toString()));
    }

    /** Appends one record and forces it to disk: a journal is what is left when everything else failed. */
    synchronized void append(Map<String, ?> record) {
        try {
            file.write(StandardCharsets.UTF_8.encode(Json.write(record) + "\n"));
            file.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal " + path, e);
        }
    }

    /** A record with its fields in the order given, {@code type} first, as the Python client writes them. */
    static Map<String, Object> record(Object... namesAndValues) {
        var record = new LinkedHashMap<String, Object>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            record.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return record;
    }

    synchronized void close() {
        try {
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
