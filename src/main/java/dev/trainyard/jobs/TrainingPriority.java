package dev.trainyard.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers a training thread's CPU priority, so that on a machine whose cores the jobs fill, a
 * script's {@code POST …/metrics} and the dashboard are served first and training takes what is
 * left. Java's own thread priorities do nothing on Linux without JVM flags, so the thread renices
 * itself: Linux keeps a nice value per thread, and threads it starts later (OpenMP's) inherit it.
 * Raising one's own nice value needs no privilege; lowering it again would, so it is done once,
 * for a worker thread's whole life.
 */
final class TrainingPriority {

    private static final Logger log = LoggerFactory.getLogger(TrainingPriority.class);
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");

    private TrainingPriority() {
    }

    /** Sets the calling thread's nice value; returns whether it now has it. 0 leaves it alone. */
    static boolean lowerCurrentThread(int nice) {
        if (nice == 0) {
            return false;
        }
        if (!Files.isSymbolicLink(THREAD_SELF)) {
            log.info("Training threads keep their CPU priority: /proc/thread-self is not there (not Linux)");
            return false;
        }
        try {
            String tid = Files.readSymbolicLink(THREAD_SELF).getFileName().toString();
            // util-linux's renice takes -n as the new value, not an increment
            Process renice = new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", tid)
                    .redirectErrorStream(true).start();
            String output = new String(renice.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!renice.waitFor(10, TimeUnit.SECONDS) || renice.exitValue() != 0) {
                log.warn("Training threads keep their CPU priority: renice failed: {}", output);
                return false;
            }
        } catch (IOException e) {
            log.warn("Training threads keep their CPU priority: cannot run renice ({})", e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return currentNice().orElse(Integer.MIN_VALUE) == nice;
    }

    /** The calling thread's nice value, where Linux tells it. */
    static OptionalInt currentNice() {
        return niceOf(THREAD_SELF.resolve("stat"));
    }

    /** The nice value in a {@code /proc/…/stat} file: field 19, counted after the command name. */
    static OptionalInt niceOf(Path stat) {
        try {
            String line = Files.readString(stat);
            // the command name may hold spaces and parentheses; the fields after its last ')' do not
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return OptionalInt.of(Integer.parseInt(fields[16]));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }
}
