package dev.jgrad.cpu;

import dev.jgrad.device.Devices;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.autograd.GradMode;
import dev.jgrad.device.Device;
import dev.jgrad.data.Dataset;
import dev.jgrad.data.Datasets;
import dev.jgrad.data.Split;
import dev.jgrad.nn.Dense;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Sigmoid;
import dev.jgrad.ops.Loss;
import dev.jgrad.optim.Adam;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;
import dev.jgrad.train.Trainer;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unsupervised training through the same API: an autoencoder that reconstructs digits through an 8-unit bottleneck. */
class AutoencoderTest {

    @Test
    void autoencoderLearnsToReconstructHeldOutDigits() throws Exception {
        Split split = Datasets.digits();
        Dataset train = split.train(), test = split.test();
        int f = train.featureCount();
        try (Device d = Devices.open(new CpuBackend(), 0, DeviceConfig.standard())) {
            Sequential ae = new Sequential(new Dense(f, 32), new ReLU(), new Dense(32, 8), new ReLU(),
                    new Dense(8, 32), new ReLU(), new Dense(32, f), new Sigmoid());
            ae.to(d, 1);
            Adam opt = new Adam(ae.parameters(), 0.01f);
            double before = reconstructionError(ae, d, test);
            int batch = 32;
            float[] xb = new float[batch * f];
            for (int epoch = 1; epoch <= 40; epoch++) {
                int[] order = Trainer.epochOrder(train.size(), 1, epoch);
                for (int from = 0; from + batch <= train.size(); from += batch) {
                    for (int r = 0; r < batch; r++) System.arraycopy(train.features(), order[from + r] * f, xb, r * f, f);
                    try (Scope s = Scope.open()) {
                        Tensor x = Tensor.of(d, xb, batch, f);
                        opt.zeroGrad();
                        Loss.mse().apply(ae.forward(x), x).backward();     // the input is the target
                        opt.step();
                    }
                }
            }
            double after = reconstructionError(ae, d, test);
            double meanImage = meanImageError(train, test);
            System.out.printf("autoencoder test MSE: %.5f before, %.5f after training; mean image %.5f%n", before, after, meanImage);
            assertTrue(after < 0.5 * meanImage, "reconstruction MSE " + after + " vs " + meanImage + " for the mean image (before: " + before + ")");
        }
    }

    private static double reconstructionError(Sequential ae, Device d, Dataset data) {
        try (GradMode g = GradMode.noGrad(); Scope s = Scope.open()) {
            Tensor x = Tensor.of(d, data.features(), data.size(), data.featureCount());
            return Loss.mse().apply(ae.forward(x), x).item();
        }
    }

    /** The MSE of predicting every test image by the mean training image: the baseline a useful code must beat. */
    private static double meanImageError(Dataset train, Dataset test) {
        int f = train.featureCount();
        double[] mean = new double[f];
        for (int i = 0; i < train.size(); i++) for (int j = 0; j < f; j++) mean[j] += train.features()[i * f + j] / train.size();
        double e = 0;
        for (int i = 0; i < test.size(); i++) for (int j = 0; j < f; j++) e += Math.pow(test.features()[i * f + j] - mean[j], 2);
        return e / ((double) test.size() * f);
    }

}
