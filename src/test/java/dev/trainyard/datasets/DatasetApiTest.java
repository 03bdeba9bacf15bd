package dev.trainyard.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import dev.trainyard.support.Api;
import dev.trainyard.support.Multipart;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DatasetApiTest {

    @LocalServerPort
    int port;

    private Api.Response upload(String filename, String type, byte[] content) {
        return Multipart.post(new Api(port).uri("/api/v1/datasets"), filename, type, content);
    }

    @Test
    void aTextFileIsStoredWithItsVocabularyAndCanBeTrainedOn() {
        var created = upload("poem.txt", "text/plain", "the cell remembers\nthe cell forgets\n".getBytes(StandardCharsets.UTF_8));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("name").asString()).isEqualTo("poem.txt");
        assertThat(created.json().get("bytes").asLong()).isEqualTo(36);
        assertThat(created.json().get("vocabulary").asString()).isEqualTo("\n bcefghlmorst");
        String id = created.json().get("id").asString();
        var api = new Api(port);
        assertThat(api.get("/api/v1/datasets").json()).anyMatch(d -> d.get("id").asString().equals(id));
        assertThat(api.post("/api/v1/runs", "{\"project\": \"data\", \"job\": {\"model\": \"gru\", \"dataset\": \"dataset:"
                + id + "\", \"epochs\": 1}}").status()).isEqualTo(201);
    }

    @Test
    void binaryEmptyOversizeAndMislabelledFilesAreRefusedClearly() {
        var binary = upload("weights.bin", "application/octet-stream", new byte[] {0x50, 0x4b, 0x03, 0x04, 0x00, (byte) 0xff, 0x10});
        assertThat(binary.status()).isEqualTo(400);
        assertThat(binary.json().get("detail").asString()).contains("not");

        var empty = upload("empty.txt", "text/plain", new byte[0]);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("detail").asString()).contains("empty");

        var image = upload("cat.png", "image/png", "not really a png".getBytes(StandardCharsets.UTF_8));
        assertThat(image.status()).isEqualTo(400);
        assertThat(image.json().get("detail").asString()).contains("image/png");

        byte[] big = "a".repeat(10 * 1024 * 1024 + 1).getBytes(StandardCharsets.UTF_8);
        var oversize = upload("big.txt", "text/plain", big);
        assertThat(oversize.status()).isEqualTo(413);
        assertThat(oversize.json().get("detail").asString()).contains("trainyard.datasets.max-size");
    }

    @Test
    void aPathInTheFileNameIsOnlyALabel() {
        var created = upload("../../x", "text/plain", "hello there".getBytes(StandardCharsets.UTF_8));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("name").asString()).isEqualTo("x");
        assertThat(created.json().get("id").asString()).matches("[0-9a-z]{12}");
    }

    @Test
    void aJobOnAnUploadThatDoesNotExistIsRefused() {
        var response = new Api(port).post("/api/v1/runs", "{\"project\": \"data\", \"job\": {\"model\": \"gru\", \"dataset\": \"dataset:nope\"}}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("job.dataset");
    }
}
