package dev.trainyard.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plain HTTP against a running server, as a script would call it. */
public final class Api {

    public record Response(int status, String contentType, String body, JsonNode json, HttpHeaders headers) {

        public Response(int status, String contentType, String body, JsonNode json) {
            this(status, contentType, body, json, HttpHeaders.of(Map.of(), (name, value) -> true));
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private final String base;
    private final HttpClient http;
    private final String authorization;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Duration timeout;
    private final Map<String, String> headers;

    public Api(int port) {
        this(port, HttpClient.newHttpClient(), null, null);
    }

    /** Every request fails with an {@link UncheckedIOException} unless its whole answer comes within {@code timeout}. */
    public Api(int port, Duration timeout) {
        this(port, HttpClient.newHttpClient(), null, timeout);
    }

    private Api(int port, HttpClient http, String authorization, Duration timeout) {
        this("http://localhost:" + port, http, authorization, timeout, Map.of());
    }

    private Api(String base, HttpClient http, String authorization, Duration timeout, Map<String, String> headers) {
        this.base = base;
        this.http = http;
        this.authorization = authorization;
        this.timeout = timeout;
        this.headers = headers;
    }

    /** The same client, failing any call whose whole answer takes longer than {@code limit}. */
    public Api within(Duration limit) {
        return new Api(base, http, authorization, limit, headers);
    }

    /** The same client (cookies and all) sending one more header on every request, as a browser's page script would. */
    public Api with(String header, String value) {
        var more = new java.util.LinkedHashMap<>(headers);
        more.put(header, value);
        return new Api(base, http, authorization, timeout, Map.copyOf(more));
    }

    /** A script with a personal API token. */
    public static Api withToken(int port, String token) {
        return new Api(port, HttpClient.newHttpClient(), "Bearer " + token, null);
    }

    /** A browser: keeps the session cookie between calls. */
    public static Api withCookies(int port) {
        return new Api(port, HttpClient.newBuilder().cookieHandler(new CookieManager()).build(), null, null);
    }

    /** An HTML form's POST, as a browser sends it. */
    public Response form(String path, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(f -> URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A query parameter's value, URL-encoded. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public String authorization() {
        return authorization;
    }

    public URI uri(String path) {
        return URI.create(base + path);
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** A GET with one more header, such as {@code Range}. */
    public Response get(String path, String header, String value) {
        return send(HttpRequest.newBuilder(uri(path)).header(header, value).GET());
    }

    public Response get(String path, String accept) {
        return send(HttpRequest.newBuilder(uri(path)).header("Accept", accept).GET());
    }

    public Response post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A body with any {@code Content-Type}, even one that makes no sense. */
    public Response post(String path, String body, String contentType) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response patch(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A PUT of raw bytes, as MLflow's artifact client sends a file. */
    public Response put(String path, byte[] body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** A PUT with no Content-Length: the body is sent chunked. */
    public Response putChunked(String path, byte[] body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))));
    }

    /** The body of a GET as bytes, for downloads. */
    public HttpResponse<byte[]> bytes(String path) {
        var request = HttpRequest.newBuilder(uri(path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    public JsonNode json(String text) {
        return json.readTree(text);
    }

    private Response send(HttpRequest.Builder request) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> r = exchange(request.build());
            String type = r.headers().firstValue("Content-Type").orElse("");
            JsonNode node = type.contains("json") && !r.body().isEmpty() ? json.readTree(r.body()) : null;
            return new Response(r.statusCode(), type, r.body(), node, r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> exchange(HttpRequest request) throws IOException, InterruptedException {
        if (timeout == null) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        // The whole answer, body included: HttpRequest.timeout stops counting at the headers.
        var answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + timeout + " to " + request.method() + " " + request.uri());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }
}
