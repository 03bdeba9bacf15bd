package dev.trainyard.live;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open SSE connection: what it follows, how far it has been sent, and what changed since.
 * {@link LiveHub} runs at most one drain of it at a time.
 */
final class Subscriber {

    /** Sends a subscriber what it has not seen; true when there may be more to send. */
    @FunctionalInterface
    interface Drain {
        boolean drain(Subscriber subscriber);
    }

    final String topic;
    final SseEmitter emitter;
    final Drain drain;
    final AtomicInteger pending = new AtomicInteger();
    final AtomicBoolean closed = new AtomicBoolean();
    /** Runs changed since the last drain, for streams that send snapshots rather than a log. */
    final Set<String> dirty = ConcurrentHashMap.newKeySet();
    /** The id of the last event sent. */
    volatile long cursor;

    /** The signed-in user whose stream this is, counted against their allowance; null in local mode. */
    final String owner;

    Subscriber(String topic, SseEmitter emitter, long cursor, Drain drain) {
        this(topic, emitter, cursor, drain, null);
    }

    Subscriber(String topic, SseEmitter emitter, long cursor, Drain drain, String owner) {
        this.owner = owner;
        this.topic = topic;
        this.emitter = emitter;
        this.cursor = cursor;
        this.drain = drain;
    }

    /** False when the client has gone; the hub then forgets it. */
    boolean send(SseEmitter.SseEventBuilder event) {
        try {
            emitter.send(event);
            return true;
        } catch (IOException | IllegalStateException e) {
            return false;
        }
    }
}
