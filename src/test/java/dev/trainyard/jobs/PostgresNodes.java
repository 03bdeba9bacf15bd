package dev.trainyard.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import dev.trainyard.TrainyardApplication;
import dev.trainyard.support.Api;
import dev.trainyard.support.ChildServer;
import dev.trainyard.support.Postgres;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Trainyard nodes sharing one fresh PostgreSQL database, as a team deploys them: in this JVM (to
 * reach their beans) or each in a JVM of its own (to kill it). Every node gets the same settings;
 * closing stops them all.
 */
final class PostgresNodes implements AutoCloseable {

    /** A node in a child JVM, and its log. */
    record Child(String name, ChildServer server, Path log) {

        Api api() {
            return new Api(server.port());
        }

        /** Whether this node has started training the run, for the given attempt. */
        boolean trains(String runId, int attempt) {
            try {
                return Files.readString(log).contains("Training job " + runId + " (attempt " + attempt + ")");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final String url;
    private final Path data;
    private final List<String> settings;
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private final List<ChildServer> children = new ArrayList<>();
    private SingleConnectionDataSource direct;

    /** @param settings {@code --name=value} settings for every node, on top of the database's */
    PostgresNodes(Path data, String... settings) {
        this.url = Postgres.createDatabase();
        this.data = data;
        this.settings = Stream.of(Postgres.datasourceArgs(url).stream(),
                Stream.of("--spring.datasource.hikari.maximum-pool-size=5", "--trainyard.workers.threads-per-job=1"),
                Stream.of(settings)).flatMap(s -> s).toList();
    }

    /** A node in this JVM, sharing the data directory with the others (as a shared volume would). */
    ConfigurableApplicationContext inProcess(String... extra) {
        var args = new ArrayList<>(List.of("--server.port=0", "--trainyard.data-dir=" + data));
        args.addAll(settings);
        args.addAll(List.of(extra));
        var context = new SpringApplicationBuilder(TrainyardApplication.class).run(args.toArray(String[]::new));
        contexts.add(context);
        return context;
    }

    /** Nodes in child JVMs with the same settings, started side by side. */
    List<Child> children(List<String> names, String... extra) {
        return names.stream().map(name -> startChild(name, extra)).toList().stream().map(CompletableFuture::join).toList();
    }

    /**
     * Starts a node in a child JVM, in the background, with its own directory (and {@code server.log})
     * under the data dir. Its job-queue lines are logged, so a test can tell which node took a job.
     */
    CompletableFuture<Child> startChild(String name, String... extra) {
        var args = new ArrayList<>(settings);
        args.add("--logging.level.dev.trainyard.jobs=info");
        args.addAll(List.of(extra));
        Path dir = data.resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var server = new ChildServer(dir);
        synchronized (children) {
            children.add(server);
        }
        return CompletableFuture.supplyAsync(() -> new Child(name, server.start(args.toArray(String[]::new)), dir.resolve("server.log")));
    }

    /** The shared database, from the test's side. */
    synchronized JdbcTemplate jdbc() {
        if (direct == null) {
            direct = Postgres.connect(url);
        }
        return new JdbcTemplate(direct);
    }

    /** Queues a seed-rnn job through a node's API. */
    static String createJob(Api api, int epochs) {
        var created = api.post("/api/v1/runs", "{\"project\": \"nodes\", \"job\": {\"model\": \"seed-rnn\", \"epochs\": " + epochs + "}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    static String state(Api api, String runId) {
        return api.get("/api/v1/runs/" + runId).json().get("state").asString();
    }

    static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    static String node(ConfigurableApplicationContext context) {
        return context.getBean(WorkerPool.class).node();
    }

    @Override
    public void close() {
        children.forEach(ChildServer::stop);
        contexts.forEach(ConfigurableApplicationContext::close);
        if (direct != null) {
            direct.destroy();
        }
    }
}
