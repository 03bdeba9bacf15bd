package dev.trainyard.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import tools.jackson.databind.json.JsonMapper;

/** Posts one file as multipart/form-data, as a browser or {@code curl -F} does. */
public final class Multipart {

    private Multipart() {
    }

    public static Api.Response post(URI uri, String filename, String contentType, byte[] content) {
        return post(uri, filename, contentType, content, null);
    }

    /** With an {@code Authorization} header, for a team server. */
    public static Api.Response post(URI uri, String filename, String contentType, byte[] content, String authorization) {
        return post(uri, filename, contentType, content, authorization, java.util.Map.of());
    }

    /** With more headers, such as the {@code Origin} a browser adds. */
    public static Api.Response post(URI uri, String filename, String contentType, byte[] content, String authorization,
            java.util.Map<String, String> headers) {
        String boundary = "----trainyard" + System.nanoTime();
        var body = new ByteArrayOutputStream();
        try {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
                    + "Content-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(content);
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            var request = HttpRequest.newBuilder(uri).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            headers.forEach(request::header);
            HttpResponse<String> r = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            String type = r.headers().firstValue("Content-Type").orElse("");
            return new Api.Response(r.statusCode(), type, r.body(),
                    type.contains("json") ? JsonMapper.builder().build().readTree(r.body()) : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
