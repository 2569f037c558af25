package dev.jgrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.data.Dataset;
import dev.jgrad.data.Targets;
import dev.jgrad.ops.Loss;
import org.junit.jupiter.api.Test;

class TaskTest {
    private static final Dataset LABELLED = new Dataset("c", new float[] {0, 1, 2, 3}, new int[] {0, 2}, 2, 2, 3);
    private static final Dataset VALUES = new Dataset("v", new float[] {0, 1, 2, 3}, 2, 2, new Targets.Values(new float[] {1, 0, 0.5f, 1}, 2));

    @Test
    void defaultsLossesOutputsAndDirections() {
        assertEquals("cross_entropy", Task.CLASSIFY.defaultLoss().name());
        assertEquals("bce_with_logits", Task.MULTILABEL.defaultLoss().name());
        assertEquals("mse", Task.REGRESS.defaultLoss().name());
        assertEquals(3, Task.CLASSIFY.outputs(LABELLED));
        assertEquals(2, Task.REGRESS.outputs(VALUES));
        assertEquals(2, Task.AUTOENCODE.outputs(LABELLED));
        assertTrue(Task.higherIsBetter("r2"));
        assertFalse(Task.higherIsBetter("rmse"));
        assertEquals(Task.REGRESS, Task.named(" Regress"));
        assertEquals("huber:0.5", Loss.named("huber:0.5").name());
        assertEquals("l1", Loss.named("MAE").name());
        assertThrows(IllegalArgumentException.class, () -> Loss.named("hinge"));
    }

    @Test
    void checksTargetsWithMessagesThatSayWhatIsNeeded() {
        Task.REGRESS.check(VALUES);
        Task.AUTOENCODE.check(LABELLED);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Task.REGRESS.check(LABELLED));
        assertEquals("dataset c has class labels, but task regress needs value targets (read a CSV with CsvFormat.values(columns))", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Task.MULTILABEL.check(VALUES));
        assertEquals("dataset v: example 2, target 0 is 0.5; multi-label targets must be 0 or 1", e.getMessage());
    }

    @Test
    void predictionsGiveClassesProbabilitiesAndLabels() {
        Prediction p = new Prediction(Task.CLASSIFY, new float[] {0, 0, (float) Math.log(3), 5, 1, 1}, 2, 3);
        assertArrayEquals(new int[] {2, 0}, p.classes());
        assertArrayEquals(new float[] {0.2f, 0.2f, 0.6f}, p.probabilities()[0], 1e-6f);
        Prediction m = new Prediction(Task.MULTILABEL, new float[] {2, -1}, 1, 2);
        assertArrayEquals(new boolean[] {true, false}, m.labels()[0]);
        assertEquals(1 / (1 + Math.exp(1)), m.probabilities()[0][1], 1e-6);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Prediction(Task.REGRESS, new float[] {1}, 1, 1).classes());
        assertEquals("classes are for classify models; this one does regress: read rowsOfOutputs()", e.getMessage());
    }

    @Test
    void earlyStoppingWatchesAnyMetricInItsDirection() {
        assertEquals(new EarlyStopping.Metric("r2", true), EarlyStopping.Metric.named("val_r2"));
        assertEquals(EarlyStopping.Metric.LOSS, EarlyStopping.Metric.named("loss"));
        assertThrows(IllegalArgumentException.class, () -> EarlyStopping.Metric.named("speed"));
    }
}
