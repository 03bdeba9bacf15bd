package dev.trainyard.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** A minimal Server-Sent Events reader for tests: collects events as they arrive. */
public final class SseClient implements AutoCloseable {

    public record Event(String id, String name, String data) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private final CompletableFuture<Void> ended;
    private volatile int status;

    public SseClient(URI uri, String lastEventId) {
        this(uri, lastEventId, null);
    }

    /** With an {@code Authorization} header, for a team server. */
    public SseClient(URI uri, String lastEventId, String authorization) {
        var request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        response = HttpClient.newHttpClient().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        ended = response.thenAccept(r -> {
            status = r.statusCode();
            String[] current = new String[3];
            var data = new StringBuilder();
            r.body().forEach(line -> {
                if (line.isEmpty()) {
                    if (current[1] != null || data.length() > 0) {
                        events.add(new Event(current[0], current[1] == null ? "message" : current[1], data.toString()));
                    }
                    current[0] = null;
                    current[1] = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    current[0] = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    current[1] = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).strip());
                }
            });
        });
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public List<Event> events(String name) {
        return events.stream().filter(e -> e.name().equals(name)).toList();
    }

    /** Completes once the server has ended the stream. */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    public int status() {
        return status;
    }

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
        response.cancel(true);
    }
}
