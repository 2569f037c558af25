package dev.jgrad.cpu;

import dev.jgrad.device.Devices;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.Device;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.ModelSpec;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.ops.Loss;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.SGD;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Training on the CPU gives bit-identical weights run to run and for any thread count: threads get fixed
 * parts of each kernel's output (no work stealing) and every sum is taken in an order that does not
 * depend on the split. The network is big enough that its large GEMMs and the update of its first layer run
 * multi-threaded.
 */
class CpuThreadDeterminismTest {

    @Test
    void trainingIsBitIdenticalForOneTwoAndThreeThreads() {
        List<float[]> one = train(1);
        List<float[]> oneAgain = train(1);
        List<float[]> two = train(2);
        List<float[]> three = train(3);
        for (int i = 0; i < one.size(); i++) {
            assertArrayEquals(one.get(i), oneAgain.get(i), "parameter " + i + ": 1 thread, run twice");
            assertArrayEquals(one.get(i), two.get(i), "parameter " + i + ": 2 threads vs 1");
            assertArrayEquals(one.get(i), three.get(i), "parameter " + i + ": 3 threads vs 1");
        }
    }

    @Test
    void cnnTrainingIsBitIdenticalForOneTwoAndThreeThreads() {
        List<float[]> one = trainCnn(1);
        List<float[]> two = trainCnn(2);
        List<float[]> three = trainCnn(3);
        for (int i = 0; i < one.size(); i++) {
            assertArrayEquals(one.get(i), two.get(i), "CNN parameter " + i + ": 2 threads vs 1");
            assertArrayEquals(one.get(i), three.get(i), "CNN parameter " + i + ": 3 threads vs 1");
        }
    }

    /**
     * Three Adam steps of the README's CNN (convolutions, batch norm, pooling, dropout) on a batch of 40
     * (not a multiple of the convolution's chunk of images); returns every parameter and running statistic.
     */
    private static List<float[]> trainCnn(int threads) {
        Device device = Devices.open(new CpuBackend(), 0, DeviceConfig.standard().withThreads(threads));
        try {
            Sequential model = ModelSpec.parse("conv(32,3)-batchnorm-relu-maxpool(2)-conv(64,3)-batchnorm-relu-maxpool(2)"
                    + "-flatten-dense(128)-relu-dropout(0.3)-dense(10)", "relu").build(new int[]{1, 28, 28}, 10);
            model.to(device, 4321);
            Adam adam = new Adam(model.parameters(), 0.002f);
            SplittableRandom rng = new SplittableRandom(98);
            int batch = 40;
            float[] x = new float[batch * 784];
            float[] y = new float[batch];
            for (int step = 0; step < 3; step++) {
                for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
                for (int i = 0; i < y.length; i++) y[i] = rng.nextInt(10);
                try (Scope scope = Scope.open()) {
                    adam.zeroGrad();
                    Tensor loss = Loss.crossEntropy().apply(model.forward(Tensor.of(device, x, batch, 784)), Tensor.of(device, y, batch));
                    loss.backward();
                    adam.step();
                }
            }
            List<float[]> state = new ArrayList<>();
            for (Tensor t : model.stateDict().values()) state.add(t.toArray());
            return state;
        } finally {
            device.close();
        }
    }

    /** Five SGD-with-momentum steps of a 784-512-256-10 MLP on fixed random batches; returns the parameters. */
    private static List<float[]> train(int threads) {
        Device device = Devices.open(new CpuBackend(), 0, DeviceConfig.standard().withThreads(threads));
        try {
            Sequential model = new Sequential(new Linear(784, 512), new ReLU(), new Linear(512, 256), new ReLU(),
                    new Linear(256, 10));
            model.to(device, 1234);
            SGD sgd = new SGD(model.parameters(), 0.05f, 0.9f);
            SplittableRandom rng = new SplittableRandom(99);
            float[] x = new float[128 * 784];
            float[] y = new float[128];
            for (int step = 0; step < 5; step++) {
                for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
                for (int i = 0; i < y.length; i++) y[i] = rng.nextInt(10);
                try (Scope scope = Scope.open()) {
                    sgd.zeroGrad();
                    Tensor loss = Loss.crossEntropy().apply(model.forward(Tensor.of(device, x, 128, 784)), Tensor.of(device, y, 128));
                    loss.backward();
                    sgd.step();
                }
            }
            List<float[]> params = new ArrayList<>();
            for (Tensor p : model.parameters()) params.add(p.toArray());
            assertEquals(6, params.size());
            return params;
        } finally {
            device.close();
        }
    }
}
