package dev.trainyard.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import javax.tools.ToolProvider;

import dev.trainyard.support.Api;
import dev.trainyard.support.ChildServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client jar that {@code ./mvnw verify} packages, as a user's project takes it: small, holding
 * the client and the listener and nothing else, and enough on its own to compile and run a program
 * that logs to a server.
 */
class ClientJarIT {

    private static Path jar;

    @TempDir
    Path work;

    @BeforeAll
    static void findTheJar() throws IOException {
        try (var files = Files.list(Path.of("target", "client"))) {
            jar = files.filter(f -> f.getFileName().toString().matches("trainyard-.*-client\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/client/trainyard-*-client.jar: run ./mvnw verify"));
        }
    }

    @Test
    void itIsSmallAndHoldsOnlyTheClientAndTheListener() throws IOException {
        assertThat(Files.size(jar)).isLessThanOrEqualTo(200_000);
        try (var entries = new JarFile(jar.toFile())) {
            assertThat(entries.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")))
                    .isNotEmpty()
                    .allMatch(n -> n.startsWith("dev/trainyard/client/") || n.startsWith("dev/trainyard/training/listener/"));
        }
    }

    @Test
    void aProgramCompiledAndRunAgainstTheJarAloneLogsToAServer() throws Exception {
        Path source = Files.writeString(work.resolve("Consumer.java"), """
                import dev.trainyard.client.TrainyardClient;
                import java.util.Map;

                public class Consumer {
                    public static void main(String[] args) {
                        try (var run = TrainyardClient.connect(args[0], null).init("consumer", "tiny", Map.of("lr", 0.1))) {
                            for (int step = 0; step < 50; step++) {
                                run.log(Map.of("loss", 1.0 / (step + 1)));
                            }
                            System.out.println(run.id());
                        }
                    }
                }
                """);
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null,
                "-classpath", jar.toString(), "-d", work.toString(), source.toString());
        assertThat(compiled).as("javac against the client jar alone").isZero();

        var server = new ChildServer(Files.createDirectories(work.resolve("data"))).start();
        try {
            var process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", jar + File.pathSeparator + work, "Consumer", "http://localhost:" + server.port())
                    .redirectErrorStream(true).start();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            List<String> output = new String(process.getInputStream().readAllBytes()).lines().toList();
            assertThat(process.exitValue()).as("the consumer's output: %s", output).isZero();

            var api = new Api(server.port());
            String id = output.get(output.size() - 1).trim();
            assertThat(api.get("/api/v1/runs/" + id).json().get("state").asString()).isEqualTo("FINISHED");
            assertThat(api.get("/api/v1/runs/" + id + "/metrics/loss").json().get("total").asLong()).isEqualTo(50);
        } finally {
            server.stop();
        }
    }
}
