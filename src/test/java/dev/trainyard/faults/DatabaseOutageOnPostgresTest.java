package dev.trainyard.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import dev.trainyard.TrainyardApplication;
import dev.trainyard.support.Api;
import dev.trainyard.support.Postgres;
import dev.trainyard.support.SseClient;
import dev.trainyard.support.TcpProxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * PostgreSQL goes away under a team's deployment (a node that serves and trains, and a web node)
 * while scripts log points and jobs train, for longer than a job's lease, then comes back. It is
 * taken away by a {@link TcpProxy} in front of it for each node, not stopped: other tests share
 * the server. During the outage every API call is a prompt 503 (problem+json; on MLflow's API its
 * TEMPORARILY_UNAVAILABLE body) and health is DOWN; afterwards the service is whole again by
 * itself, and nothing it acknowledged is missing.
 */
class DatabaseOutageOnPostgresTest {

    /**
     * Far longer than the pool's connection-timeout, so a healthy answer never comes near it, and
     * shorter than Hikari's default 30 s a request would wait for a connection if left untuned.
     */
    private static final Duration PROMPTLY = Duration.ofSeconds(20);
    /** The least the database stays away, so that each kind of call and every client meets the outage. */
    private static final Duration OUTAGE = Duration.ofSeconds(6);
    /** Longer than a connection-timeout, so the short job's last commit fails at least once. */
    private static final Duration AFTER_SHORT_JOB_TRAINED = Duration.ofSeconds(10);
    /** Shorter than the outage, so jobs meet a database back after their lease has run out. */
    private static final Duration LEASE = Duration.ofSeconds(15);
    private static final String MLFLOW = "/api/2.0/mlflow/";
    private static final int CLIENTS = 3;
    private static final int BATCH = 50;
    /** Trains through the outage and well after it. */
    private static final int LONG_JOB_EPOCHS = 10_000;
    /** Ends its training while the database is away: its last epochs and its end wait for the store. */
    private static final int SHORT_JOB_EPOCHS = 2_000;

    @TempDir
    Path data;

    @BeforeAll
    static void postgresAvailable() {
        Postgres.assumeAvailable();
    }

