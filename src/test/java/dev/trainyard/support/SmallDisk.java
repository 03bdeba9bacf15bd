package dev.trainyard.support;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real filesystem of a few megabytes, a tmpfs mounted for one test, that fills up the way a disk
 * does. Mounting needs root on Linux (CI and the sessions here have it; a laptop may not): without it
 * the test is skipped with a message, unless {@value #REQUIRED}=1 makes that a failure.
 */
public final class SmallDisk implements AutoCloseable {

    public static final String REQUIRED = "TRAINYARD_REQUIRE_ROOT_FS";

    private final Path dir;
    private final Path filler;

    private SmallDisk(Path dir) {
        this.dir = dir;
        this.filler = dir.resolve(".filler");
    }

    /** @param size as mount takes it, e.g. {@code 16m} */
    public static SmallDisk mount(Path dir, String size) {
        String why;
        try {
            Files.createDirectories(dir);
            var result = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
            if (result.isEmpty()) {
                return new SmallDisk(dir);
            }
            why = result;
        } catch (IOException e) {
            why = e.getMessage();
        }
        String message = "cannot mount a " + size + " tmpfs at " + dir + " (needs root on Linux): " + why;
        if ("1".equals(System.getenv(REQUIRED))) {
            fail(message + "; " + REQUIRED + "=1 makes this test mandatory");
        }
        Assumptions.abort(message + "; skipped (set " + REQUIRED + "=1 to make it a failure)");
        throw new IllegalStateException("unreachable");
    }

    public Path dir() {
        return dir;
    }

    /** Writes one file until the filesystem has no byte left. */
    public void fill() {
        try (FileChannel out = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (int chunk : new int[] {1 << 20, 4096, 1}) {
                ByteBuffer bytes = ByteBuffer.allocate(chunk);
                try {
                    while (true) {
                        out.write(bytes.clear());
                    }
                } catch (IOException full) {
                    // the next, smaller chunk fills what this one could not
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes what {@link #fill()} wrote. */
    public void free() {
        try {
            Files.deleteIfExists(filler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files directly under {@code sub}, the filler left out. */
    public List<String> files(String sub) {
        Path in = dir.resolve(sub);
        if (!Files.isDirectory(in)) {
            return List.of();
        }
        try (var files = Files.list(in)) {
            return files.filter(f -> !f.equals(filler)).map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unmounts; lazily when a process still holds files open, so a failed test leaves no mount behind. */
    @Override
    public void close() {
        try {
            if (!run("umount", dir.toString()).isEmpty()) {
                run("umount", "-l", dir.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command; its output when it failed, empty when it succeeded. */
    private static String run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return String.join(" ", command) + " timed out";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return process.exitValue() == 0 ? "" : output.isEmpty() ? "exit " + process.exitValue() : output;
    }
}
