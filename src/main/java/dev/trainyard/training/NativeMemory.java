package dev.trainyard.training;

import org.bytedeco.javacpp.Pointer;

/**
 * The process's memory as JavaCPP, ND4J's native layer, sees it: the figures a job's system
 * metrics report beside the Java heap. Outside this package nothing touches JavaCPP.
 */
public final class NativeMemory {

    private NativeMemory() {
    }

    /** Bytes of native memory JavaCPP's pointers hold (ND4J's buffers among them), or -1 if JavaCPP cannot load. */
    public static long offHeapBytes() {
        try {
            return Pointer.totalBytes();
        } catch (LinkageError e) {
            return -1;
        }
    }

    /** The process's resident set size, as JavaCPP reads it from the OS, or -1 if it cannot. */
    public static long residentBytes() {
        try {
            return Pointer.physicalBytes();
        } catch (LinkageError e) {
            return -1;
        }
    }
}
