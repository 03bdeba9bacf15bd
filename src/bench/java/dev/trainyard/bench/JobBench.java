package dev.trainyard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

/**
 * Training-side figures of a packaged server: for each model, a job's wall time against the
 * trainer's own epoch time while an SSE subscriber follows it (what storing and streaming every
 * epoch costs), and two jobs at once against one (what a second worker buys on this machine).
 *
 * <pre>
 * ./mvnw -q package -DskipTests && ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/bench-classes:target/test-classes:target/classes:$(cat target/cp.txt) dev.trainyard.bench.JobBench \
 *      target/trainyard-0.1.0-SNAPSHOT.jar "seed-rnn:seed-sentence:1000" "gru:builtin:tales:200"
 * </pre>
 */
public final class JobBench {

    record Job(String model, String dataset, int epochs) {
        static Job parse(String spec) {
            int first = spec.indexOf(':');
            int last = spec.lastIndexOf(':');
            return new Job(spec.substring(0, first), spec.substring(first + 1, last), Integer.parseInt(spec.substring(last + 1)));
        }

        String json() {
            return json("job-bench");
        }

        String json(String project) {
            return "{\"project\": \"" + project + "\", \"job\": {\"model\": \"" + model + "\", \"dataset\": \"" + dataset
                    + "\", \"epochs\": " + epochs + "}}";
        }
    }

    record Timing(double wallSeconds, double trainerSeconds) {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]).toAbsolutePath();
        Path dir = Files.createTempDirectory("job-bench");
        var server = new ServerProcess(jar, dir, List.of("-Xmx1g"),
                List.of("-Dtrainyard.workers.count=2", "-Dtrainyard.workers.threads-per-job=1"));
        server.launch();
        server.awaitHealthy(Duration.ofMinutes(3));
        var http = new BenchHttp(server.baseUrl());
        try {
            System.out.println("| job | wall ÷ trainer time (store + stream every epoch) | 2 jobs at once ÷ 1, epochs/s |");
            System.out.println("|---|---|---|");
            for (int i = 1; i < args.length; i++) {
                Job job = Job.parse(args[i]);
                run(http, List.of(new Job(job.model(), job.dataset(), Math.max(5, job.epochs() / 20))), false); // warm-up
                Timing alone = run(http, List.of(job), true).get(0);
                List<Timing> pair = run(http, List.of(job, job), false);
                double aloneRate = job.epochs() / alone.wallSeconds();
                double pairRate = 2.0 * job.epochs() / pair.stream().mapToDouble(Timing::wallSeconds).max().orElseThrow();
                System.out.printf("| %s on %s, %d epochs | %.3f (%.2f s ÷ %.2f s) | %.2f× (%.1f vs %.1f epochs/s) |%n",
                        job.model(), job.dataset(), job.epochs(), alone.wallSeconds() / alone.trainerSeconds(),
                        alone.wallSeconds(), alone.trainerSeconds(), pairRate / aloneRate, pairRate, aloneRate);
            }
        } finally {
            server.stop();
        }
    }

    /** Starts the jobs together and waits for all; the timing of each, wall from its start to its end. */
    private static List<Timing> run(BenchHttp http, List<Job> jobs, boolean follow) throws Exception {
        var ids = new ArrayList<String>();
        var streams = new ArrayList<java.util.concurrent.CompletableFuture<?>>();
        for (Job job : jobs) {
            String id = http.createRun(job.json());
            ids.add(id);
            if (follow) {
                streams.add(HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(http.base()
                        + "/api/v1/runs/" + id + "/events?lastEventId=0")).build(), HttpResponse.BodyHandlers.ofLines())
                        .thenAccept(r -> r.body().forEach(line -> { })));
            }
        }
        var timings = new ArrayList<Timing>();
        for (String id : ids) {
            JsonNode run = Awaitility.await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> http.getJson("/api/v1/runs/" + id), r -> r.get("state").asString().matches("FINISHED|FAILED|CANCELLED"));
            if (!run.get("state").asString().equals("FINISHED")) {
                throw new IllegalStateException("job " + id + " ended " + run.get("state") + ": " + run.path("error"));
            }
            double wall = Duration.between(Instant.parse(run.get("startedAt").asString()),
                    Instant.parse(run.get("endedAt").asString())).toNanos() / 1e9;
            double trainer = 0;
            for (JsonNode p : http.getJson("/api/v1/runs/" + id + "/metrics/epoch_ms?maxPoints=100000").get("points")) {
                trainer += p.get("value").doubleValue() / 1000;
            }
            timings.add(new Timing(wall, trainer));
        }
        streams.forEach(s -> s.cancel(true));
        return timings;
    }
}
