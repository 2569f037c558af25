package dev.jgrad.train;

import dev.jgrad.data.Dataset;
import dev.jgrad.data.Targets;
import dev.jgrad.io.ModelCard;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the JIT warm-up trains on: a narrower flat input with the same remainder, and data that fits the task. */
class JitWarmupShapesTest {

    @Test
    void aWideFlatInputIsNarrowedKeepingItsRemainderModulo32() {
        ModelCard wide = ModelCard.forFeatures("mlp:512,256", null, 784, 10);
        ModelCard narrow = JitWarmup.narrowed(wide);
        assertArrayEquals(new int[]{48}, narrow.inputShape());
        assertEquals(10, narrow.outputs());
        assertEquals(wide.architecture(), narrow.architecture());
        assertArrayEquals(new int[]{36}, JitWarmup.narrowed(ModelCard.forFeatures("mlp:8", null, 100, 3)).inputShape());
        ModelCard autoencoder = JitWarmup.narrowed(ModelCard.forFeatures("mlp:16", null, 784, 784).withTask(Task.AUTOENCODE));
        assertArrayEquals(new int[]{48}, autoencoder.inputShape());
        assertEquals(48, autoencoder.outputs(), "an autoencoder's output is its input");
    }

    @Test
    void narrowInputsAndImagesAreKept() {
        ModelCard narrow = ModelCard.forFeatures("mlp:8", null, 64, 3);
        assertSame(narrow, JitWarmup.narrowed(narrow));
        ModelCard image = ModelCard.of("conv(4,3)-flatten-dense(3)", new int[]{1, 28, 28}, 3);
        assertSame(image, JitWarmup.narrowed(image));
    }

    @Test
    void syntheticDataFitsEachTask() {
        Dataset classes = JitWarmup.synthetic(ModelCard.forFeatures("mlp:8", null, 5, 3), 8);
        assertEquals(8, classes.size());
        assertEquals(5, classes.featureCount());
        for (int label : classes.labels()) assertTrue(label >= 0 && label < 3, "label " + label);
        Dataset values = JitWarmup.synthetic(ModelCard.forFeatures("mlp:8", null, 5, 2).withTask(Task.MULTILABEL), 8);
        Task.MULTILABEL.check(values);
        assertEquals(2, values.targets().width());
        Dataset none = JitWarmup.synthetic(ModelCard.forFeatures("mlp:8", null, 5, 5).withTask(Task.AUTOENCODE), 8);
        assertTrue(none.targets() instanceof Targets.None);
        for (float x : classes.features()) assertTrue(x >= 0f && x < 1f, "feature " + x);
    }
}
