package dev.trainyard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU accounting from /proc, to tell how the two shared cores were split during a phase between the
 * server, its database server when that is a separate process (PostgreSQL), this client, and
 * everything else on the machine (other engineers' builds and tests). Linux only; on failure every
 * figure reads NaN.
 */
final class CpuMeter {

    /** USER_HZ; 100 on every mainstream Linux build. */
    private static final double TICKS_PER_SECOND = 100.0;

    record Snapshot(long wallNanos, long systemBusy, long systemTotal, long server, long client, Map<Long, Long> database) {
    }

    /** Shares of the machine's total CPU capacity, in percent of all cores, during a phase. */
    record Usage(double seconds, double serverPct, double clientPct, double otherPct, double serverCores, double clientCores,
            double otherCores, double databaseCores, boolean separateDatabase) {

        String describe() {
            return String.format("server %.2f cores, %sbench client %.2f cores, other processes %.2f cores (over %.1f s)",
                    serverCores, separateDatabase ? String.format("PostgreSQL %.2f cores, ", databaseCores) : "", clientCores,
                    otherCores, seconds);
        }
    }

    private final long serverPid;
    private final Supplier<List<Long>> databasePids;
    private final int cores;

    CpuMeter(long serverPid) {
        this(serverPid, null);
    }

    /** With {@code databasePids}, the processes of the database server, asked anew at each snapshot. */
    CpuMeter(long serverPid, Supplier<List<Long>> databasePids) {
        this.serverPid = serverPid;
        this.databasePids = databasePids;
        this.cores = Runtime.getRuntime().availableProcessors();
    }

    Snapshot snapshot() {
        var database = new HashMap<Long, Long>();
        if (databasePids != null) {
            databasePids.get().forEach(pid -> database.put(pid, processTicks(Long.toString(pid))));
        }
        long[] sys = systemTicks();
        return new Snapshot(System.nanoTime(), sys[0], sys[1], processTicks(Long.toString(serverPid)), processTicks("self"), database);
    }

    Usage since(Snapshot a) {
        Snapshot b = snapshot();
        double seconds = (b.wallNanos() - a.wallNanos()) / 1e9;
        double total = b.systemTotal() - a.systemTotal();
        double busy = b.systemBusy() - a.systemBusy();
        double server = b.server() - a.server();
        double client = b.client() - a.client();
        // A backend that connected after the first snapshot counts from zero.
        double database = b.database().entrySet().stream()
                .mapToLong(e -> Math.max(0, e.getValue() - a.database().getOrDefault(e.getKey(), 0L))).sum();
        double other = Math.max(0, busy - server - client - database);
        // Shares of total capacity, converted to "cores busy" with the machine's core count.
        double coreFactor = cores;
        return new Usage(seconds, 100 * server / total, 100 * client / total, 100 * other / total,
                coreFactor * server / total, coreFactor * client / total, coreFactor * other / total,
                coreFactor * database / total, databasePids != null);
    }

    /** Seconds of CPU the server process has used so far. */
    double serverCpuSeconds() {
        return processTicks(Long.toString(serverPid)) / TICKS_PER_SECOND;
    }

    private static long[] systemTicks() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long total = 0;
            // cpu user nice system idle iowait irq softirq steal [guest guest_nice: already in user]
            for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 1};
        }
    }

    private static long processTicks(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // After "pid (comm) ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
