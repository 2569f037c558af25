package dev.jgrad.cli;

import dev.jgrad.device.Device;
import dev.jgrad.device.Devices;
import dev.jgrad.data.Datasets;
import dev.jgrad.data.Split;
import dev.jgrad.io.Checkpoint;
import dev.jgrad.io.CheckpointHook;
import dev.jgrad.io.Checkpoints;
import dev.jgrad.io.HostArray;
import dev.jgrad.io.StateDicts;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.train.DivergenceGuard;
import dev.jgrad.train.StopSignal;
import dev.jgrad.train.Trainer;
import dev.jgrad.train.TrainingListener;
import dev.jgrad.train.TrainingStoppedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Trainer#stopOn}: a stop requested mid-epoch (as a signal handler does, from another thread) ends
 * fit after the step in progress with a checkpoint at that step, even between the hook's regular
 * checkpoints, and the run resumed from it ends bit-identical to one never stopped.
 */
class StopSignalTest {
    private static final long SEED = 3;

    @Test
    void aStopMidEpochCheckpointsThatStepAndResumesBitIdentically(@TempDir Path dir) throws Exception {
        Split data = Datasets.digits();
        try (Device cpu = Devices.open("cpu", line -> {})) {
            Module straight = CheckpointResumeTest.net().to(cpu, SEED);
            Optimizer so = new Adam(straight.parameters(), 0.01f);
            new Trainer(straight, so, cpu, 32, SEED).fit(data.train(), data.test(), 2, new TrainingListener() {});
            Map<String, HostArray> expected = StateDicts.toHost(straight.stateDict());

            Module first = CheckpointResumeTest.net().to(cpu, SEED);
            Optimizer fo = new Adam(first.parameters(), 0.01f);
            StopSignal stop = new StopSignal();
            // checkpoints only at epoch ends; the stop comes at step 17, inside epoch 1
            CheckpointHook checkpoints = new CheckpointHook(dir, 0, first, fo, Map.of(), new DivergenceGuard(first, 1));
            Trainer trainer = new Trainer(first, fo, cpu, 32, SEED).stopOn(stop).onStep(new dev.jgrad.train.StepHook() {
                @Override
                public void afterStep(dev.jgrad.train.TrainingPosition p, int total, java.util.function.DoubleSupplier loss) {
                    checkpoints.afterStep(p, total, loss);
                    if (p.step() == 17) stop.request();
                }

                @Override
                public void stopped(dev.jgrad.train.TrainingPosition p, int total, java.util.function.DoubleSupplier loss) {
                    checkpoints.stopped(p, total, loss);
                }
            });
            TrainingStoppedException e = assertThrows(TrainingStoppedException.class,
                    () -> trainer.fit(data.train(), data.test(), 2, new TrainingListener() {}));
            assertEquals(17, e.position().step());
            assertEquals(1, e.position().epoch());
            assertEquals(17 * 32, e.position().samplesDone());
            Checkpoint c = Checkpoints.read(dir);
            assertEquals(17, c.position().step(), "the stop wrote a checkpoint at its step");

            Module resumed = CheckpointResumeTest.net().to(cpu, SEED + 9);
            Optimizer ro = new Adam(resumed.parameters(), 0.01f);
            c.restore(resumed, ro);
            new Trainer(resumed, ro, cpu, 32, SEED).resumeAt(c.position()).fit(data.train(), data.test(), 2, new TrainingListener() {});
            assertEquals(expected, StateDicts.toHost(resumed.stateDict()), "stopped and resumed differs from the straight run");
        }
    }
}
