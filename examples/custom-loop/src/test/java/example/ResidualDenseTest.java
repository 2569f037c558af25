package example;

import dev.jgrad.device.Device;
import dev.jgrad.device.Devices;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The custom layer computes its formula, and autograd's gradients of it match finite differences. */
class ResidualDenseTest {
    private static final int BATCH = 3;
    private static final int FEATURES = 4;

    @Test
    void forwardIsXPlusReluOfTheAffineMap() {
        try (Device device = Devices.open("cpu", line -> {}); Scope scope = Scope.open()) {
            ResidualDense layer = new ResidualDense(FEATURES);
            layer.to(device, 5);
            float[] x = randoms(BATCH * FEATURES, 1);
            float[] w = layer.weight().toArray();
            float[] b = layer.stateDict().get("bias").toArray();
            float[] y = layer.forward(Tensor.of(device, x, BATCH, FEATURES)).toArray();
            for (int r = 0; r < BATCH; r++) {
                for (int o = 0; o < FEATURES; o++) {
                    double z = b[o];
                    for (int i = 0; i < FEATURES; i++) z += x[r * FEATURES + i] * w[o * FEATURES + i];
                    assertEquals(x[r * FEATURES + o] + Math.max(0, z), y[r * FEATURES + o], 1e-5, "y[" + r + "," + o + "]");
                }
            }
        }
    }

    @Test
    void weightGradientMatchesFiniteDifferences() {
        try (Device device = Devices.open("cpu", line -> {}); Scope scope = Scope.open()) {
            ResidualDense layer = new ResidualDense(FEATURES);
            layer.to(device, 5);
            float[] x = randoms(BATCH * FEATURES, 2);
            float[] r = randoms(BATCH * FEATURES, 3);     // loss = sum(y * r): every output matters differently
            Tensor input = Tensor.of(device, x, BATCH, FEATURES);
            Tensor weights = Tensor.of(device, r, BATCH, FEATURES);
            layer.forward(input).mul(weights).sum().backward();
            float[] analytic = layer.weight().gradToArray();

            float[] w = layer.weight().toArray();
            float[] numeric = new float[w.length];
            float h = 1e-2f;
            for (int i = 0; i < w.length; i++) {
                float saved = w[i];
                w[i] = saved + h;
                layer.weight().copyFrom(w);
                double plus = layer.forward(input).mul(weights).sum().item();
                w[i] = saved - h;
                layer.weight().copyFrom(w);
                double minus = layer.forward(input).mul(weights).sum().item();
                w[i] = saved;
                numeric[i] = (float) ((plus - minus) / (2 * h));
            }
            layer.weight().copyFrom(w);
            assertArrayEquals(numeric, analytic, 2e-3f);
        }
    }

    private static float[] randoms(int n, long seed) {
        Random random = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) random.nextGaussian();
        return out;
    }
}
