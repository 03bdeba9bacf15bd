package dev.trainyard.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Logs a JVM program's metrics to a Trainyard server, the way {@code wandb} does from Python:
 * {@code var run = TrainyardClient.connect().init("my-project", "baseline", config); run.log(Map.of("loss", x));
 * run.finish();}. Points are batched on a background thread, retried with backoff (the server is
 * idempotent on (key, step), so a retry never doubles a point) and the run heart-beats while open.
 *
 * <p>Tracking never breaks the program it tracks. A server that refuses the run or cannot be
 * reached is a warning, and the run logs to an offline journal instead (see {@link Journal}),
 * which {@code java -cp trainyard-client.jar dev.trainyard.client.Sync} or
 * {@code python -m trainyard sync} uploads later.
 *
 * <p>Configuration comes from the arguments, or the environment: {@code TRAINYARD_URL},
 * {@code TRAINYARD_API_KEY}, {@code TRAINYARD_DIR} (where journals go, default ~/.trainyard) and
 * {@code TRAINYARD_MODE}: {@code online} (the default), {@code offline} (journal only) or
 * {@code disabled} (log nothing anywhere).
 */
public final class TrainyardClient {

    private static final System.Logger log = System.getLogger(TrainyardClient.class.getName());

    /** Where a run's points go. */
    enum Mode { ONLINE, OFFLINE, DISABLED }

    private final URI base;
    private final String apiKey;
    private final HttpClient http;
    private final Mode mode;
    private final Path journals;

    TrainyardClient(URI base, String apiKey, Mode mode, Path journals) {
        this.base = base;
        this.apiKey = apiKey;
        this.mode = mode;
        this.journals = journals;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A client for {@code TRAINYARD_URL} (default http://localhost:8080) and {@code TRAINYARD_API_KEY}. */
    public static TrainyardClient connect() {
        String url = System.getenv().getOrDefault("TRAINYARD_URL", "http://localhost:8080");
        return connect(url, System.getenv("TRAINYARD_API_KEY"));
    }

    public static TrainyardClient connect(String url, String apiKey) {
        return new TrainyardClient(uri(url), apiKey, modeFromEnvironment(), Journal.directory());
    }

    static URI uri(String url) {
        return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    private static Mode modeFromEnvironment() {
        String mode = System.getenv().getOrDefault("TRAINYARD_MODE", "online").strip().toUpperCase(Locale.ROOT);
        try {
            return Mode.valueOf(mode);
        } catch (IllegalArgumentException e) {
            log.log(System.Logger.Level.WARNING, "TRAINYARD_MODE is online, offline or disabled, not {0}; logging online", mode);
            return Mode.ONLINE;
        }
    }

    /** Creates an external run, RUNNING from now on, like {@code wandb.init}. */
    public TrainyardRun init(String project, String name, Map<String, ?> config) {
        return init(project, name, config, List.of(), null);
    }

    public TrainyardRun init(String project, String name, Map<String, ?> config, List<String> tags, String notes) {
        var body = new LinkedHashMap<String, Object>();
        body.put("project", Objects.requireNonNull(project, "project"));
        if (name != null) {
            body.put("name", name);
        }
        body.put("config", config == null ? Map.of() : config);
        body.put("tags", tags == null ? List.of() : tags);
        if (notes != null) {
            body.put("notes", notes);
        }
        if (mode == Mode.DISABLED) {
            return TrainyardRun.disabled(name, config);
        }
        if (mode == Mode.OFFLINE) {
            return TrainyardRun.offline(this, body, name, config, "TRAINYARD_MODE is offline");
        }
        try {
            Map<String, Object> run = Json.readObject(send("POST", "/api/v1/runs", Json.write(body), 3));
            return TrainyardRun.online(this, body, (String) run.get("id"), (String) run.get("name"), config);
        } catch (TrainyardException | IllegalArgumentException e) {
            return TrainyardRun.offline(this, body, name, config, "Trainyard could not create the run (" + e.getMessage() + ")");
        }
    }

    URI base() {
        return base;
    }

    Path journals() {
        return journals;
    }

    /**
     * Sends a request, retrying connection failures and 5xx/429 answers with exponential backoff
     * (0.5 s, 1 s, 2 s, ...); a 4xx is the caller's mistake and is not retried.
     */
    String send(String method, String path, String body, int attempts) {
        var request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        long backoff = 500;
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status < 300) {
                    return response.body();
                }
                if (status != 429 && status < 500 || attempt >= attempts) {
                    throw new TrainyardException(method + " " + path + " answered " + status + ": " + response.body(), status);
                }
            } catch (IOException e) {
                if (attempt >= attempts) {
                    throw new TrainyardException("cannot reach " + base + ": " + e.getMessage(), e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrainyardException("interrupted while talking to " + base, e);
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrainyardException("interrupted while waiting to retry", e);
            }
            backoff = Math.min(backoff * 2, 30_000);
        }
    }

    /** Points as the API takes them; {@link Json} spells non-finite values as the strings NaN, Infinity, -Infinity. */
    static List<Map<String, Object>> wire(List<TrainyardRun.Point> points) {
        var out = new ArrayList<Map<String, Object>>(points.size());
        for (TrainyardRun.Point p : points) {
            var point = new LinkedHashMap<String, Object>(4);
            point.put("key", p.key());
            point.put("step", p.step());
            point.put("value", p.value());
            point.put("time", p.time().toString());
            out.add(point);
        }
        return out;
    }
}
