package dev.jgrad.cpu;

import dev.jgrad.device.Devices;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.autograd.GradMode;
import dev.jgrad.device.Device;
import dev.jgrad.data.CsvReader;
import dev.jgrad.data.DataFormatException;
import dev.jgrad.data.Normalization;
import dev.jgrad.data.Standardizer;
import dev.jgrad.io.HostArray;
import dev.jgrad.io.ModelCard;
import dev.jgrad.io.ModelFiles;
import dev.jgrad.io.NoModelCardException;
import dev.jgrad.io.Safetensors;
import dev.jgrad.io.SavedModel;
import dev.jgrad.nn.Module;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;
import dev.jgrad.train.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Models saved with their cards and rebuilt from the file alone, including files written by the first CLI. */
class ModelFilesTest {
    private static Device d;

    @BeforeAll
    static void open() {
        d = Devices.open(new CpuBackend(), 0, DeviceConfig.standard());
    }

    @AfterAll
    static void close() {
        d.close();
    }

    /**
     * The first CLI's files (see legacy/README.md) load through the library alone, with the card it implied,
     * and give the logits that CLI printed for the same inputs. The tolerance, 1e-5 + 1e-5*|logit|, leaves
     * room for later CPU kernels that round differently; today's give the printed values exactly.
     */
    @Test
    void filesWrittenByTheFirstCliLoadWithTheirCards() throws Exception {
        SavedModel mlp = ModelFiles.load(resource("mlp-v1.safetensors"));
        assertEquals(ModelCard.of("mlp:16", new int[]{64}, 10).architecture(), mlp.card().architecture());
        assertEquals("tanh", mlp.card().activation());
        assertEquals(Task.CLASSIFY, mlp.card().task());
        assertArrayEquals(new int[]{64}, mlp.card().inputShape());
        assertEquals(10, mlp.card().outputs());
        assertEquals("digits", mlp.card().training().get("data"));
        assertEquals(2, ((Number) mlp.card().training().get("epochs")).intValue());
        assertLogits(mlp, "mlp-v1.logits");

        SavedModel conv = ModelFiles.load(resource("conv-v1.safetensors"));
        assertArrayEquals(new int[]{1, 8, 8}, conv.card().inputShape(), "64 features of a network starting with conv: 1x8x8 images");
        assertEquals(List.of("1.weight", "1.bias", "3.weight", "3.bias", "3.running_mean", "3.running_var", "7.weight", "7.bias"),
                List.copyOf(conv.model(d).stateDict().keySet()));
        assertLogits(conv, "conv-v1.logits");
    }

    @Test
    void cardAndWeightsComeBackAsSaved(@TempDir Path dir) throws Exception {
        Normalization in = new Normalization(Standardizer.fit(rows(20, 64, 3), 64), null);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("optimizer", "adam");
        training.put("lr", 0.001);
        training.put("epochs", 3);
        training.put("shuffle", true);
        ModelCard card = ModelCard.of("conv(4,3,1,same)-bn-relu-maxpool(2)-flatten-dense(12)-gelu-dropout(0.2)-dense(10)",
                new int[]{1, 8, 8}, 10).withNormalization(in).withTraining(training);
        Module net = card.build().to(d, 4);
        Path file = dir.resolve("m.safetensors");
        ModelFiles.save(net, card, file);

        SavedModel saved = ModelFiles.load(file);
        assertEquals(card, saved.card());
        assertEquals(in, saved.card().normalization(), "the standardisation survives exactly");
        Module again = saved.model(d);
        float[] x = rows(5, 64, 9);
        assertArrayEquals(outputs(net.eval(), x), outputs(again.eval(), x), "same weights, same outputs, bit for bit");
    }

    @Test
    void aModelThatIsNotTheCardsArchitectureIsNotSaved(@TempDir Path dir) {
        Module net = ModelCard.of("mlp:8", new int[]{64}, 10).build().to(d, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFiles.save(net, ModelCard.of("mlp:9", new int[]{64}, 10), dir.resolve("m.safetensors")));
        assertTrue(e.getMessage().contains("linear(64->8)") && e.getMessage().contains("linear(64->9)"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("m.safetensors")));
    }

    @Test
    void filesThatDoNotFitTheirCardOrHaveNoneAreRefusedBeforeAllocating(@TempDir Path dir) throws Exception {
        Module net = ModelCard.of("mlp:8", new int[]{64}, 10).build().to(d, 1);
        Path good = dir.resolve("good.safetensors");
        ModelFiles.save(net, ModelCard.of("mlp:8", new int[]{64}, 10), good);
        Map<String, HostArray> weights = Safetensors.read(good).tensors();

        // a card claiming a model of 128 billion weights over a file of a few hundred
        Map<String, String> meta = new LinkedHashMap<>(Safetensors.read(good).metadata());
        meta.put("jgrad.model", "mlp:2000000000");
        Path liar = dir.resolve("liar.safetensors");
        Safetensors.write(liar, weights, meta);
        DataFormatException e = assertThrows(DataFormatException.class, () -> ModelFiles.load(liar));
        assertTrue(e.getMessage().contains("liar.safetensors") && e.getMessage().contains("does not fit"), e.getMessage());

        Path plain = dir.resolve("plain.safetensors");
        Safetensors.write(plain, weights, Map.of());
        NoModelCardException none = assertThrows(NoModelCardException.class, () -> ModelFiles.load(plain));
        assertTrue(none.getMessage().contains("ModelFiles.load(file, model)"), none.getMessage());

        meta = new LinkedHashMap<>(Safetensors.read(good).metadata());
        meta.put("jgrad.format", "3");
        Path future = dir.resolve("future.safetensors");
        Safetensors.write(future, weights, meta);
        e = assertThrows(DataFormatException.class, () -> ModelFiles.load(future));
        assertTrue(e.getMessage().contains("format 3 is not supported"), e.getMessage());
    }

    private static void assertLogits(SavedModel saved, String expectedFile) throws Exception {
        float[] x = CsvReader.read(resource("inputs.csv")).features();      // as predict read it (scaled to [0, 1])
        List<String> lines = Files.readAllLines(resource(expectedFile));
        float[] expected = new float[lines.size() * 10];
        for (int r = 0; r < lines.size(); r++) {
            String[] cells = lines.get(r).split(",");
            for (int c = 0; c < 10; c++) expected[r * 10 + c] = Float.parseFloat(cells[c]);
        }
        float[] got = outputs(saved.model(d).eval(), x);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 1e-5 + 1e-5 * Math.abs(expected[i]), expectedFile + " logit " + i + ": " + Arrays.toString(got));
        }
    }

    private static float[] outputs(Module net, float[] x) {
        try (Scope s = Scope.open(); GradMode g = GradMode.noGrad()) {
            return net.forward(Tensor.of(d, x, x.length / 64, 64)).toArray();
        }
    }

    private static float[] rows(int n, int width, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * width];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 16);
        return x;
    }

    private static Path resource(String name) throws Exception {
        return Path.of(ModelFilesTest.class.getResource("legacy/" + name).toURI());
    }
}
