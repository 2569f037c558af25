package dev.jgrad.bench;

import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.Device;
import dev.jgrad.device.Devices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The timing loop on a simulated clock: each operation advances it by a set amount, so the tests are exact
 * and do not depend on how busy the machine is.
 */
class TimingTest {
    private long now;
    private int syncs;
    private Device device;

    @BeforeEach
    void openCountingDevice() {
        device = Device.of(new DelegatingDevice(Devices.openSpec("cpu", Devices.backends(), m -> {})) {
            @Override
            public void synchronize() {
                syncs++;
            }
        }, DeviceConfig.standard());
    }

    @AfterEach
    void close() {
        device.close();
    }

    @Test
    void timesEachRepeatBetweenSynchronizationsWithIterationsNumberedOn() {
        List<Integer> iterations = new ArrayList<>();
        double[] seconds = Timing.secondsPerOp(device, i -> {
            iterations.add(i);
            now += 200_000;                   // 0.2 ms per operation
        }, 4, 0.005, 0, () -> now);
        assertEquals(4, seconds.length);
        for (double s : seconds) assertEquals(200e-6, s, 1e-12);
        // the inputs keep rotating: the iteration number goes on across the warm-up and the repeats
        for (int i = 0; i < iterations.size(); i++) assertEquals(i, iterations.get(i));
        // each batch is synchronised on both sides
        assertEquals(0, syncs % 2);
        int batches = syncs / 2;
        // warm-up: batches of 1, 2, 4, 8 and 16 operations (16 x 0.2 ms reaches half of the 5 ms repeat), then
        // batches of 16 until the warm-up limit (5 x 5 ms) since 200 calls take longer; each repeat then runs
        // the 25 operations that fill 5 ms
        int warmupCalls = iterations.size() - 4 * 25;
        assertEquals(1 + 2 + 4 + 8 + 16 * 7, warmupCalls);
        assertEquals(5 + 6 + 4, batches);
    }

    @Test
    void theWarmUpOutlastsASlowStartLikeCodeTheJitHasNotCompiledYet() {
        int[] calls = {0};
        // the first 20 calls take 5 ms, then 0.02 ms: a warm-up that stopped at the first slow but long-enough
        // batch would time the slow phase
        double[] seconds = Timing.secondsPerOp(device, i -> now += calls[0]++ < 20 ? 5_000_000 : 20_000, 3, 0.004, 0.3, () -> now);
        for (double s : seconds) assertEquals(20e-6, s, 1e-12);
        assertTrue(calls[0] >= Timing.MIN_WARMUP_OPS, "warm-up calls: " + calls[0]);
    }

    @Test
    void anOperationSlowerThanTheWarmUpLimitIsWarmedUpOnceAndTimedOncePerRepeat() {
        int[] calls = {0};
        // 2 s per call, far beyond the 0.5 s limit (5 x 0.1 s): no point running 200 of them
        double[] seconds = Timing.secondsPerOp(device, i -> {
            calls[0]++;
            now += 2_000_000_000L;
        }, 3, 0.1, 0.1, () -> now);
        for (double s : seconds) assertEquals(2.0, s, 1e-12);
        assertEquals(1 + 3, calls[0]);
    }
}
