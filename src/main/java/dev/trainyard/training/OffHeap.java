package dev.trainyard.training;

import org.bytedeco.javacpp.Pointer;

/**
 * The process's memory budget for ND4J. ND4J's arrays live off the Java heap, and the only limit on
 * them is JavaCPP's {@code org.bytedeco.javacpp.maxphysicalbytes} (by default 4 × -Xmx; its
 * {@code maxbytes} does not see ND4J's buffers). Past it, JavaCPP fails whichever thread next
 * creates any pointer, so one job's huge arrays would also fail other jobs' small ones. A job
 * therefore checks the budget before each large allocation and fails alone, before the process
 * crosses it; and when JavaCPP fails it anyway, the job says so in the same words.
 */
final class OffHeap {

    private static final String SETTING = "org.bytedeco.javacpp.maxphysicalbytes";
    private static final long MB = 1 << 20;
    private static final long GC_GRACE_MILLIS = 100;

    private OffHeap() {
    }

    /**
     * Throws before an allocation of {@code bytes} would take the process past its limit. Memory
     * other threads let go of but the collector has not freed yet is given one chance first.
     *
     * @throws TrainingException "off-heap memory exhausted", when it would
     */
    static void reserve(long bytes, String what) {
        long max = Pointer.maxPhysicalBytes();
        if (max <= 0 || Pointer.physicalBytes() + bytes <= max) {
            return;
        }
        System.gc();
        try {
            Thread.sleep(GC_GRACE_MILLIS); // ND4J frees collected arrays on a thread of its own, as JavaCPP waits for
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long used = Pointer.physicalBytes();
        if (used + bytes > max) {
            throw new TrainingException(String.format("off-heap memory exhausted: %s (%,d MB more) would take the process "
                    + "past its limit of %,d MB (%s), with %,d MB in use; use a smaller hidden, batchSize or sequenceLength, "
                    + "or give the server more memory", what, Math.max(1, bytes / MB), max / MB, SETTING, used / MB));
        }
    }

    /** What JavaCPP's own refusal, or the heap's, means for a job. */
    static TrainingException exhausted(OutOfMemoryError e) {
        String detail = e.getMessage();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                detail = t.getMessage(); // JavaCPP's cause says which limit it hit
            }
        }
        boolean offHeap = detail != null && (detail.contains("physicalBytes") || detail.contains("maxBytes"));
        return new TrainingException((offHeap ? "off-heap memory exhausted: " : "out of memory: ") + detail
                + "; use a smaller hidden, batchSize or sequenceLength, or give the server more memory"
                + (offHeap ? " (" + SETTING + ")" : " (-Xmx)"), e);
    }
}
