package dev.jgrad.bench;

import dev.jgrad.device.Device;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.ModelSpec;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.ops.Loss;
import dev.jgrad.optim.SGD;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training throughput of a reference network on synthetic data of MNIST's shape (784 pixels in [0, 1], 10
 * classes), batch 128, softmax cross-entropy and SGD with momentum 0.9: the MLP 784-512-256-10 with ReLU, and
 * a small CNN (two 3x3 convolutions of 32 and 64 filters with max-pooling, dense 128, dropout 0.3). A
 * step is what {@code Trainer} does: zero the gradients, forward, loss, backward, update, all in a
 * {@link Scope}. The check compares the losses of the first steps with the CPU reference's from the same
 * initial weights (and the same dropout masks, which every backend draws alike).
 */
public record TrainCase(Network network, long seed) implements BenchCase {

    /** Losses after a few steps agree to about 1e-6 between correct backends; a wrong kernel moves them far more. */
    public static final double TOLERANCE = 1e-4;
    public static final int BATCH = 128;
    static final int FEATURES = 784;
    static final int CLASSES = 10;
    /** Steps whose losses are compared with the reference. */
    static final int CHECKED_STEPS = 3;
    /** Distinct batches the timed steps cycle through. */
    private static final int ROTATED_BATCHES = 8;

    /** The reference networks. */
    public enum Network {
        MLP("mlp 784-512-256-10", "MLP 784-512-256-10 (ReLU)"),
        CNN("cnn c32-c64-d128", "CNN " + TrainCase.CNN);

        private final String label;
        private final String description;

        Network(String label, String description) {
            this.label = label;
            this.description = description;
        }

        Sequential build() {
            if (this == MLP) {
                return new Sequential(new Linear(FEATURES, 512), new ReLU(), new Linear(512, 256), new ReLU(), new Linear(256, CLASSES));
            }
            return ModelSpec.parse(TrainCase.CNN, "relu").build(new int[]{1, 28, 28}, CLASSES);
        }
    }

    /** That CNN, in the CLI's {@code --model} syntax. */
    static final String CNN = "conv(32,3)-relu-maxpool(2)-conv(64,3)-relu-maxpool(2)-flatten-dense(128)-relu-dropout(0.3)-dense(10)";

    @Override
    public Suite suite() {
        return Suite.TRAIN;
    }

    @Override
    public String name() {
        return network.label;
    }

    @Override
    public String detail() {
        return network.description + ", batch " + BATCH + ", cross-entropy, SGD lr 0.01 momentum 0.9, synthetic data; samples/s of full training steps";
    }

    @Override
    public double workPerOp() {
        return BATCH;
    }

    @Override
    public double tolerance() {
        return TOLERANCE;
    }

    @Override
    public PreparedCase prepare(Device device, boolean rotate) {
        int batches = rotate ? ROTATED_BATCHES : CHECKED_STEPS;
        Sequential net = network.build();
        List<Tensor> owned = new ArrayList<>();
        try {
            net.to(device, seed);
            owned.addAll(net.stateDict().values());
            SGD sgd = new SGD(net.parameters(), 0.01f, 0.9f);
            owned.addAll(sgd.stateDict().values());
            Tensor[] x = new Tensor[batches];
            Tensor[] y = new Tensor[batches];
            for (int b = 0; b < batches; b++) {
                float[] features = Inputs.uniform(seed, 2L * b, BATCH * FEATURES);
                for (int i = 0; i < features.length; i++) features[i] = (features[i] + 1) / 2;   // pixels are in [0, 1]
                x[b] = Tensor.of(device, features, BATCH, FEATURES).keep();
                owned.add(x[b]);
                y[b] = Tensor.of(device, labels(seed, 2L * b + 1), BATCH).keep();
                owned.add(y[b]);
            }
            return new PreparedCase() {
                @Override
                public float[] checkedOutput() {
                    float[] losses = new float[CHECKED_STEPS];
                    for (int s = 0; s < CHECKED_STEPS; s++) losses[s] = step(s, true);
                    return losses;
                }

                @Override
                public void run(int iteration) {
                    step(iteration, false);
                }

                private float step(int iteration, boolean readLoss) {
                    int b = iteration % batches;
                    try (Scope scope = Scope.open()) {
                        sgd.zeroGrad();
                        Tensor loss = Loss.crossEntropy().apply(net.forward(x[b]), y[b]);
                        loss.backward();
                        sgd.step();
                        return readLoss ? loss.item() : Float.NaN;
                    }
                }

                @Override
                public void close() {
                    owned.forEach(Tensor::close);
                }
            };
        } catch (RuntimeException | Error e) {
            owned.forEach(Tensor::close);
            throw e;
        }
    }

    private static float[] labels(long seed, long stream) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stream);
        float[] out = new float[BATCH];
        for (int i = 0; i < BATCH; i++) out[i] = rng.nextInt(CLASSES);
        return out;
    }
}
