package dev.jgrad.bench;

import dev.jgrad.backend.Device;
import dev.jgrad.backend.Devices;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimingTest {

    @Test
    void warmsUpThenTimesEachRepeatBetweenSynchronizationsWithRotatingIterations() {
        int[] syncs = {0};
        List<Integer> iterations = new ArrayList<>();
        try (Device device = new DelegatingDevice(Devices.openSpec("cpu", Devices.backends(), m -> {})) {
            @Override
            public void synchronize() {
                syncs[0]++;
            }
        }) {
            double[] seconds = Timing.secondsPerOp(device, i -> {
                iterations.add(i);
                busyWait(200_000);
            }, 4, 0.005, 0);
            assertEquals(4, seconds.length);
            for (double s : seconds) assertTrue(s >= 150e-6 && s < 0.05, "seconds per op " + s);
            // iterations are numbered on across the warm-up and the repeats: the inputs keep rotating
            for (int i = 0; i < iterations.size(); i++) assertEquals(i, iterations.get(i));
            // the warm-up ran several batches (it doubles until half a repeat, then waits for a steady rate), and
            // every batch is synchronised on both sides
            assertTrue(syncs[0] >= 2 * (4 + 3), "synchronize calls: " + syncs[0]);
            assertEquals(0, syncs[0] % 2);
        }
    }

    @Test
    void theWarmUpOutlastsASlowStartLikeCodeTheJitHasNotCompiledYet() {
        int[] calls = {0};
        try (Device device = Devices.openSpec("cpu", Devices.backends(), m -> {})) {
            // the first 20 calls take 5 ms, then 0.02 ms: a warm-up that stopped at the first slow but long-enough
            // batch would time the slow phase. The threshold leaves room for a loaded machine's preemptions.
            double[] seconds = Timing.secondsPerOp(device, i -> busyWait(calls[0]++ < 20 ? 5_000_000 : 20_000), 3, 0.004, 0.3);
            Stats s = Stats.of(seconds);
            assertTrue(s.median() < 1.5e-3, "median seconds per op " + s.median() + ": timed before the warm-up ended");
            assertTrue(calls[0] > 20 + 3);
        }
    }

    private static void busyWait(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) Thread.onSpinWait();
    }
}
