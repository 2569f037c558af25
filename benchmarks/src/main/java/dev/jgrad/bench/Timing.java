package dev.jgrad.bench;

import dev.jgrad.backend.Device;

import java.util.function.IntConsumer;

/**
 * Times an operation on a device: a warm-up that also finds how many operations fill one repeat, then the
 * repeats, each between two {@link Device#synchronize()} calls so that asynchronous devices are timed to the
 * end of their work. The iteration number goes on across calls, so the inputs keep rotating.
 */
final class Timing {
    /** Warm-up stops doubling once this many operations ran, however fast they are. */
    private static final int MAX_CALIBRATION_OPS = 1 << 20;

    private Timing() {}

    /** Seconds per operation in each of {@code repeats} repeats of about {@code repeatSeconds} each. */
    static double[] secondsPerOp(Device device, IntConsumer op, int repeats, double repeatSeconds) {
        int[] iteration = {0};
        int ops = 1;
        double elapsed = runBatch(device, op, ops, iteration);
        // warm-up: double the batch until it takes half a repeat, which also lets the JIT compile the kernel
        while (elapsed < repeatSeconds / 2 && ops < MAX_CALIBRATION_OPS) {
            ops *= 2;
            elapsed = runBatch(device, op, ops, iteration);
        }
        int perRepeat = (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, Math.ceil(ops * repeatSeconds / Math.max(elapsed, 1e-9))));
        double[] out = new double[repeats];
        for (int r = 0; r < repeats; r++) out[r] = runBatch(device, op, perRepeat, iteration) / perRepeat;
        return out;
    }

    private static double runBatch(Device device, IntConsumer op, int ops, int[] iteration) {
        device.synchronize();
        long start = System.nanoTime();
        for (int i = 0; i < ops; i++) op.accept(iteration[0]++);
        device.synchronize();
        return (System.nanoTime() - start) / 1e9;
    }
}
