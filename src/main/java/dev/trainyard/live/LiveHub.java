package dev.trainyard.live;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.trainyard.accounts.CurrentUser;
import dev.trainyard.shared.DaemonPools;
import dev.trainyard.shared.web.QuotaExceededException;
import dev.trainyard.shared.db.Database;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The SSE connections of this process, by topic. News about a topic schedules a drain of each of
 * its subscribers on a small sender pool; a burst of news costs one drain per subscriber, not one
 * per change. Every emitter has a timeout and is forgotten on completion, timeout or error.
 */
@Component
class LiveHub {

    private static final Logger log = LoggerFactory.getLogger(LiveHub.class);

    private final LiveSettings settings;
    private final Map<String, Set<Subscriber>> byTopic = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, AtomicInteger> openByUser = new ConcurrentHashMap<>();
    private final ScheduledExecutorService senders;

    LiveHub(LiveSettings settings) {
        this.settings = settings;
        this.senders = DaemonPools.scheduled("trainyard-sse", 2);
        long keepAlive = settings.keepAlive().toMillis();
        senders.scheduleWithFixedDelay(this::keepAlive, keepAlive, keepAlive, TimeUnit.MILLISECONDS);
    }

    /** Registers a subscriber; {@code greet} sends its first events before any drain can. */
    Subscriber open(String topic, long cursor, Subscriber.Drain drain, Consumer<Subscriber> greet) {
        if (open.incrementAndGet() > settings.maxStreams()) {
            open.decrementAndGet();
            throw new TooManyStreamsException(settings.maxStreams());
        }
        String owner = CurrentUser.name().orElse(null);
        if (owner != null && acquire(owner) > settings.maxStreamsPerUser()) {
            release(owner);
            open.decrementAndGet();
            throw new QuotaExceededException("trainyard.live.max-streams-per-user", "you have " + settings.maxStreamsPerUser()
                    + " live streams open, the most one user may (trainyard.live.max-streams-per-user); close some pages or clients");
        }
        var subscriber = new Subscriber(topic, new SseEmitter(settings.streamTimeout().toMillis()), cursor, drain, owner);
        Runnable remove = () -> close(subscriber);
        subscriber.emitter.onCompletion(remove);
        subscriber.emitter.onTimeout(remove);
        subscriber.emitter.onError(e -> remove.run());
        // A comment first, so the response and its headers go out before there is news.
        subscriber.send(SseEmitter.event().comment("open"));
        greet.accept(subscriber);
        byTopic.computeIfAbsent(topic, k -> ConcurrentHashMap.newKeySet()).add(subscriber);
        schedule(subscriber);
        return subscriber;
    }

    /** Tells every subscriber of the topic there is news, after {@code mark} notes what it is. */
    void wake(String topic, Consumer<Subscriber> mark) {
        var subscribers = byTopic.get(topic);
        if (subscribers != null) {
            subscribers.forEach(s -> {
                mark.accept(s);
                schedule(s);
            });
        }
    }

    /** At most one drain per subscriber runs at a time; news during a drain makes it go again. */
    private void schedule(Subscriber s) {
        if (s.pending.getAndIncrement() == 0) {
            senders.execute(() -> {
                int seen;
                do {
                    seen = s.pending.get();
                    try {
                        while (!s.closed.get() && s.drain.drain(s)) {
                            // a full batch: there may be more
                        }
                    } catch (RuntimeException e) {
                        if (Database.isUnreachable(e)) {
                            // Kept open at its cursor: the next news, or the relay once the database is back, resumes it.
                            log.warn("Could not read events for {}, the database is out of reach: {}", s.topic, e.getMessage());
                        } else {
                            log.warn("Could not send events on {}; closing the stream", s.topic, e);
                            close(s);
                            s.emitter.completeWithError(e);
                        }
                    }
                } while (s.pending.addAndGet(-seen) != 0);
            });
        }
    }

    /** Ends a stream from this side: the client sees the response complete. */
    void end(Subscriber s) {
        close(s);
        s.emitter.complete();
    }

    /** Sends one event, forgetting the subscriber when its client has gone. */
    boolean send(Subscriber s, SseEmitter.SseEventBuilder event) {
        if (s.send(event)) {
            return true;
        }
        close(s);
        return false;
    }

    private void keepAlive() {
        byTopic.values().forEach(set -> set.forEach(s -> send(s, SseEmitter.event().comment("keep-alive"))));
    }

    private void close(Subscriber s) {
        if (s.closed.compareAndSet(false, true)) {
            open.decrementAndGet();
            if (s.owner != null) {
                release(s.owner);
            }
            byTopic.computeIfPresent(s.topic, (k, set) -> {
                set.remove(s);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /** Counted inside compute, so a count being released to zero and removed cannot lose this one. */
    private int acquire(String owner) {
        int[] now = new int[1];
        openByUser.compute(owner, (k, count) -> {
            var c = count == null ? new AtomicInteger() : count;
            now[0] = c.incrementAndGet();
            return c;
        });
        return now[0];
    }

    private void release(String owner) {
        openByUser.computeIfPresent(owner, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    /** The topics that have subscribers now. */
    Set<String> topics() {
        return Set.copyOf(byTopic.keySet());
    }

    int openStreams() {
        return open.get();
    }

    @PreDestroy
    void shutdown() {
        senders.shutdownNow();
        byTopic.values().forEach(set -> set.forEach(s -> s.emitter.complete()));
    }
}