    @Test
    void everyCallIsA503DuringTheOutageAndTheServiceRecoversByItselfLosingNothingAcknowledged() throws Exception {
        String direct = Postgres.createDatabase();
        try (var trainerDb = TcpProxy.inFrontOf(direct);
                var webDb = TcpProxy.inFrontOf(direct);
                var trainer = start(trainerDb.jdbcUrl(direct), "all", "--trainyard.workers.count=2");
                var web = start(webDb.jdbcUrl(direct), "web")) {
            // Scripts log and jobs train on the trainer; streams on the web node see them only through LISTEN/NOTIFY.
            var api = new Api(port(trainer), PROMPTLY);
            var webApi = new Api(port(web), PROMPTLY);

            String longJob = submitJob(api, LONG_JOB_EPOCHS);
            var clients = new LoggingClients(api);
            String quietRun = api.post("/api/v1/runs", "{\"project\": \"outage\", \"name\": \"quiet\"}").json().get("id").asString();
            var streamFromBefore = new SseClient(webApi.uri("/api/v1/runs/" + longJob + "/events"), null);
            var quietStream = new SseClient(webApi.uri("/api/v1/runs/" + quietRun + "/events"), null);
            await().atMost(Duration.ofSeconds(60)).until(() -> clients.acknowledgedByEach(1) && epoch(api, longJob) > 0
                    && !streamFromBefore.events("metrics").isEmpty() && !quietStream.events("state").isEmpty());
            String shortJob = submitJob(api, SHORT_JOB_EPOCHS);
            await().atMost(Duration.ofSeconds(60)).until(() -> epoch(api, shortJob) > 0);

            trainerDb.cut();
            webDb.cut();
            var nodes = Map.of("trainer", api, "web", webApi);
            var duringOutage = CompletableFuture.supplyAsync(() -> callAll(nodes, calls(clients.runs.get(0), longJob)));
            // The model file is written when training ends, before the job's last epochs and its end are stored.
            Path shortJobModel = data.resolve("models").resolve(shortJob + ".model");
            await().pollDelay(OUTAGE).atMost(Duration.ofSeconds(300))
                    .until(() -> duringOutage.isDone() && clients.refusedByEach(1) && Files.exists(shortJobModel));
            await().pollDelay(AFTER_SHORT_JOB_TRAINED).atMost(AFTER_SHORT_JOB_TRAINED.plusSeconds(1)).until(() -> true);
            // The trainer gets the database back first: the web node misses the notice of this point, and must
            // not miss the point for good.
            trainerDb.restore();
            await().atMost(Duration.ofSeconds(60)).until(() -> api.post("/api/v1/runs/" + quietRun + "/metrics",
                    "{\"points\": [{\"key\": \"after\", \"step\": 1, \"value\": 1}]}").status() == 200);
            webDb.restore();

            duringOutage.join().forEach((call, response) -> {
                if (call.endsWith("/actuator/health")) {
                    assertThat(response.status()).as(call).isEqualTo(503);
                    assertThat(response.json().get("status").asString()).as(call).isEqualTo("DOWN");
                } else if (call.endsWith("(dashboard page)")) {
                    assertThat(response.status()).as(call).isEqualTo(503);
                    assertThat(response.contentType()).as(call).startsWith("text/html");
                } else {
                    assertThat(isUnavailable(call, response)).as("%s: %s %s", call, response.status(), response.body()).isTrue();
                }
            });

            // Back by itself: health, every call (the first ones may still find the pool busy catching up), the
            // clients, and live streams on both nodes.
            await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/actuator/health").status() == 200
                    && webApi.get("/actuator/health").status() == 200);
            var notYetOk = new LinkedHashMap<String, Supplier<Api.Response>>();
            calls(clients.runs.get(0), longJob).forEach((call, send) -> {
                if (!call.contains("/events")) {
                    nodes.forEach((node, nodeApi) -> notYetOk.put(node + " " + call, () -> send.apply(nodeApi)));
                }
            });
            var wrongAnswers = new ArrayList<String>();
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                notYetOk.entrySet().removeIf(call -> {
                    var response = call.getValue().get();
                    if (!isUnavailable(call.getKey(), response) && response.status() / 100 != 2) {
                        wrongAnswers.add(call.getKey() + ": " + response.status() + " " + response.body());
                    }
                    return response.status() / 100 == 2;
                });
                return notYetOk.isEmpty();
            });
            assertThat(wrongAnswers).as("answers after the outage other than 2xx and 503 problem+json").isEmpty();
            int acknowledgedBeforeRecovery = clients.acknowledged.size();
            try (var streamAfter = new SseClient(webApi.uri("/api/v1/runs/" + clients.runs.get(1) + "/events"), null)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> !streamAfter.events("metrics").isEmpty());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> clients.acknowledged.size() > acknowledgedBeforeRecovery);
            await("a point logged as the database came back, on a stream opened before").atMost(Duration.ofSeconds(30))
                    .until(() -> quietStream.events("metrics").stream().anyMatch(e -> e.data().contains("\"after\"")));
            quietStream.close();

            await().atMost(Duration.ofSeconds(300)).until(() -> state(api, longJob).equals("FINISHED")
                    && state(api, shortJob).equals("FINISHED"));
            await().atMost(Duration.ofSeconds(30)).until(() -> streamFromBefore.events("state").stream()
                    .anyMatch(e -> e.data().contains("FINISHED")));
            streamFromBefore.close();
            clients.stop();

            assertThat(clients.unexpected).as("answers other than 200 and 503 problem+json").isEmpty();
            for (String run : clients.runs) {
                Set<Long> stored = Set.copyOf(steps(api, run, "x"));
                List<Long> acknowledged = clients.acknowledged.stream().filter(b -> b.run().equals(run))
                        .flatMap(b -> LongStream.range(b.from(), b.from() + BATCH).boxed()).toList();
                assertThat(stored).as("points of %s that got a 200", run).containsAll(acknowledged);
            }
            for (String job : List.of(longJob, shortJob)) {
                int epochs = job.equals(longJob) ? LONG_JOB_EPOCHS : SHORT_JOB_EPOCHS;
                assertThat(steps(api, job, "loss")).as("loss of job %s, each epoch once", job)
                        .isEqualTo(LongStream.rangeClosed(1, epochs).boxed().toList());
                assertThat(attempts(direct, job)).as("job %s trained through the outage, not restarted", job).isEqualTo(1);
            }
            List<Long> streamed = streamFromBefore.events("metrics").stream()
                    .flatMap(e -> api.json(e.data()).get("points").valueStream())
                    .filter(p -> p.get("key").asString().equals("loss")).map(p -> p.get("step").asLong())
                    .distinct().sorted().toList();
            assertThat(streamed).as("the stream opened before the outage carried on after it, with no gap")
                    .isEqualTo(LongStream.rangeClosed(streamed.get(0), LONG_JOB_EPOCHS).boxed().toList());
        }
    }

    /** A call of each kind the API has, by "METHOD path". */
    private static Map<String, Function<Api, Api.Response>> calls(String externalRun, String job) {
        Map<String, Function<Api, Api.Response>> calls = new LinkedHashMap<>();
        calls.put("GET /api/v1/runs?project=outage", a -> a.get("/api/v1/runs?project=outage"));
        calls.put("GET /api/v1/runs/{external}", a -> a.get("/api/v1/runs/" + externalRun));
        calls.put("GET /api/v1/runs/{job}", a -> a.get("/api/v1/runs/" + job));
        calls.put("GET /api/v1/runs/{job}/samples", a -> a.get("/api/v1/runs/" + job + "/samples"));
        calls.put("GET /api/v1/runs/{external}/metrics", a -> a.get("/api/v1/runs/" + externalRun + "/metrics"));
        calls.put("GET /api/v1/runs/{external}/metrics/x", a -> a.get("/api/v1/runs/" + externalRun + "/metrics/x"));
        calls.put("GET /api/v1/metrics?runs={external}&key=x", a -> a.get("/api/v1/metrics?runs=" + externalRun + "&key=x"));
        calls.put("GET /api/v1/projects", a -> a.get("/api/v1/projects"));
        calls.put("GET /api/v1/projects/outage", a -> a.get("/api/v1/projects/outage"));
        calls.put("GET /api/v1/datasets", a -> a.get("/api/v1/datasets"));
        calls.put("GET /api/v1/runs/{job}/events", a -> a.get("/api/v1/runs/" + job + "/events?lastEventId=0", "text/event-stream"));
        calls.put("GET /api/v1/projects/outage/events",
                a -> a.get("/api/v1/projects/outage/events?lastEventId=0", "text/event-stream"));
        calls.put("POST /api/v1/runs/{external}/metrics",
                a -> a.post("/api/v1/runs/" + externalRun + "/metrics", "{\"points\": [{\"key\": \"probe\", \"step\": 1, \"value\": 1}]}"));
        calls.put("POST /api/v1/runs/{external}/heartbeat", a -> a.post("/api/v1/runs/" + externalRun + "/heartbeat", ""));
        calls.put("PATCH /api/v1/runs/{external}", a -> a.patch("/api/v1/runs/" + externalRun, "{\"notes\": \"probed\"}"));
        calls.put("POST /api/v1/runs (external)", a -> a.post("/api/v1/runs", "{\"project\": \"outage-probes\"}"));
        calls.put("POST /api/v1/runs (job)",
                a -> a.post("/api/v1/runs", "{\"project\": \"outage-probes\", \"job\": {\"model\": \"seed-rnn\", \"epochs\": 5}}"));
        // MLflow's clients retry a 503 with backoff, and read its answer as TEMPORARILY_UNAVAILABLE.
        calls.put("POST " + MLFLOW + "runs/log-metric", a -> a.post(MLFLOW + "runs/log-metric", "{\"run_id\": \"" + externalRun
                + "\", \"key\": \"probe\", \"value\": 1, \"timestamp\": 1700000000000, \"step\": 1}"));
        calls.put("GET " + MLFLOW + "runs/get", a -> a.get(MLFLOW + "runs/get?run_id=" + externalRun));
        calls.put("POST " + MLFLOW + "runs/search", a -> a.post(MLFLOW + "runs/search", "{\"experiment_ids\": [\"0\"], "
                + "\"filter\": \"metrics.probe > 0\", \"max_results\": 5}"));
        calls.put("POST " + MLFLOW + "runs/create", a -> a.post(MLFLOW + "runs/create", "{\"experiment_id\": \"0\"}"));
        calls.put("GET /actuator/health", a -> a.get("/actuator/health"));
        calls.put("GET /projects/outage (dashboard page)", a -> a.get("/projects/outage", "text/html"));
        return calls;
    }

    /** Every call on every node, all at once; the answers by "node METHOD path". */
    private static Map<String, Api.Response> callAll(Map<String, Api> nodes, Map<String, Function<Api, Api.Response>> calls) {
        var pending = new LinkedHashMap<String, CompletableFuture<Api.Response>>();
        ExecutorService callers = Executors.newFixedThreadPool(calls.size() * nodes.size());
        try {
            nodes.forEach((node, api) -> calls.forEach((call, send) ->
                    pending.put(node + " " + call, CompletableFuture.supplyAsync(() -> send.apply(api), callers))));
            var answers = new LinkedHashMap<String, Api.Response>();
            pending.forEach((call, answer) -> answers.put(call, answer.join()));
            return answers;
        } finally {
            callers.shutdownNow();
        }
    }

    /** A 503 in the API's own form: problem+json for Trainyard's, MLflow's error body for MLflow's. */
    private static boolean isUnavailable(String call, Api.Response response) {
        if (call.contains(MLFLOW)) {
            return response.status() == 503 && response.contentType().startsWith("application/json")
                    && response.json().get("error_code").asString().equals("TEMPORARILY_UNAVAILABLE");
        }
        return isUnavailable(response);
    }

    private static boolean isUnavailable(Api.Response response) {
        return response.status() == 503 && response.contentType().startsWith("application/problem+json")
                && response.json().get("status").asInt() == 503;
    }

    /** Scripts logging batches of 50 points to external runs, until stopped; 503s are skipped, not retried. */
    private static final class LoggingClients {

        record Batch(String run, long from) {
        }

        final List<String> runs = new ArrayList<>();
        final Set<Batch> acknowledged = ConcurrentHashMap.newKeySet();
        final Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        private final AtomicBoolean logging = new AtomicBoolean(true);
        /** Daemons: a failed assertion leaves them logging, and must not keep the test JVM alive. */
        private final ExecutorService threads = Executors.newFixedThreadPool(CLIENTS, r -> {
            var t = new Thread(r, "script");
            t.setDaemon(true);
            return t;
        });

        LoggingClients(Api api) {
            for (int i = 0; i < CLIENTS; i++) {
                String run = api.post("/api/v1/runs", "{\"project\": \"outage\", \"name\": \"script-" + i + "\"}").json()
                        .get("id").asString();
                runs.add(run);
                refused.put(run, new AtomicInteger());
                threads.submit(() -> log(api, run));
            }
        }

        private void log(Api api, String run) {
            for (long from = 0; logging.get(); from += BATCH) {
                String body = LongStream.range(from, from + BATCH).mapToObj(s -> "{\"key\":\"x\",\"step\":" + s + ",\"value\":" + s + "}")
                        .collect(Collectors.joining(",", "{\"points\":[", "]}"));
                try {
                    var response = api.post("/api/v1/runs/" + run + "/metrics", body);
                    if (response.status() == 200) {
                        acknowledged.add(new Batch(run, from));
                    } else if (isUnavailable(response)) {
                        refused.get(run).incrementAndGet();
                    } else {
                        unexpected.add(response.status() + " " + response.contentType() + " " + response.body());
                    }
                } catch (RuntimeException e) {
                    unexpected.add(e.toString());
                }
            }
        }

        boolean acknowledgedByEach(int batches) {
            return runs.stream().allMatch(run -> acknowledged.stream().filter(b -> b.run().equals(run)).count() >= batches);
        }

        boolean refusedByEach(int calls) {
            return refused.values().stream().allMatch(n -> n.get() >= calls);
        }

        void stop() throws InterruptedException {
            logging.set(false);
            threads.shutdown();
            assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static String submitJob(Api api, int epochs) {
        var response = api.post("/api/v1/runs", "{\"project\": \"outage\", \"job\": {\"model\": \"seed-rnn\", \"epochs\": " + epochs + "}}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asString();
    }

    private static int epoch(Api api, String job) {
        return api.get("/api/v1/runs/" + job).json().path("job").path("progress").path("step").asInt();
    }

    private static String state(Api api, String run) {
        return api.get("/api/v1/runs/" + run).json().get("state").asString();
    }

    /** Every stored step of a key, in order, from the CSV export (which is never downsampled). */
    private static List<Long> steps(Api api, String run, String key) {
        var csv = api.get("/api/v1/runs/" + run + "/metrics/" + key + ".csv");
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        return csv.body().lines().skip(1).map(line -> Long.parseLong(line.substring(0, line.indexOf(',')))).toList();
    }

    private static int attempts(String url, String job) throws Exception {
        try (var connection = DriverManager.getConnection(url, "postgres", "");
                var query = connection.prepareStatement("select attempts from job where run_id = ?")) {
            query.setString(1, job);
            try (var rs = query.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getInt(1);
            }
        }
    }

    private ConfigurableApplicationContext start(String url, String role, String... more) {
        var args = new ArrayList<>(List.of("--server.port=0", "--trainyard.role=" + role, "--trainyard.data-dir=" + data,
                "--spring.datasource.url=" + url, "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--spring.datasource.hikari.maximum-pool-size=5", "--trainyard.workers.lease=" + LEASE.toSeconds() + "s",
                "--trainyard.workers.heartbeat-interval=3s"));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(TrainyardApplication.class).run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
