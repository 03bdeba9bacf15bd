package dev.trainyard.shared;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/** Small pools of named daemon threads for the server's own background work. */
public final class DaemonPools {

    private DaemonPools() {
    }

    /**
     * A scheduled pool of {@code size} daemon threads named {@code prefix-1}, {@code prefix-2}, …,
     * all started now rather than on first use. A thread is born with the nice value of the thread
     * that starts it, and started by a training worker (nice 10) these would commit, or answer
     * clients, behind training.
     */
    public static ScheduledExecutorService scheduled(String prefix, int size) {
        var count = new AtomicInteger();
        var pool = new ScheduledThreadPoolExecutor(size, task -> {
            var thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        pool.prestartAllCoreThreads();
        return pool;
    }
}
