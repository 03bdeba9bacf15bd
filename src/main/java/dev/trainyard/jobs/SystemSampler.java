package dev.trainyard.jobs;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.trainyard.tracking.MetricPoint;
import dev.trainyard.tracking.MetricStore;
import dev.trainyard.training.NativeMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the process's CPU and memory every interval while a job trains, as the run's
 * {@code system/...} metrics, stepped by sample: {@code cpu_percent} (of all cores, since the
 * previous sample), {@code heap_mb} (used), {@code offheap_mb} (JavaCPP's, where ND4J's arrays
 * live) and {@code rss_mb}. They are the whole process's, as a script's are its interpreter's: two
 * jobs training at once show the same figures. One last sample is taken when the job ends, so even
 * a short job has a start and an end. A failed sample is logged, never thrown into training.
 */
final class SystemSampler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SystemSampler.class);
    private static final double MB = 1 << 20;

    private final String runId;
    private final MetricStore metrics;
    private final Clock clock;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final int cores = Runtime.getRuntime().availableProcessors();
    private final ScheduledFuture<?> ticker;
    private long step;
    private long lastCpuNanos;
    private long lastWallNanos;
    private boolean closed;

    SystemSampler(String runId, MetricStore metrics, ScheduledExecutorService scheduler, Duration interval, Clock clock) {
        this.runId = runId;
        this.metrics = metrics;
        this.clock = clock;
        this.lastCpuNanos = cpuNanos();
        this.lastWallNanos = System.nanoTime();
        this.ticker = interval.isZero() ? null : scheduler.scheduleWithFixedDelay(this::sampleQuietly, 0, interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The points of one sample, with their step; package-private for tests. */
    synchronized List<MetricPoint> sample() {
        long now = clock.millis();
        long s = step++;
        var points = new ArrayList<MetricPoint>(4);
        long cpu = cpuNanos();
        long wall = System.nanoTime();
        if (cpu >= 0 && lastCpuNanos >= 0 && wall > lastWallNanos && s > 0) {
            double percent = 100.0 * (cpu - lastCpuNanos) / ((wall - lastWallNanos) * (double) cores);
            points.add(new MetricPoint("system/cpu_percent", s, Math.max(0, Math.min(100, percent)), now));
        }
        lastCpuNanos = cpu;
        lastWallNanos = wall;
        points.add(new MetricPoint("system/heap_mb", s, memory.getHeapMemoryUsage().getUsed() / MB, now));
        long offHeap = NativeMemory.offHeapBytes();
        if (offHeap >= 0) {
            points.add(new MetricPoint("system/offheap_mb", s, offHeap / MB, now));
        }
        long rss = NativeMemory.residentBytes();
        if (rss > 0) {
            points.add(new MetricPoint("system/rss_mb", s, rss / MB, now));
        }
        return points;
    }

    private void sampleQuietly() {
        try {
            metrics.log(runId, sample());
        } catch (RuntimeException e) {
            log.debug("Could not store system metrics of job {}: {}", runId, e.getMessage());
        }
    }

    /** Stops sampling after one last sample; later calls do nothing. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (ticker != null) {
            ticker.cancel(false);
            sampleQuietly();
        }
    }

    private long cpuNanos() {
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }
}
