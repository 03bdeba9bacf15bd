package dev.trainyard.live;

import java.util.List;

import dev.trainyard.tracking.RunActivity;
import dev.trainyard.tracking.RunEventLog;
import dev.trainyard.tracking.RunStopped;
import dev.trainyard.tracking.RunView;
import dev.trainyard.tracking.RunViews;
import dev.trainyard.shared.web.NotFoundException;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * A project's run list, live: a {@code run} event carrying the run's current view (state,
 * progress, summary) whenever it changes, and {@code deleted} when it goes. Snapshots rather than
 * deltas, so a burst of epochs is one event per run and a missed one is repaired by the next.
 * A reconnect with {@code Last-Event-ID} gets a snapshot of every run changed since.
 */
@Component
public class ProjectStreams {

    /** Runs of other projects' writers commit out of id order; resuming looks back this far. */
    private static final long RESUME_OVERLAP = 1000;
    private static final String TOPIC = "project:";

    private final LiveHub hub;
    private final RunEventLog events;
    private final RunViews views;
    private final JsonMapper json;

    ProjectStreams(LiveHub hub, RunEventLog events, RunViews views, JsonMapper json) {
        this.hub = hub;
        this.events = events;
        this.views = views;
        this.json = json;
    }

    public SseEmitter subscribe(String projectId, Long lastEventId) {
        long head = events.projectHead(projectId);
        return hub.open(topic(projectId), lastEventId == null ? head : lastEventId, this::drain, s -> {
            if (lastEventId != null) {
                s.dirty.addAll(events.runsChangedSince(projectId, Math.max(0, lastEventId - RESUME_OVERLAP)));
            }
        }).emitter;
    }

    @EventListener
    void onActivity(RunActivity activity) {
        hub.wake(topic(activity.projectId()), s -> {
            s.dirty.add(activity.runId());
            s.cursor = Math.max(s.cursor, activity.eventId());
        });
    }

    /** Every stream is sent the runs changed since its cursor, as on a reconnect with Last-Event-ID. */
    @EventListener
    void onRelayReconnected(RelayReconnected reconnected) {
        hub.topics().stream().filter(t -> t.startsWith(TOPIC)).forEach(t -> {
            String projectId = t.substring(TOPIC.length());
            long head = events.projectHead(projectId);
            hub.wake(t, s -> {
                s.dirty.addAll(events.runsChangedSince(projectId, Math.max(0, s.cursor - RESUME_OVERLAP)));
                s.cursor = Math.max(s.cursor, head);
            });
        });
    }

    @TransactionalEventListener(fallbackExecution = true)
    void onDeleted(RunStopped stopped) {
        if (stopped.deleted()) {
            hub.wake(topic(stopped.projectId()), s -> s.dirty.add(stopped.runId()));
        }
    }

    private boolean drain(Subscriber s) {
        List<String> changed = List.copyOf(s.dirty);
        s.dirty.removeAll(changed);
        String id = Long.toString(s.cursor);
        for (String runId : changed) {
            SseEmitter.SseEventBuilder event;
            try {
                RunView view = views.of(runId);
                event = SseEmitter.event().id(id).name("run").data(json.writeValueAsString(view), MediaType.APPLICATION_JSON);
            } catch (NotFoundException deleted) {
                event = SseEmitter.event().id(id).name("deleted").data("{\"id\":\"" + runId + "\"}", MediaType.APPLICATION_JSON);
            }
            if (!hub.send(s, event)) {
                return false;
            }
        }
        return false;
    }

    private static String topic(String projectId) {
        return TOPIC + projectId;
    }
}
