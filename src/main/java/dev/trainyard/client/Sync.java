package dev.trainyard.client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Uploads runs that were logged to an offline journal:
 * {@code java -cp trainyard-client.jar dev.trainyard.client.Sync [journal.jsonl ...]}, or every
 * journal under {@code TRAINYARD_DIR} (default ~/.trainyard) when none is named. Safe to repeat,
 * as {@code python -m trainyard sync} is, and interchangeable with it: the run is created once
 * (its id is written to the journal), points are idempotent on (key, step), and a {@code synced}
 * record marks how far an upload got. {@code TRAINYARD_URL} overrides the server the journal names.
 */
public final class Sync {

    private Sync() {
    }

    public static void main(String[] args) throws IOException {
        List<Path> journals = new ArrayList<>();
        for (String arg : args) {
            journals.add(Path.of(arg));
        }
        if (journals.isEmpty() && Files.isDirectory(Journal.directory())) {
            try (Stream<Path> files = Files.list(Journal.directory())) {
                files.filter(f -> f.toString().endsWith(".jsonl")).sorted().forEach(journals::add);
            }
        }
        if (journals.isEmpty()) {
            System.out.println("nothing to sync in " + Journal.directory());
            return;
        }
        int failed = 0;
        for (Path journal : journals) {
            try {
                upload(journal, System.getenv("TRAINYARD_URL"), System.getenv("TRAINYARD_API_KEY"), System.out);
            } catch (TrainyardException | IOException | IllegalArgumentException | ClassCastException e) {
                failed++;
                System.out.println(journal + ": not synced: " + e.getMessage());
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    /** Uploads one journal and returns the server's run id. */
    @SuppressWarnings("unchecked")
    static String upload(Path path, String url, String apiKey, PrintStream out) throws IOException {
        // Two syncs at once must not create the run twice.
        try (var lock = FileChannel.open(path, StandardOpenOption.WRITE); var held = lock.lock()) {
            List<Map<String, Object>> records = new ArrayList<>();
            for (String line : Files.readAllLines(path)) {
                try {
                    records.add(Json.readObject(line));
                } catch (RuntimeException cutShort) {
                    out.println(path + ": skipped a line cut short");
                }
            }
            Map<String, Object> head = records.stream().filter(r -> "run".equals(r.get("type"))).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(path + " is not a Trainyard journal (no run record)"));
            String runId = null;
            long offset = 0;
            int lastMark = -1;
            for (int i = 0; i < records.size(); i++) {
                var r = records.get(i);
                if ("id".equals(r.get("type"))) {
                    runId = (String) r.get("id");
                    offset = r.get("step_offset") instanceof Number n ? n.longValue() : 0;
                } else if ("synced".equals(r.get("type"))) {
                    lastMark = i;
                }
            }
            var work = records.subList(lastMark + 1, records.size()).stream()
                    .filter(r -> List.of("points", "finish").contains(r.get("type"))).toList();
            if (runId != null && work.isEmpty()) {
                out.println(path + ": already synced (run " + runId + ")");
                return runId;
            }
            var client = new TrainyardClient(TrainyardClient.uri(url != null && !url.isBlank() ? url : (String) head.get("url")), apiKey,
                    TrainyardClient.Mode.ONLINE, path.getParent());
            var journal = Journal.reopen(path);
            try {
                if (runId == null) {
                    runId = (String) Json.readObject(client.send("POST", "/api/v1/runs", Json.write(head.get("create")), 5)).get("id");
                    journal.append(Journal.record("type", "id", "id", runId, "step_offset", 0, "time", Instant.now().toString()));
                    out.println(path + ": created run " + runId);
                }
                var points = new ArrayList<Map<String, Object>>();
                for (var r : work) {
                    if ("points".equals(r.get("type"))) {
                        for (var p : (List<Map<String, Object>>) ((Map<String, Object>) r.get("batch")).get("points")) {
                            var point = new java.util.LinkedHashMap<>(p);
                            point.put("step", ((Number) p.get("step")).longValue() + offset);
                            points.add(point);
                        }
                    }
                }
                for (int i = 0; i < points.size(); i += 10_000) {
                    client.send("POST", "/api/v1/runs/" + runId + "/metrics",
                            Json.write(Map.of("points", points.subList(i, Math.min(points.size(), i + 10_000)))), 5);
                }
                String state = work.stream().filter(r -> "finish".equals(r.get("type"))).map(r -> (String) r.get("state"))
                        .reduce((first, last) -> last).orElse(null);
                if (state != null) {
                    try {
                        client.send("PATCH", "/api/v1/runs/" + runId, Json.write(Map.of("state", state)), 5);
                    } catch (TrainyardException e) {
                        out.println(path + ": could not set state " + state + ": " + e.getMessage());
                    }
                }
                journal.append(Journal.record("type", "synced", "lines", records.size(), "points", points.size(), "time",
                        Instant.now().toString()));
                out.println(path + ": run " + runId + ": " + points.size() + " point(s) uploaded"
                        + (state == null ? " (no finish record yet: still running, or killed)" : ", state " + state));
                return runId;
            } finally {
                journal.close();
            }
        }
    }
}
