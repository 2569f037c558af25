package dev.jgrad.bench;

import dev.jgrad.device.Device;

import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Times an operation on a device: a warm-up, then the repeats, each a batch of operations between two
 * {@link Device#synchronize()} calls so that asynchronous devices are timed to the end of their work. The
 * iteration number goes on across batches, so the inputs keep rotating.
 *
 * <p>The warm-up doubles its batch until one takes half a repeat, and then goes on until it has run for the
 * warm-up time, made {@value #MIN_WARMUP_OPS} calls, and a batch is no longer faster than the one before:
 * the CPU backend's kernels are Java, and a small GEMM runs a hundred times slower for its first hundred or
 * so calls, until the JIT has compiled its inner kernel, while two slow calls in a row look steady. A device
 * whose every call is slow stops warming up at a time limit instead.
 */
final class Timing {
    /** Warm-up stops doubling once this many operations ran, however fast they are. */
    private static final int MAX_BATCH = 1 << 20;
    /** Calls a warm-up makes at least, within its time limit: enough for the JIT to compile a small kernel. */
    static final int MIN_WARMUP_OPS = 200;
    /** A batch this much faster per operation than the one before means the warm-up is not done. */
    private static final double STILL_IMPROVING = 0.9;
    /** The warm-up gives up waiting for a steady rate after this many times the warm-up time (a noisy machine). */
    private static final double MAX_WARMUP_FACTOR = 5;

    private Timing() {}

    /** Seconds per operation in each of {@code repeats} repeats of about {@code repeatSeconds} each. */
    static double[] secondsPerOp(Device device, IntConsumer op, int repeats, double repeatSeconds, double warmupSeconds) {
        return secondsPerOp(device, op, repeats, repeatSeconds, warmupSeconds, System::nanoTime);
    }

    /** The same, reading time from {@code nanoClock} (tests drive a simulated one). */
    static double[] secondsPerOp(Device device, IntConsumer op, int repeats, double repeatSeconds, double warmupSeconds,
                                 LongSupplier nanoClock) {
        int[] iteration = {0};
        int ops = 1;
        long calls = 0;
        double total = 0;
        double previousPerOp = Double.POSITIVE_INFINITY;
        double elapsed;
        while (true) {
            elapsed = runBatch(device, op, ops, iteration, nanoClock);
            total += elapsed;
            calls += ops;
            double perOp = elapsed / ops;
            boolean longEnough = elapsed >= repeatSeconds / 2 || ops >= MAX_BATCH;
            boolean warm = total >= warmupSeconds && calls >= MIN_WARMUP_OPS && perOp >= STILL_IMPROVING * previousPerOp;
            boolean outOfTime = total >= MAX_WARMUP_FACTOR * Math.max(warmupSeconds, repeatSeconds);
            if (longEnough && (warm || outOfTime)) break;
            previousPerOp = perOp;
            if (!longEnough) ops *= 2;
        }
        int perRepeat = (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, Math.ceil(ops * repeatSeconds / Math.max(elapsed, 1e-9))));
        double[] out = new double[repeats];
        for (int r = 0; r < repeats; r++) out[r] = runBatch(device, op, perRepeat, iteration, nanoClock) / perRepeat;
        return out;
    }

    private static double runBatch(Device device, IntConsumer op, int ops, int[] iteration, LongSupplier nanoClock) {
        device.synchronize();
        long start = nanoClock.getAsLong();
        for (int i = 0; i < ops; i++) op.accept(iteration[0]++);
        device.synchronize();
        return (nanoClock.getAsLong() - start) / 1e9;
    }
}
