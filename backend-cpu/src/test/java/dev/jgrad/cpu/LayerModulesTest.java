package dev.jgrad.cpu;

import dev.jgrad.device.Devices;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.Device;
import dev.jgrad.nn.BatchNorm2d;
import dev.jgrad.nn.Conv2d;
import dev.jgrad.nn.Dropout;
import dev.jgrad.nn.ModelSpec;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.ops.Loss;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The issue-7 layers as modules: training versus evaluation behaviour, state names, a whole CNN forward and backward. */
class LayerModulesTest {
    private static Device d;

    @BeforeAll
    static void open() {
        d = Devices.open(new CpuBackend(), 0, DeviceConfig.standard());
    }

    @AfterAll
    static void close() {
        d.close();
    }

    @Test
    void batchNormNormalisesInTrainingAndUsesRunningStatisticsInEvaluation() {
        Sequential net = new Sequential(new Conv2d(2, 3, 3), new BatchNorm2d(3), new ReLU());
        net.to(d, 5);
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var"),
                List.copyOf(net.stateDict().keySet()));
        assertEquals(4, net.parameters().size(), "running statistics are state, not parameters");
        BatchNorm2d bn = (BatchNorm2d) net.layers().get(1);
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.of(d, random(4 * 2 * 6 * 6, 1, 3f, 2f), 4, 2, 6, 6);
            Tensor conv = net.layers().get(0).forward(x);
            float[] y = bn.forward(conv).toArray();
            int inner = 16;
            for (int ch = 0; ch < 3; ch++) {
                double mean = 0, sq = 0;
                for (int b = 0; b < 4; b++) for (int i = 0; i < inner; i++) mean += y[(b * 3 + ch) * inner + i];
                mean /= 4 * inner;
                for (int b = 0; b < 4; b++) for (int i = 0; i < inner; i++) sq += Math.pow(y[(b * 3 + ch) * inner + i] - mean, 2);
                assertEquals(0, mean, 1e-5, "channel mean after batch norm");
                assertEquals(1, sq / (4 * inner), 1e-3, "channel variance after batch norm");
            }
            float[] runningMean = bn.runningMean().toArray();
            assertTrue(Math.abs(runningMean[0]) > 1e-4, "running mean moved towards the batch mean");
            net.eval();
            float[] evalOut = bn.forward(conv).toArray();
            assertArrayEquals(runningMean, bn.runningMean().toArray(), "evaluation leaves the running mean alone");
            assertFalse(java.util.Arrays.equals(y, evalOut), "evaluation normalises with running, not batch, statistics");
        }
    }

    @Test
    void dropoutMasksAreSeededAdvanceEachStepAndVanishInEvaluation() {
        Dropout a = new Dropout(0.5f), b = new Dropout(0.5f);
        a.to(d, 42);
        b.to(d, 42);
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.full(d, 1f, 20, 50);
            float[] a1 = a.forward(x).toArray(), a2 = a.forward(x).toArray();
            float[] b1 = b.forward(x).toArray();
            assertArrayEquals(a1, b1, "same seed, same mask");
            assertFalse(java.util.Arrays.equals(a1, a2), "the next step draws the next part of the stream");
            assertEquals(2000, a.offset());
            int zeros = 0;
            for (float v : a1) {
                assertTrue(v == 0f || v == 2f, "inverted dropout scales survivors by 1/(1-p)");
                if (v == 0f) zeros++;
            }
            assertEquals(500, zeros, 60);
            a.eval();
            assertSame(x, a.forward(x), "evaluation is the identity");
        }
    }

    @Test
    void issueExampleCnnRunsForwardAndBackward() {
        Sequential net = ModelSpec.parse("conv(8,3)-relu-maxpool(2)-conv(16,3,1,same)-bn-relu-avgpool(2)-flatten-dense(32)-relu-dropout(0.3)-dense(10)",
                "relu").build(new int[]{1, 12, 12}, 10);
        net.to(d, 3);
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.of(d, random(5 * 144, 2, 0.5f, 0.5f), 5, 144);
            Tensor y = Tensor.of(d, new float[]{0, 3, 9, 1, 1}, 5);
            Tensor logits = net.forward(x);
            assertArrayEquals(new int[]{5, 10}, logits.shape());
            Loss.crossEntropy().apply(logits, y).backward();
            for (var e : net.stateDict().entrySet()) {
                if (e.getValue().requiresGrad()) assertNotNull(e.getValue().gradToArray(), e.getKey() + " got a gradient");
            }
        }
    }

    static float[] random(int n, long seed, float center, float spread) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = center + spread * (float) (rng.nextDouble() * 2 - 1);
        return x;
    }
}
