package dev.trainyard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A thin JDK HttpClient wrapper for the REST API; HTTP/1.1, keep-alive, no retries. */
final class BenchHttp {

    /** A response; {@code nanos} is the time from send to the whole body read. */
    record Reply(int status, String body, long nanos) {

        boolean ok() {
            return status / 100 == 2;
        }

        double millis() {
            return nanos / 1e6;
        }
    }

    /** A call that did not get a 2xx: the request, the status and the body, for the report. */
    static final class ApiFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ApiFailure(String request, Reply reply) {
            super(request + " -> HTTP " + reply.status() + " " + abbreviate(reply.body(), 600));
        }
    }

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client;
    private final String base;

    BenchHttp(String base) {
        this.base = base;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    String base() {
        return base;
    }

    Reply get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().header("Accept", "application/json"));
    }

    Reply post(String path, String json) throws IOException, InterruptedException {
        return post(path, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    Reply post(String path, byte[] json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json"));
    }

    private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<String> response = client.send(request.timeout(Duration.ofMinutes(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(), System.nanoTime() - start);
    }

    /** GET, demand a 2xx, parse the JSON body. */
    JsonNode getJson(String path) throws IOException, InterruptedException {
        Reply reply = get(path);
        if (!reply.ok()) {
            throw new ApiFailure("GET " + path, reply);
        }
        return JSON.readTree(reply.body());
    }

    /** POST, demand a 2xx, parse the JSON body. */
    JsonNode postJson(String path, String json) throws IOException, InterruptedException {
        Reply reply = post(path, json);
        if (!reply.ok()) {
            throw new ApiFailure("POST " + path + " " + abbreviate(json, 200), reply);
        }
        return JSON.readTree(reply.body());
    }

    /** Creates a run and returns its id. */
    String createRun(String json) throws IOException, InterruptedException {
        return postJson("/api/v1/runs", json).get("id").asString();
    }

    static String abbreviate(String s, int max) {
        if (s == null) {
            return "";
        }
        String flat = s.replace('\n', ' ');
        return flat.length() <= max ? flat : flat.substring(0, max) + "...";
    }
}
