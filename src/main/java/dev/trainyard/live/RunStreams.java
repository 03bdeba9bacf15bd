package dev.trainyard.live;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.trainyard.tracking.LogPage;
import dev.trainyard.tracking.MetricStore;
import dev.trainyard.tracking.RunActivity;
import dev.trainyard.tracking.RunEvent;
import dev.trainyard.tracking.RunEventLog;
import dev.trainyard.tracking.RunEventType;
import dev.trainyard.tracking.RunLogs;
import dev.trainyard.tracking.RunState;
import dev.trainyard.tracking.WrittenPoint;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Per-run event streams. Every subscriber has a cursor, the id of the last event it was sent; on
 * news it is sent whatever the store holds after its cursor. Because the store is the source, a
 * reconnect with {@code Last-Event-ID} resumes with no gap and no duplicate.
 */
@Component
public class RunStreams {

    private static final int EVENTS_PER_DRAIN = 500;
    private static final String TOPIC = "run:";

    private final LiveHub hub;
    private final RunEventLog events;
    private final MetricStore metrics;
    private final RunLogs logs;
    private final JsonMapper json;

    RunStreams(LiveHub hub, RunEventLog events, MetricStore metrics, RunLogs logs, JsonMapper json) {
        this.hub = hub;
        this.events = events;
        this.metrics = metrics;
        this.logs = logs;
        this.json = json;
    }

    /**
     * Opens a stream of a run. With {@code lastEventId} it first replays what came after it;
     * without, it starts with {@code snapshot} (event name → data), which is the run as of event
     * {@code snapshotEventId}, and goes on from there: a change committed after the snapshot was
     * read, such as a worker's claim, is sent rather than lost between the two.
     */
    public SseEmitter subscribe(String runId, Long lastEventId, Map<String, ?> snapshot, long snapshotEventId) {
        return subscribe(runId, lastEventId, snapshot, snapshotEventId, null);
    }

    /**
     * As {@link #subscribe(String, Long, Map, long)}, but the stream ends (the response completes)
     * once it has sent the run's end: a terminal state event, or, for a run that had already ended
     * at event {@code endedAt}, everything up to that event. A script like {@code curl -N} then goes
     * on to its next line. With a null {@code endedAt} for a run that has not ended yet.
     */
    public SseEmitter subscribeUntilEnd(String runId, Long lastEventId, Map<String, ?> snapshot, long snapshotEventId,
            Long endedAt) {
        return subscribe(runId, lastEventId, snapshot, snapshotEventId, new Ending(endedAt));
    }

    /** Where an until-the-end stream stops: at the event the run had ended by, or its first terminal state. */
    private record Ending(Long endedAt) {
    }

    private SseEmitter subscribe(String runId, Long lastEventId, Map<String, ?> snapshot, long snapshotEventId, Ending ending) {
        long start = lastEventId != null ? lastEventId : snapshotEventId;
        return hub.open(topic(runId), start, s -> drain(runId, s, ending), s -> {
            if (lastEventId == null) {
                snapshot.forEach((name, data) -> hub.send(s, SseEmitter.event().id(Long.toString(start)).name(name)
                        .data(json.writeValueAsString(data), MediaType.APPLICATION_JSON)));
            }
        }).emitter;
    }

    @EventListener
    void onActivity(RunActivity activity) {
        hub.wake(topic(activity.runId()), s -> {
        });
    }

    /** Every stream reads what it may have missed: each is sent the store's events after its cursor. */
    @EventListener
    void onRelayReconnected(RelayReconnected reconnected) {
        hub.topics().stream().filter(t -> t.startsWith(TOPIC)).forEach(t -> hub.wake(t, s -> {
        }));
    }

    private boolean drain(String runId, Subscriber s, Ending ending) {
        if (ending != null && ending.endedAt() != null && s.cursor >= ending.endedAt()) {
            hub.end(s);
            return false;
        }
        List<RunEvent> batch = events.after(runId, s.cursor, EVENTS_PER_DRAIN);
        if (batch.isEmpty()) {
            return false;
        }
        Map<Long, List<Map<String, Object>>> points = pointsByEvent(runId, s.cursor, batch);
        for (RunEvent e : batch) {
            if (e.type() == RunEventType.METRICS && !points.containsKey(e.id())) {
                // Every point of this batch was overwritten by a later one, which will be sent.
                s.cursor = e.id();
                continue;
            }
            String data = switch (e.type()) {
                case METRICS -> json.writeValueAsString(Map.of("points", points.get(e.id())));
                case LOG -> logLines(runId, e.payload());
                default -> e.payload();
            };
            if (!hub.send(s, SseEmitter.event().id(Long.toString(e.id())).name(e.type().wireName())
                    .data(data, MediaType.APPLICATION_JSON))) {
                return false;
            }
            s.cursor = e.id();
            if (ending != null && (e.type() == RunEventType.STATE && isTerminal(e.payload())
                    || ending.endedAt() != null && e.id() >= ending.endedAt())) {
                hub.end(s);
                return false;
            }
        }
        return batch.size() == EVENTS_PER_DRAIN;
    }

    private boolean isTerminal(String statePayload) {
        String state = json.readTree(statePayload).path("state").asString("");
        try {
            return RunState.valueOf(state).isTerminal();
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    private Map<Long, List<Map<String, Object>>> pointsByEvent(String runId, long after, List<RunEvent> batch) {
        long lastMetrics = batch.stream().filter(e -> e.type() == RunEventType.METRICS).mapToLong(RunEvent::id).max().orElse(-1);
        var byEvent = new LinkedHashMap<Long, List<Map<String, Object>>>();
        if (lastMetrics < 0) {
            return byEvent;
        }
        for (WrittenPoint p : metrics.writtenBetween(runId, after, lastMetrics)) {
            var point = new LinkedHashMap<String, Object>();
            point.put("key", p.key());
            point.put("step", p.step());
            point.put("value", p.value());
            point.put("time", Instant.ofEpochMilli(p.time()));
            byEvent.computeIfAbsent(p.eventId(), k -> new ArrayList<>()).add(point);
        }
        return byEvent;
    }

    /** A LOG event names its lines; they are sent as stored, without the ones dropped since. */
    private String logLines(String runId, String payload) {
        var range = json.readTree(payload);
        LogPage page = logs.between(runId, range.get("first").asLong(), range.get("last").asLong());
        var lines = new ArrayList<Map<String, Object>>(page.lines().size());
        page.lines().forEach(l -> lines.add(Map.of("seq", l.seq(), "stream", l.stream(), "text", l.text(),
                "time", Instant.ofEpochMilli(l.time()))));
        return json.writeValueAsString(Map.of("lines", lines, "dropped", page.dropped(), "lastSeq", page.lastSeq()));
    }

    private static String topic(String runId) {
        return TOPIC + runId;
    }
}
