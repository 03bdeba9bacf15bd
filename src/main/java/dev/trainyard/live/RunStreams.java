package dev.trainyard.live;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.trainyard.tracking.WrittenPoint;
import dev.trainyard.tracking.MetricStore;
import dev.trainyard.tracking.RunActivity;
import dev.trainyard.tracking.RunEvent;
import dev.trainyard.tracking.RunEventLog;
import dev.trainyard.tracking.RunEventType;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Per-run Server-Sent Event streams. Every subscriber has a cursor, the id of the last event it
 * was sent; on news it is sent whatever the store holds after its cursor. Because the store is
 * the source, a reconnect with {@code Last-Event-ID} resumes with no gap and no duplicate, and a
 * burst of writes costs one read per subscriber, not one per write.
 */
@Component
public class RunStreams {

    private static final Logger log = LoggerFactory.getLogger(RunStreams.class);
    private static final int EVENTS_PER_DRAIN = 500;

    private final RunEventLog events;
    private final MetricStore metrics;
    private final JsonMapper json;
    private final LiveSettings settings;
    private final Map<String, Set<Subscriber>> byRun = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final ScheduledExecutorService senders;

    RunStreams(RunEventLog events, MetricStore metrics, JsonMapper json, LiveSettings settings) {
        this.events = events;
        this.metrics = metrics;
        this.json = json;
        this.settings = settings;
        var n = new AtomicInteger();
        this.senders = Executors.newScheduledThreadPool(2, r -> {
            var t = new Thread(r, "trainyard-sse-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long keepAlive = settings.keepAlive().toMillis();
        senders.scheduleWithFixedDelay(this::keepAlive, keepAlive, keepAlive, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens a stream of a run. With {@code lastEventId} it first replays what came after it;
     * without, it starts with the run's current state at the newest event.
     */
    public SseEmitter subscribe(String runId, Long lastEventId, Map<String, ?> snapshot) {
        if (open.incrementAndGet() > settings.maxStreams()) {
            open.decrementAndGet();
            throw new TooManyStreamsException(settings.maxStreams());
        }
        var emitter = new SseEmitter(settings.streamTimeout().toMillis());
        long start = lastEventId != null ? lastEventId : events.head(runId);
        var subscriber = new Subscriber(runId, emitter, start);
        byRun.computeIfAbsent(runId, k -> ConcurrentHashMap.newKeySet()).add(subscriber);
        Runnable remove = () -> unsubscribe(subscriber);
        emitter.onCompletion(remove);
        emitter.onTimeout(remove);
        emitter.onError(e -> remove.run());
        if (lastEventId == null) {
            snapshot.forEach((name, data) -> send(subscriber, SseEmitter.event().id(Long.toString(start)).name(name)
                    .data(json.writeValueAsString(data), MediaType.APPLICATION_JSON)));
        }
        schedule(subscriber);
        return emitter;
    }

    @EventListener
    void onActivity(RunActivity activity) {
        var subscribers = byRun.get(activity.runId());
        if (subscribers != null) {
            subscribers.forEach(this::schedule);
        }
    }

    /** At most one drain per subscriber runs at a time; news during a drain makes it go again. */
    private void schedule(Subscriber s) {
        if (s.pending.getAndIncrement() == 0) {
            senders.execute(() -> {
                int seen;
                do {
                    seen = s.pending.get();
                    while (!s.closed.get() && drain(s)) {
                        // a full batch: there may be more
                    }
                } while (s.pending.addAndGet(-seen) != 0);
            });
        }
    }

    /** Sends what the store holds after the cursor; true when there may be more. */
    private boolean drain(Subscriber s) {
        try {
            List<RunEvent> batch = events.after(s.runId, s.cursor, EVENTS_PER_DRAIN);
            if (batch.isEmpty()) {
                return false;
            }
            Map<Long, List<Map<String, Object>>> points = pointsByEvent(s, batch);
            for (RunEvent e : batch) {
                String data = e.type() == RunEventType.METRICS
                        ? json.writeValueAsString(Map.of("points", points.getOrDefault(e.id(), List.of())))
                        : e.payload();
                if (e.type() == RunEventType.METRICS && !points.containsKey(e.id())) {
                    // Every point of this batch was overwritten by a later one, which will be sent.
                    s.cursor = e.id();
                    continue;
                }
                if (!send(s, SseEmitter.event().id(Long.toString(e.id())).name(e.type().wireName())
                        .data(data, MediaType.APPLICATION_JSON))) {
                    return false;
                }
                s.cursor = e.id();
            }
            return batch.size() == EVENTS_PER_DRAIN;
        } catch (RuntimeException e) {
            log.warn("Could not send events of run {}; closing the stream", s.runId, e);
            unsubscribe(s);
            s.emitter.completeWithError(e);
            return false;
        }
    }

    private Map<Long, List<Map<String, Object>>> pointsByEvent(Subscriber s, List<RunEvent> batch) {
        long lastMetrics = batch.stream().filter(e -> e.type() == RunEventType.METRICS).mapToLong(RunEvent::id).max().orElse(-1);
        var byEvent = new LinkedHashMap<Long, List<Map<String, Object>>>();
        if (lastMetrics < 0) {
            return byEvent;
        }
        for (WrittenPoint p : metrics.writtenBetween(s.runId, s.cursor, lastMetrics)) {
            var point = new LinkedHashMap<String, Object>();
            point.put("key", p.key());
            point.put("step", p.step());
            point.put("value", p.value());
            point.put("time", Instant.ofEpochMilli(p.time()));
            byEvent.computeIfAbsent(p.eventId(), k -> new ArrayList<>()).add(point);
        }
        return byEvent;
    }

    private boolean send(Subscriber s, SseEmitter.SseEventBuilder event) {
        try {
            s.emitter.send(event);
            return true;
        } catch (IOException | IllegalStateException e) {
            unsubscribe(s);
            return false;
        }
    }

    private void keepAlive() {
        byRun.values().forEach(set -> set.forEach(s -> send(s, SseEmitter.event().comment("keep-alive"))));
    }

    private void unsubscribe(Subscriber s) {
        if (s.closed.compareAndSet(false, true)) {
            open.decrementAndGet();
            byRun.computeIfPresent(s.runId, (k, set) -> {
                set.remove(s);
                return set.isEmpty() ? null : set;
            });
        }
    }

    int openStreams() {
        return open.get();
    }

    @PreDestroy
    void close() {
        senders.shutdownNow();
        byRun.values().forEach(set -> set.forEach(s -> s.emitter.complete()));
    }

    private static final class Subscriber {
        final String runId;
        final SseEmitter emitter;
        final AtomicInteger pending = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile long cursor;

        Subscriber(String runId, SseEmitter emitter, long cursor) {
            this.runId = runId;
            this.emitter = emitter;
            this.cursor = cursor;
        }
    }
}
