package example;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.data.Dataset;
import dev.jgrad.data.Datasets;
import dev.jgrad.data.Split;
import dev.jgrad.device.Device;
import dev.jgrad.device.Devices;
import dev.jgrad.metrics.ConfusionMatrix;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.ops.Loss;
import dev.jgrad.optim.SGD;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;

import java.util.Arrays;
import java.util.Random;

/**
 * A training loop written by hand around a custom layer ({@link ResidualDense}): seeded shuffling, batches,
 * a linearly decaying learning rate, then evaluation. Exits with status 1 when the test accuracy is below
 * {@link #MIN_ACCURACY} or the custom layer's weights did not change (no gradient reached them).
 */
public final class CustomLoop {
    static final double MIN_ACCURACY = 0.90;
    static final int EPOCHS = 8;
    static final int BATCH = 32;
    static final float LR = 0.05f;

    public static void main(String[] args) throws Exception {
        String deviceName = args.length > 0 ? args[0] : "cpu";
        Split digits = Datasets.digits();
        Dataset train = digits.train();
        Dataset test = digits.test();
        int width = train.featureCount();
        try (Device device = Devices.open(deviceName, System.out::println)) {
            ResidualDense block = new ResidualDense(64);
            Sequential model = new Sequential(new Linear(width, 64), new ReLU(), block, new Linear(64, train.classes()));
            model.to(device, 3);
            float[] initialBlockWeight = block.weight().toArray();
            SGD sgd = new SGD(model.parameters(), LR, 0.9f);

            Random random = new Random(3);
            int[] order = new int[train.size()];
            Arrays.setAll(order, i -> i);
            float[] x = new float[BATCH * width];
            float[] y = new float[BATCH];
            model.train();
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                shuffle(order, random);
                sgd.setLr(LR * (1f - (float) epoch / EPOCHS));
                double lossSum = 0;
                for (int start = 0; start < order.length; start += BATCH) {
                    int rows = Math.min(BATCH, order.length - start);
                    for (int r = 0; r < rows; r++) {
                        int example = order[start + r];
                        System.arraycopy(train.features(), example * width, x, r * width, width);
                        y[r] = train.labels()[example];
                    }
                    try (Scope step = Scope.open()) {       // the step's tensors go back to the pool here
                        sgd.zeroGrad();
                        Tensor input = Tensor.of(device, Arrays.copyOf(x, rows * width), rows, width);
                        Tensor labels = Tensor.of(device, Arrays.copyOf(y, rows), rows);
                        Tensor loss = Loss.crossEntropy().apply(model.forward(input), labels);
                        loss.backward();
                        sgd.step();
                        lossSum += loss.item() * rows;
                    }
                }
                System.out.printf("epoch %d: lr %.4f, loss %.4f%n", epoch + 1, sgd.lr(), lossSum / order.length);
            }

            model.eval();
            double accuracy;
            try (GradMode off = GradMode.noGrad(); Scope scope = Scope.open()) {
                Tensor input = Tensor.of(device, test.features(), test.size(), width);
                int[] predicted = ConfusionMatrix.argmax(model.forward(input).toArray(), test.size(), test.classes());
                accuracy = ConfusionMatrix.of(test.classes(), test.labels(), predicted).accuracy();
            }
            System.out.printf("test accuracy %.4f on %d examples%n", accuracy, test.size());
            if (Arrays.equals(initialBlockWeight, block.weight().toArray())) fail("the custom layer's weight never changed");
            if (accuracy < MIN_ACCURACY) fail("test accuracy " + accuracy + " is below " + MIN_ACCURACY);
        }
        System.out.println("ok");
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static void fail(String why) {
        System.err.println("FAILED: " + why);
        System.exit(1);
    }
}
