package dev.jgrad.cpu;

import dev.jgrad.device.Devices;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.Device;
import dev.jgrad.optim.Adagrad;
import dev.jgrad.optim.GradClip;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.Penalties;
import dev.jgrad.optim.RMSprop;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RMSprop and Adagrad minimise, and clipping and penalties change gradients exactly as documented. */
class OptimizerExtrasTest {
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
    void rmspropAndAdagradMinimiseAQuadratic() {
        for (Function<List<Tensor>, Optimizer> make : List.<Function<List<Tensor>, Optimizer>>of(
                p -> new RMSprop(p, 0.01f), p -> new Adagrad(p, 0.3f), p -> new RMSprop(p, 0.005f, 0.99f, 1e-8f, 0f, 0.9f))) {
            Tensor w = Tensor.of(d, new float[]{3f, -2f, 0.5f, 4f}, 4).keep().requiresGrad(true);
            Tensor target = Tensor.of(d, new float[]{1f, 1f, -1f, 0f}, 4).keep();
            Optimizer opt = make.apply(List.of(w));
            float first = 0, last = 0;
            for (int step = 0; step < 600; step++) {
                try (Scope s = Scope.open()) {
                    opt.zeroGrad();
                    Tensor loss = w.sub(target).square().sum();
                    loss.backward();
                    opt.step();
                    if (step == 0) first = loss.item();
                    last = loss.item();
                }
            }
            assertTrue(last < 1e-3f * first, opt.getClass().getSimpleName() + ": loss " + first + " -> " + last);
        }
    }

    @Test
    void clippingByGlobalNormRescalesToTheLimit() {
        Tensor a = gradOf(new float[]{3f, 0f}), b = gradOf(new float[]{0f, 4f, 0f});   // global norm 5
        float norm = GradClip.byNorm(List.of(a, b), 2.5f);
        assertEquals(5f, norm, 1e-6f);
        assertArrayEquals(new float[]{1.5f, 0f}, a.gradToArray(), 1e-5f);
        assertArrayEquals(new float[]{0f, 2f, 0f}, b.gradToArray(), 1e-5f);
        assertEquals(2.5f, GradClip.byNorm(List.of(a, b), 10f), 1e-5f);
        assertArrayEquals(new float[]{1.5f, 0f}, a.gradToArray(), 1e-5f, "under the limit nothing changes");
    }

    @Test
    void clippingByValueClamps() {
        Tensor a = gradOf(new float[]{-3f, 0.2f, 7f});
        GradClip.byValue(List.of(a), 1f);
        assertArrayEquals(new float[]{-1f, 0.2f, 1f}, a.gradToArray());
    }

    @Test
    void penaltiesAddSignAndWeightTerms() {
        Tensor w = Tensor.of(d, new float[]{2f, -0.5f, 0f}, 3).keep().requiresGrad(true);
        try (Scope s = Scope.open()) {
            w.mul(Tensor.of(d, new float[]{1f, 1f, 1f}, 3)).sum().backward();         // grad = 1
        }
        new Penalties(0.1f, 0.01f).apply(List.of(w));
        assertArrayEquals(new float[]{1f + 0.1f + 0.02f, 1f - 0.1f - 0.005f, 1f}, w.gradToArray(), 1e-6f);
    }

    /** A leaf whose gradient is {@code g}: the gradient of sum(w * g). */
    private static Tensor gradOf(float[] g) {
        Tensor w = Tensor.zeros(d, g.length).keep().requiresGrad(true);
        try (Scope s = Scope.open()) {
            w.mul(Tensor.of(d, g, g.length)).sum().backward();
        }
        return w;
    }
}
