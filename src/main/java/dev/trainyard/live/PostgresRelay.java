package dev.trainyard.live;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import dev.trainyard.shared.db.Database;
import dev.trainyard.shared.Ids;
import dev.trainyard.tracking.JobQueued;
import dev.trainyard.tracking.RunActivity;
import dev.trainyard.tracking.RunStopped;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Carries the in-process change events between nodes that share a PostgreSQL database, with
 * LISTEN/NOTIFY. A notification holds only ids (run, project, newest event), so it stays far
 * below NOTIFY's size limit; subscribers on the receiving node read the change from the store.
 * With H2 there is one process and nothing to relay.
 */
@Component
class PostgresRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PostgresRelay.class);
    private static final String CHANNEL = "trainyard_events";

    private final boolean enabled;
    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher publisher;
    private final String node = Ids.newId();
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread listener;

    PostgresRelay(Database database, DataSource dataSource, JdbcTemplate jdbc, ApplicationEventPublisher publisher) {
        this.enabled = database.isPostgres();
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.publisher = publisher;
    }

    @EventListener
    void relay(RunActivity activity) {
        if (!activity.relayed()) {
            notifyOthers("activity|" + activity.runId() + "|" + activity.projectId() + "|" + activity.eventId());
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    void relay(JobQueued queued) {
        if (!queued.relayed()) {
            notifyOthers("queued|" + queued.runId());
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    void relay(RunStopped stopped) {
        if (!stopped.relayed()) {
            notifyOthers("stopped|" + stopped.runId() + "|" + stopped.projectId() + "|" + stopped.deleted());
        }
    }

    private void notifyOthers(String message) {
        if (!enabled) {
            return;
        }
        try {
            jdbc.queryForObject("select pg_notify(?, ?)", Object.class, CHANNEL, node + "|" + message);
        } catch (RuntimeException e) {
            // Other nodes still catch up: workers poll, and streams read the store on their next news.
            log.warn("Could not notify other nodes of {}: {}", message, e.getMessage());
        }
    }

    private void listen() {
        boolean listenedBefore = false;
        while (running.get()) {
            try (Connection connection = dataSource.getConnection()) {
                connection.createStatement().execute("listen " + CHANNEL);
                PGConnection pg = connection.unwrap(PGConnection.class);
                log.info("Listening for other nodes' changes on PostgreSQL channel {}", CHANNEL);
                if (listenedBefore) {
                    publisher.publishEvent(new RelayReconnected());
                }
                listenedBefore = true;
                while (running.get()) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            receive(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running.get()) {
                    log.warn("Lost the PostgreSQL notification channel; reconnecting in 2 s: {}", e.getMessage());
                    pause();
                }
            }
        }
    }

    private void receive(String payload) {
        String[] parts = payload.split("\\|");
        if (parts.length < 3 || parts[0].equals(node)) {
            return;
        }
        switch (parts[1]) {
            case "activity" -> publisher.publishEvent(new RunActivity(parts[2], parts[3], Long.parseLong(parts[4]), true));
            case "queued" -> publisher.publishEvent(new JobQueued(parts[2], true));
            case "stopped" -> publisher.publishEvent(new RunStopped(parts[2], parts[3], Boolean.parseBoolean(parts[4]), true));
            default -> log.debug("Ignoring notification {}", payload);
        }
    }

    private void pause() {
        synchronized (running) {
            try {
                running.wait(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void start() {
        if (enabled && running.compareAndSet(false, true)) {
            listener = new Thread(this::listen, "trainyard-pg-listen");
            listener.setDaemon(true);
            listener.start();
        }
    }

    @Override
    public void stop() {
        running.set(false);
        synchronized (running) {
            running.notifyAll();
        }
        if (listener != null) {
            try {
                listener.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }
}
