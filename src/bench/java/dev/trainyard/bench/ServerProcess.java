package dev.trainyard.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged fat jar, run as a child process ({@code java -jar}) on a free port with its own data
 * directory, the way it runs in production: embedded H2 in file mode, or PostgreSQL when the
 * environment says so ({@code SPRING_DATASOURCE_*}).
 */
final class ServerProcess {

    private static final Pattern STARTED = Pattern.compile(
            "Started TrainyardApplication in ([0-9.]+) seconds(?: \\(process running for ([0-9.]+)\\))?");

    final Path jar;
    final Path dataDir;
    final Path log;
    final int port;
    final List<String> command;
    private final Map<String, String> environment;
    private Process process;
    private long launchedNanos;

    ServerProcess(Path jar, Path dataDir, List<String> jvmArgs, List<String> properties) throws IOException {
        this(jar, dataDir, jvmArgs, properties, Map.of());
    }

    /** {@code environment} is added to the bench's own. */
    ServerProcess(Path jar, Path dataDir, List<String> jvmArgs, List<String> properties, Map<String, String> environment)
            throws IOException {
        this.jar = jar;
        this.environment = Map.copyOf(environment);
        this.dataDir = dataDir;
        this.log = dataDir.resolve("server.log");
        this.port = freePort();
        var cmd = new ArrayList<String>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-Dtrainyard.data-dir=" + dataDir.resolve("data"));
        cmd.add("-Dserver.port=" + port);
        cmd.addAll(properties);
        cmd.add("-jar");
        cmd.add(jar.toString());
        this.command = List.copyOf(cmd);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Launches the process; returns at once. */
    void launch() throws IOException {
        Files.createDirectories(dataDir);
        launchedNanos = System.nanoTime();
        var builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        process = builder
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Polls /actuator/health until it answers UP; returns ms since launch. */
    double awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(500)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = launchedNanos + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + " before it was healthy; log "
                        + log + ":\n" + tail(40));
            }
            try {
                HttpResponse<String> r = client.send(health, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return (System.nanoTime() - launchedNanos) / 1e6;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(25);
        }
        throw new IllegalStateException("server not healthy after " + timeout + "; log " + log + ":\n" + tail(40));
    }

    /** Spring Boot's own figures from the log: {started in, process running for}, seconds; NaN if absent. */
    double[] startedLine() throws IOException {
        Matcher m = STARTED.matcher(Files.readString(log, StandardCharsets.UTF_8));
        if (!m.find()) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {Double.parseDouble(m.group(1)), m.group(2) == null ? Double.NaN : Double.parseDouble(m.group(2))};
    }

    /** Log lines matching a pattern, at most {@code max}. */
    List<String> grep(String regex, int max) {
        try {
            Pattern p = Pattern.compile(regex);
            return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> p.matcher(l).find()).limit(max).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM, wait up to 60 s, then SIGKILL. Returns {ms to exit, exit code}. */
    long[] stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return new long[] {0, process == null ? -1 : process.exitValue()};
        }
        long start = System.nanoTime();
        process.destroy(); // SIGTERM on Linux
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return new long[] {(System.nanoTime() - start) / 1_000_000, -9};
        }
        return new long[] {(System.nanoTime() - start) / 1_000_000, process.exitValue()};
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
