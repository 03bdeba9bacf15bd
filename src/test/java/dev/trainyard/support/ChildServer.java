package dev.trainyard.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;

/** The application in a JVM of its own, so a test can kill it the way a crash would: SIGKILL. */
public final class ChildServer {

    private final Path dataDir;
    private final Path log;
    private final int port;
    private final List<String> jvmOptions = new ArrayList<>();
    private Process process;

    public ChildServer(Path dataDir) {
        this(dataDir, dataDir.resolve("server.log"));
    }

    /** @param log where the server's output goes, when the data directory is no place for it (a full disk) */
    public ChildServer(Path dataDir, Path log) {
        this.dataDir = dataDir;
        this.log = log;
        try (var socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new, empty log file under target/, where a failed run leaves it to read. */
    public static Path logInTarget(String name) {
        try {
            Path log = Files.createDirectories(Path.of("target")).resolve(name + "-server.log");
            Files.deleteIfExists(log);
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JVM options for the starts that follow, such as {@code -Dorg.bytedeco.javacpp.maxphysicalbytes=1g}. */
    public ChildServer jvm(String... options) {
        jvmOptions.addAll(List.of(options));
        return this;
    }

    public ChildServer start(String... properties) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, "dev.trainyard.TrainyardApplication",
                // Only the application's own configuration: the tests' in-memory database would
                // not survive the restart these tests are about.
                "--spring.config.location=classpath:/application.yml",
                "--server.port=" + port, "--trainyard.data-dir=" + dataDir, "--logging.level.root=warn"));
        command.addAll(List.of(properties));
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var http = HttpClient.newHttpClient();
        // Generous: on a 2-core machine shared with other builds, one start-up was measured at 70 s.
        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + log);
            }
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body().contains("UP");
        });
        return this;
    }

    /** SIGKILL: no shutdown hooks, no flushing, as when a machine loses the process. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public int port() {
        return port;
    }
}
