package dev.trainyard.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.SplittableRandom;

import dev.trainyard.support.Api;
import dev.trainyard.support.ChildServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * An artifact several times larger than the server's heap goes up through MLflow's artifact proxy
 * and comes back whole: uploads and downloads are streamed, never held in memory. The server runs
 * in a JVM of its own with a 256 MB heap, and the file is 1 GB, sent without a Content-Length.
 */
class ArtifactStreamingTest {

    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";
    private static final long SIZE = 1L << 30;

    @TempDir
    Path data;

    @Test
    void anArtifactFourTimesTheHeapGoesUpAndComesBackWhole() throws Exception {
        Path log = ChildServer.logInTarget("ArtifactStreamingTest");
        var server = new ChildServer(data, log).jvm("-Xmx256m", "-XX:+ExitOnOutOfMemoryError")
                .start("--trainyard.workers.count=0", "--trainyard.artifacts.max-file-size=2GB");
        try {
            var api = new Api(server.port());
            JsonNode info = api.post("/api/2.0/mlflow/runs/create", "{}").json().get("run").get("info");
            String root = info.get("artifact_uri").asString().substring("mlflow-artifacts:/".length());
            var http = HttpClient.newHttpClient();

            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            var upload = http.send(HttpRequest.newBuilder(api.uri(PROXY + root + "/model.bin"))
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new DigestInputStream(new NoiseStream(SIZE), sent))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
            assertThat(api.get(PROXY.substring(0, PROXY.length() - 1) + "?path=" + root).json().get("files").toString())
                    .isEqualTo("[{\"path\":\"model.bin\",\"is_dir\":false,\"file_size\":" + SIZE + "}]");

            MessageDigest received = MessageDigest.getInstance("SHA-256");
            var download = http.send(HttpRequest.newBuilder(api.uri(PROXY + root + "/model.bin")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(download.statusCode()).isEqualTo(200);
            long length;
            try (InputStream in = new DigestInputStream(download.body(), received)) {
                length = in.transferTo(OutputStream.nullOutputStream());
            }
            assertThat(length).isEqualTo(SIZE);
            assertThat(received.digest()).as("the same bytes came back").isEqualTo(sent.digest());
        } finally {
            server.stop();
        }
        assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
    }

    /** {@code size} bytes of seeded noise, made as they are read: the test holds no more of the file than the server may. */
    private static final class NoiseStream extends InputStream {

        private final SplittableRandom random = new SplittableRandom(42);
        private long left;

        NoiseStream(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            return random.nextInt(256);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            for (int i = 0; i < n; i += 8) {
                long bits = random.nextLong();
                for (int j = 0; j < 8 && i + j < n; j++) {
                    buffer[offset + i + j] = (byte) (bits >>> (8 * j));
                }
            }
            left -= n;
            return n;
        }
    }
}
