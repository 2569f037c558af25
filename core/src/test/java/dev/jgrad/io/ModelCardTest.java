package dev.jgrad.io;

import dev.jgrad.data.Normalization;
import dev.jgrad.data.Standardizer;
import dev.jgrad.train.Task;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelCardTest {
    @Test
    void metadataRoundTripsEveryField() {
        Standardizer in = new Standardizer(new float[]{0.1f, -3.3333333f, 1e-7f, 12345.679f}, new float[]{1f, 0.3f, 2.5e-3f, 7f});
        Standardizer out = new Standardizer(new float[]{0.5f, 1.5f, 2.5f}, new float[]{1f, 2f, 3f});
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("data", "digits");
        training.put("lr", 0.05);
        training.put("batch", 32);
        training.put("tf32", false);
        ModelCard card = new ModelCard("dense(8)-tanh-dense(3)", null, Task.REGRESS, new int[]{4}, 3, new Normalization(in, out), training);
        Map<String, String> meta = card.toMetadata();
        assertEquals("2", meta.get("jgrad.format"));
        assertEquals("linear(4->8) -> tanh -> linear(8->3)", meta.get("jgrad.architecture"));
        ModelCard back = ModelCard.fromMetadata(meta);
        assertEquals(card, back);
        assertArrayEquals(in.mean(), back.normalization().features().mean(), "floats survive the metadata bit for bit");
        assertEquals(Task.REGRESS, back.task());
        assertEquals("relu", back.activation(), "no activation given: the mlp form's default");
    }

    @Test
    void theFirstFormatReadsWithTheShapeInferredFromItsFeatureCount() {
        Map<String, String> meta = Map.of("jgrad.format", "1", "jgrad.model", "conv(4,3)-relu-flatten-dense(10)", "jgrad.activation", "relu",
                "jgrad.inputs", "784", "jgrad.classes", "10", "jgrad.config", "{\"epochs\":2,\"weight-decay\":0.0}");
        ModelCard card = ModelCard.fromMetadata(meta);
        assertArrayEquals(new int[]{1, 28, 28}, card.inputShape());
        assertEquals(10, card.outputs());
        assertEquals(Task.CLASSIFY, card.task());
        assertEquals(Map.of("epochs", 2, "weight-decay", 0.0), card.training());
        assertEquals(Normalization.NONE, card.normalization());
    }

    @Test
    void badCardsNameTheEntryAndTheProblem() {
        Map<String, String> good = ModelCard.of("mlp:4", new int[]{6}, 2).toMetadata();
        assertProblem(good, "jgrad.outputs", "zero", "jgrad.outputs = \"zero\" is not a positive integer");
        assertProblem(good, "jgrad.input_shape", "6,x", "is not a list of positive integers");
        assertProblem(good, "jgrad.input_shape", "2,3", "input shape must be [features] or [channels, height, width]");
        assertProblem(good, "jgrad.task", "cluster", "unknown task 'cluster'");
        assertProblem(good, "jgrad.model", "mlp:4-", "positive integer");
        assertProblem(good, "jgrad.model", "conv(4,3)-flatten-dense(2)", "needs images");
        assertProblem(good, "jgrad.config", "[1,2]", "jgrad.config is not a JSON object");
        Map<String, String> scaled = new LinkedHashMap<>(good);
        scaled.put("jgrad.standardize.features.std", "1");
        assertProblem(scaled, "jgrad.standardize.features.mean", "1", "1 columns but the model takes 6");
        assertProblem(scaled, "jgrad.standardize.features.mean", "1,x", "is not a number");
        Map<String, String> missing = new LinkedHashMap<>(good);
        missing.remove("jgrad.task");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCard.fromMetadata(missing));
        assertTrue(e.getMessage().contains("jgrad.task is missing"), e.getMessage());
        assertFalse(ModelCard.isIn(Map.of("k", "v")));
    }

    @Test
    void trainingOptionsMustBeFlatValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelCard.of("mlp", new int[]{4}, 2).withTraining(Map.of("layers", new int[]{1})));
        assertTrue(e.getMessage().contains("training option 'layers'"), e.getMessage());
    }

    private static void assertProblem(Map<String, String> good, String key, String value, String expected) {
        Map<String, String> meta = new LinkedHashMap<>(good);
        meta.put(key, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCard.fromMetadata(meta), key + "=" + value);
        assertTrue(e.getMessage().contains(expected), key + "=" + value + ": " + e.getMessage());
    }
}
