package dev.jgrad.cpu;

import dev.jgrad.device.Devices;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.Device;
import dev.jgrad.data.Dataset;
import dev.jgrad.data.Datasets;
import dev.jgrad.nn.ModelSpec;
import dev.jgrad.nn.Sequential;
import dev.jgrad.optim.Adam;
import dev.jgrad.train.EarlyStopping;
import dev.jgrad.train.EpochStats;
import dev.jgrad.train.Trainer;
import dev.jgrad.train.TrainingListener;
import dev.jgrad.train.ValidationSplit;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EarlyStoppingTest {

    /**
     * Half the validation labels are shuffled: the validation loss first falls as the model learns the digits,
     * then rises as it grows confident on the examples whose labels are noise. The metric stalls, and the run
     * must stop {@code patience} epochs after its best epoch, far short of the 40 allowed, with the best
     * epoch's weights put back.
     */
    @Test
    void stopsWhenValidationStallsAndRestoresTheBestWeights() throws Exception {
        Dataset digits = Datasets.digits().train();
        var split = ValidationSplit.of(digits, 0.25, 7);
        Dataset val = split.test();
        int[] shuffled = val.labels().clone();
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = shuffled.length / 2 - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        Dataset noise = new Dataset("noise", val.features(), shuffled, val.size(), val.featureCount(), val.classes());
        try (Device d = Devices.open(new CpuBackend(), 0, DeviceConfig.standard())) {
            Sequential net = ModelSpec.parse("mlp:64", "relu").build(new int[]{digits.featureCount()}, digits.classes());
            net.to(d, 11);
            EarlyStopping stopping = new EarlyStopping(EarlyStopping.Metric.LOSS, 3, 0, true);
            Trainer trainer = new Trainer(net, new Adam(net.parameters(), 0.002f), d, 32, 5).earlyStopping(stopping);
            List<EpochStats> history = trainer.fit(split.train(), noise, 40, new TrainingListener() {});

            history.forEach(h -> System.out.printf("epoch %d validation loss %.4f%n", h.epoch(), h.testLoss()));
            assertTrue(stopping.stopped(), "the run stopped early");
            assertEquals(stopping.bestEpoch() + 3, stopping.stoppedEpoch(), "it waited exactly the patience");
            assertEquals(stopping.stoppedEpoch(), history.size(), "no epoch ran after the stop");
            assertTrue(history.size() < 40);
            assertTrue(stopping.bestEpoch() > 1, "the validation loss improved before it stalled");
            EpochStats best = history.get(stopping.bestEpoch() - 1);
            EpochStats last = history.get(history.size() - 1);
            assertTrue(last.testLoss() > best.testLoss(), "the last epoch is worse than the best");
            double now = trainer.evaluate(noise).loss();
            assertEquals(best.testLoss(), now, 1e-6, "the model now has the best epoch's weights");
            assertNotEquals(last.testLoss(), now, 1e-6);
        }
    }
}
