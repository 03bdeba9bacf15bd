package dev.trainyard.training;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Thread limits for ND4J work. ND4J's own limits and BLAS's are process-wide; OpenMP's is per calling
 * thread (libnd4j's fused ops, softmax and others run OpenMP regions that ignore ND4J's limit). Measured
 * with the machine's 2 cores busy with other work: a 17-step LSTM epoch took 30-50 ms with OpenMP's
 * default team, 1.6-2.4 ms with one thread, as spin-waiting OpenMP workers competed for the cores.
 */
final class NativeThreads {

    private NativeThreads() {
    }

    /** All limits, for the calling (training) thread; the process-wide ones for everybody. */
    static void limit(int threads) {
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        limitOpenMp(threads);
    }

    /** OpenMP's team size for regions the calling thread starts. */
    static void limitOpenMp(int threads) {
        Nd4j.getEnvironment(); // loads the backend: NativeOpsHolder alone fails before ND4J is initialised
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }
}
