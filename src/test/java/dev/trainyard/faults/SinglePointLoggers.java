package dev.trainyard.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.trainyard.support.Api;

/** Scripts that log one point per request, each to a run of its own, counting what the server acknowledged. */
final class SinglePointLoggers implements AutoCloseable {

    private final List<String> runs = new ArrayList<>();
    private final ConcurrentHashMap<String, Integer> acknowledged = new ConcurrentHashMap<>();
    private final AtomicBoolean logging = new AtomicBoolean(true);
    private final ExecutorService clients;

    SinglePointLoggers(Api api, int count) {
        for (int i = 0; i < count; i++) {
            runs.add(api.post("/api/v1/runs", "{\"project\": \"durable\", \"name\": \"client-" + i + "\"}").json().get("id").asString());
        }
        clients = Executors.newFixedThreadPool(count);
        for (String run : runs) {
            clients.submit(() -> {
                for (int step = 0; logging.get(); step++) {
                    try {
                        if (api.post("/api/v1/runs/" + run + "/metrics",
                                "{\"points\":[{\"key\":\"x\",\"step\":" + step + ",\"value\":" + step + "}]}").status() != 200) {
                            return;
                        }
                    } catch (RuntimeException serverGone) {
                        return;
                    }
                    acknowledged.put(run, step + 1);
                }
            });
        }
    }

    boolean eachAcknowledgedAtLeast(int points) {
        return runs.stream().allMatch(r -> acknowledged.getOrDefault(r, 0) >= points);
    }

    long acknowledged() {
        return acknowledged.values().stream().mapToLong(i -> i).sum();
    }

    /** Acknowledged points that the server, asked after a restart, no longer has. */
    long lostOn(Api after) {
        long lost = 0;
        for (String run : runs) {
            long stored = after.get("/api/v1/runs/" + run + "/metrics/x?maxPoints=100000").json().get("total").asLong();
            lost += Math.max(0, acknowledged.getOrDefault(run, 0) - stored);
        }
        return lost;
    }

    /** Stops logging; clients whose server was killed have already returned. */
    @Override
    public void close() throws InterruptedException {
        logging.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
}
