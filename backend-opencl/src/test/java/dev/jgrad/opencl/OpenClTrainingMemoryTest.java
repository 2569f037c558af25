package dev.jgrad.opencl;

import dev.jgrad.device.Device;
import dev.jgrad.data.Dataset;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.optim.SGD;
import dev.jgrad.train.EpochStats;
import dev.jgrad.train.Trainer;
import dev.jgrad.train.TrainingListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small MLP trained for 20 epochs on OpenCL: device memory stops growing after the first epoch, and it learns. */
class OpenClTrainingMemoryTest {

    /** Four classes told apart by the signs of two linear functions of 20 features. */
    private static Dataset quadrants(String name, int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int features = 20;
        float[] x = new float[size * features];
        int[] y = new int[size];
        for (int i = 0; i < size; i++) {
            float a = 0, b = 0;
            for (int f = 0; f < features; f++) {
                float v = (float) rng.nextGaussian();
                x[i * features + f] = v;
                a += (f % 2 == 0 ? 1 : -0.5f) * v;
                b += (f < 10 ? 1 : -1) * v;
            }
            y[i] = (a > 0 ? 1 : 0) + (b > 0 ? 2 : 0);
        }
        return new Dataset(name, x, y, size, features, 4);
    }

    @Test
    void twentyEpochsAllocateNothingAfterTheFirst() {
        Device device = OpenClTestDevices.openOpenCl();
        try {
            Module model = new Sequential(new Linear(20, 64), new ReLU(), new Linear(64, 4)).to(device, 7);
            SGD sgd = new SGD(model.parameters(), 0.05f, 0.9f);
            List<Long> allocatedAfterEpoch = new ArrayList<>();
            List<EpochStats> history = new Trainer(model, sgd, device, 32, 11).fit(quadrants("train", 1024, 1),
                    quadrants("test", 512, 2), 20, new TrainingListener() {
                        @Override
                        public void epochEnd(EpochStats stats) {
                            allocatedAfterEpoch.add(device.allocatedBytes());
                        }
                    });
            assertEquals(20, allocatedAfterEpoch.size());
            long first = allocatedAfterEpoch.get(0);
            assertTrue(first > 0);
            for (int e = 1; e < 20; e++) {
                assertEquals(first, allocatedAfterEpoch.get(e), "device bytes allocated after epoch " + (e + 1)
                        + " differ from after epoch 1: " + allocatedAfterEpoch);
            }
            EpochStats last = history.get(history.size() - 1);
            assertTrue(last.testAccuracy() > 0.9, "test accuracy after 20 epochs: " + last.testAccuracy());
            assertTrue(last.loss() < history.get(0).loss(), "training loss did not fall: " + history);
        } finally {
            device.close();
        }
    }
}
