package dev.trainyard.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * H2's writers, taking turns and committing together. H2 takes one writer at a time well and
 * several badly, and with {@code WRITE_DELAY=0} every commit writes a chunk to the file, which
 * costs more than writing a few points. So a caller queues its batch; whoever gets the writer lock
 * writes every batch queued by then in one transaction and commits once, and the others wait for
 * that commit. Under load, batches that arrive while one commit runs share the next, so the writer
 * keeps up with many clients; alone, a batch is its own group. Each caller still returns only once
 * its points are committed.
 *
 * <p>If any batch of a group fails (an unknown run, too many keys), the group is rolled back and
 * each of its batches is written in a transaction of its own, so a caller's outcome is what it
 * would have been alone.
 */
final class GroupCommit {

    /** Writes one batch inside the current transaction; returns the points accepted. */
    interface Writer {
        int write(String runId, List<MetricPoint> points, boolean keepEvery);
    }

    /** Points one group may hold: a big batch goes alone and small ones do not wait long behind it. */
    static final int MAX_GROUP_POINTS = 10_000;

    private static final class Pending {
        final String runId;
        final List<MetricPoint> points;
        final boolean keepEvery;
        final Thread caller = Thread.currentThread();
        int accepted;
        RuntimeException failure;
        boolean settled;
        volatile boolean done;

        Pending(String runId, List<MetricPoint> points, boolean keepEvery) {
            this.runId = runId;
            this.points = points;
            this.keepEvery = keepEvery;
        }
    }

    private final ReentrantLock writers = new ReentrantLock(true);
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final TransactionTemplate transaction;
    private final Writer writer;
    private long commits;

    GroupCommit(TransactionTemplate transaction, Writer writer) {
        this.transaction = transaction;
        this.writer = writer;
    }

    /** Writes and commits the batch, together with others queued at the same time. */
    int write(String runId, List<MetricPoint> points, boolean keepEvery) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            // The caller's transaction (a job's epochs and its progress) commits when the caller says.
            return alone(() -> transaction.execute(tx -> writer.write(runId, points, keepEvery)));
        }
        var pending = new Pending(runId, points, keepEvery);
        queue.add(pending);
        boolean interrupted = false;
        while (!pending.done) {
            boolean leader;
            try {
                leader = writers.tryLock(0, TimeUnit.SECONDS); // unlike tryLock(), lets a job's flush waiting in lock() go first
            } catch (InterruptedException e) {
                interrupted = true;
                continue;
            }
            if (leader) {
                List<Pending> group;
                try {
                    group = pending.done ? List.of() : commitGroup();
                } finally {
                    writers.unlock();
                }
                group.forEach(p -> LockSupport.unpark(p.caller));
                wakeNext();
            } else {
                // Whoever holds the lock wakes the queue's head when it lets go, or completes us.
                LockSupport.park(this);
                interrupted |= Thread.interrupted(); // the batch may be committing: wait for the outcome
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (pending.failure != null) {
            throw pending.failure;
        }
        return pending.accepted;
    }

    /** Runs {@code work} as the only writer, then lets the queued batches go on. */
    <T> T alone(Supplier<T> work) {
        writers.lock();
        try {
            return work.get();
        } finally {
            writers.unlock();
            wakeNext();
        }
    }

    /** Transactions committed for queued batches so far (groups, and batches retried alone). */
    synchronized long commits() {
        return commits;
    }

    /** Whether a writer holds the turn. */
    boolean busy() {
        return writers.isLocked();
    }

    /** Batches waiting for a writer. */
    int queued() {
        return queue.size();
    }

    private void wakeNext() {
        Pending head = queue.peek();
        if (head != null) {
            LockSupport.unpark(head.caller);
        }
    }

    /** Takes the queued batches, commits them, and marks each done; returns them. Holds the lock. */
    private List<Pending> commitGroup() {
        var group = new ArrayList<Pending>();
        int points = 0;
        for (Pending next = queue.peek(); next != null && (group.isEmpty() || points + next.points.size() <= MAX_GROUP_POINTS);
                next = queue.peek()) {
            group.add(queue.poll());
            points += next.points.size();
        }
        try {
            if (group.size() == 1) {
                writeAlone(group.get(0));
            } else {
                try {
                    transaction.executeWithoutResult(tx -> group.forEach(p -> p.accepted = writer.write(p.runId, p.points, p.keepEvery)));
                    countCommit();
                    group.forEach(p -> p.settled = true);
                } catch (RuntimeException groupFailed) {
                    group.forEach(this::writeAlone);
                }
            }
        } catch (Error fatal) {
            group.stream().filter(p -> !p.settled).forEach(p -> p.failure = new IllegalStateException("the writer failed", fatal));
            throw fatal;
        } finally {
            group.forEach(p -> p.done = true);
        }
        return group;
    }

    private void writeAlone(Pending p) {
        try {
            p.accepted = transaction.execute(tx -> writer.write(p.runId, p.points, p.keepEvery));
        } catch (RuntimeException e) {
            p.failure = e;
        } finally {
            p.settled = true;
            countCommit();
        }
    }

    private synchronized void countCommit() {
        commits++;
    }
}
