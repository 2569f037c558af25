package dev.jgrad.cli;

import dev.jgrad.device.Device;
import dev.jgrad.device.Devices;
import dev.jgrad.data.DataFormatException;
import dev.jgrad.data.Datasets;
import dev.jgrad.data.Split;
import dev.jgrad.io.Checkpoint;
import dev.jgrad.io.CheckpointHook;
import dev.jgrad.io.Checkpoints;
import dev.jgrad.io.HostArray;
import dev.jgrad.io.StateDicts;
import dev.jgrad.nn.BatchNorm1d;
import dev.jgrad.nn.Dropout;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.SGD;
import dev.jgrad.train.DivergenceGuard;
import dev.jgrad.train.Trainer;
import dev.jgrad.train.TrainingDivergedException;
import dev.jgrad.train.TrainingListener;
import dev.jgrad.train.TrainingPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints through the library: a run stopped at a checkpoint (mid-epoch or at an epoch's end) and
 * continued in a fresh model and optimizer ends bit-identical to the uninterrupted run, also with the
 * state that is not parameters (batch-norm running statistics, a dropout layer's place in its random
 * stream, Adam's step and moments, SGD momentum).
 */
class CheckpointResumeTest {
    private static final int BATCH = 32;
    private static final long SEED = 5;

    static Module net() {
        return new Sequential(new Linear(64, 32), new BatchNorm1d(32), new ReLU(), new Dropout(0.25f), new Linear(32, 10));
    }

    @Test
    void resumingMidEpochAndAtEpochEndsIsBitIdentical(@TempDir Path dir) throws Exception {
        Split data = Datasets.digits();
        try (Device cpu = Devices.open("cpu", line -> {})) {
            for (BiFunction<Module, Float, Optimizer> make : java.util.List.<BiFunction<Module, Float, Optimizer>>of(
                    (m, lr) -> new Adam(m.parameters(), lr), (m, lr) -> new SGD(m.parameters(), lr, 0.9f, true, 1e-4f))) {
                Module straight = net().to(cpu, SEED);
                Optimizer so = make.apply(straight, 0.01f);
                new Trainer(straight, so, cpu, BATCH, SEED).fit(data.train(), data.test(), 3, new TrainingListener() {});
                Map<String, HostArray> expected = StateDicts.toHost(straight.stateDict());

                // checkpoints at epoch ends only: resume from the end of epoch 1, and of epoch 2
                for (int stopEpoch : new int[] {1, 2}) {
                    Path ckpt = dir.resolve(so.getClass().getSimpleName() + stopEpoch);
                    Module first = net().to(cpu, SEED);
                    Optimizer fo = make.apply(first, 0.01f);
                    new Trainer(first, fo, cpu, BATCH, SEED)
                            .onStep(new CheckpointHook(ckpt, 0, first, fo, Map.of(), new DivergenceGuard(first, 1)))
                            .fit(data.train(), data.test(), stopEpoch, new TrainingListener() {});
                    Checkpoint c = Checkpoints.read(ckpt);
                    assertEquals(new TrainingPosition(stopEpoch, data.train().size(), c.position().step(), c.position().lossSum()), c.position());
                    Module resumed = net().to(cpu, SEED + 1);
                    Optimizer ro = make.apply(resumed, 0.01f);
                    c.restore(resumed, ro);
                    new Trainer(resumed, ro, cpu, BATCH, SEED).resumeAt(c.position()).fit(data.train(), data.test(), 3, new TrainingListener() {});
                    assertEquals(expected, StateDicts.toHost(resumed.stateDict()),
                            so.getClass().getSimpleName() + " resumed after epoch " + stopEpoch + " differs");
                }

                // mid-epoch: stop the run by throwing from the hook right after a checkpoint that is not at an epoch's end
                Path mid = dir.resolve(so.getClass().getSimpleName() + "-mid");
                Module first = net().to(cpu, SEED);
                Optimizer fo = make.apply(first, 0.01f);
                CheckpointHook hook = new CheckpointHook(mid, 10, first, fo, Map.of(), new DivergenceGuard(first, 1));
                assertThrows(StopHere.class, () -> new Trainer(first, fo, cpu, BATCH, SEED).onStep((pos, total, loss) -> {
                    hook.afterStep(pos, total, loss);
                    if (pos.step() == 70) throw new StopHere();
                }).fit(data.train(), data.test(), 3, new TrainingListener() {}));
                Checkpoint c = Checkpoints.read(mid);
                assertEquals(70, c.position().step());
                assertEquals(2, c.position().epoch());
                assertTrue(c.position().samplesDone() > 0 && c.position().samplesDone() < data.train().size());
                assertTrue(c.modelCounters().get("3.offset") > 0, "the dropout layer's stream position is saved");
                Module resumed = net().to(cpu, SEED + 1);
                Optimizer ro = make.apply(resumed, 0.01f);
                c.restore(resumed, ro);
                new Trainer(resumed, ro, cpu, BATCH, SEED).resumeAt(c.position()).fit(data.train(), data.test(), 3, new TrainingListener() {});
                assertEquals(expected, StateDicts.toHost(resumed.stateDict()), so.getClass().getSimpleName() + " resumed mid-epoch differs");
            }
        }
    }

    private static final class StopHere extends RuntimeException {}

    /** Trains with checkpoints every 5 steps, setting one value of tensor {@code poisoned} to NaN after step 12. */
    private static TrainingDivergedException diverge(Path ckpt, String poisoned) throws Exception {
        Split data = Datasets.digits();
        try (Device cpu = Devices.open("cpu", line -> {})) {
            Module m = new Sequential(new Linear(64, 32), new ReLU(), new Linear(32, 10)).to(cpu, 1);
            Optimizer opt = new SGD(m.parameters(), 0.01f);
            CheckpointHook hook = new CheckpointHook(ckpt, 5, m, opt, Map.of(), new DivergenceGuard(m, 1));
            return assertThrows(TrainingDivergedException.class, () -> new Trainer(m, opt, cpu, BATCH, 1)
                    .onStep((pos, total, loss) -> {
                        if (pos.step() == 12) {
                            float[] v = m.stateDict().get(poisoned).toArray();
                            v[3] = Float.NaN;
                            m.stateDict().get(poisoned).copyFrom(v);
                        }
                        hook.afterStep(pos, total, loss);
                    }).fit(data.train(), data.test(), 2, new TrainingListener() {}));
        }
    }

    @Test
    void aNonFiniteLossStopsTrainingAtItsStepNamingTheFirstLayer(@TempDir Path dir) throws Exception {
        TrainingDivergedException e = diverge(dir, "2.bias");
        assertEquals(13, e.step());
        assertEquals("training diverged at step 13 (epoch 1): the loss is NaN; the first non-finite gradient is in 0.weight"
                + " (lower the learning rate?)", e.getMessage());
        assertLastGoodCheckpointKept(dir);
    }

    @Test
    void aNonFiniteWeightTheLossDoesNotShowIsCaughtBeforeTheNextCheckpoint(@TempDir Path dir) throws Exception {
        // ReLU maps the NaN unit to 0, so the loss stays finite; the checkpoint's own check finds the weight
        TrainingDivergedException e = diverge(dir, "0.weight");
        assertEquals(15, e.step());
        assertTrue(e.getMessage().contains("step 15") && e.getMessage().contains("non-finite value is in 0.weight"), e.getMessage());
        assertLastGoodCheckpointKept(dir);
    }

    private static void assertLastGoodCheckpointKept(Path dir) throws Exception {
        Checkpoint kept = Checkpoints.read(dir);
        assertEquals(10, kept.position().step(), "the last good checkpoint stays");
        assertEquals(null, StateDicts.firstNonFinite(kept.model()));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void checkpointsRefuseToBeWrittenWithNonFiniteValues(@TempDir Path dir) throws Exception {
        try (Device cpu = Devices.open("cpu", line -> {})) {
            Module m = new Sequential(new Linear(4, 3)).to(cpu, 1);
            Optimizer opt = new SGD(m.parameters(), 0.1f);
            Checkpoints.write(dir, m, opt, new TrainingPosition(1, 8, 1, 2f), Map.of());
            byte[] good = Files.readAllBytes(Checkpoints.file(dir));
            ((Linear) ((Sequential) m).layers().get(0)).bias().copyFrom(new float[] {0, Float.POSITIVE_INFINITY, 0});
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> Checkpoints.write(dir, m, opt, new TrainingPosition(1, 16, 2, 3f), Map.of()));
            assertTrue(e.getMessage().contains("model.0.bias"), e.getMessage());
            assertEquals(java.util.Arrays.hashCode(good), java.util.Arrays.hashCode(Files.readAllBytes(Checkpoints.file(dir))));
        }
    }

    @Test
    void aCheckpointOfAnotherModelIsRejectedWithTheNames(@TempDir Path dir) throws Exception {
        try (Device cpu = Devices.open("cpu", line -> {})) {
            Module m = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2)).to(cpu, 1);
            Optimizer opt = new Adam(m.parameters(), 0.1f);
            Checkpoints.write(dir, m, opt, new TrainingPosition(1, 8, 1, 2f), Map.of());
            Module other = new Sequential(new Linear(4, 5), new ReLU(), new Linear(5, 2)).to(cpu, 1);
            DataFormatException e = assertThrows(DataFormatException.class,
                    () -> Checkpoints.read(dir).restore(other, new Adam(other.parameters(), 0.1f)));
            assertTrue(e.getMessage().contains("0.weight is [3, 4] in the file but [5, 4]"), e.getMessage());
        }
    }
}
