package dev.jgrad.cli;

import dev.jgrad.data.Dataset;
import dev.jgrad.data.Datasets;
import dev.jgrad.io.Checkpoints;
import dev.jgrad.io.HostArray;
import dev.jgrad.io.Safetensors;
import dev.jgrad.io.SafetensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --save/--init/--checkpoint-dir/--resume}, {@code eval} and {@code predict} through the CLI. */
class ModelFileCommandsTest {
    private static final Pattern FINAL_ACCURACY = Pattern.compile("epoch 2: .*test accuracy ([0-9.]+)%");

    private static void assertBadInput(CliRun r, String... fragments) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertEquals(1, r.errLines(), "one line: " + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        for (String f : fragments) assertTrue(r.err().contains(f), "'" + f + "' not in: " + r.err());
    }

    @Test
    void savedModelEvaluatesAndPredictsWithoutRepeatingFlags(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.safetensors");
        CliRun train = CliRun.of("train", "--device", "cpu", "--model", "mlp:48", "--activation", "tanh", "--epochs", "2",
                "--optimizer", "momentum", "--lr", "0.1", "--save", model.toString());
        assertEquals(0, train.exitCode(), train.err());
        Matcher m = FINAL_ACCURACY.matcher(train.out());
        assertTrue(m.find(), train.out());
        String accuracy = m.group(1);

        SafetensorsFile f = Safetensors.read(model);
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(f.tensors().keySet()));
        assertEquals("mlp:48", f.metadata().get("jgrad.model"));
        assertEquals("tanh", f.metadata().get("jgrad.activation"));
        assertEquals("64", f.metadata().get("jgrad.input_shape"));
        assertEquals("10", f.metadata().get("jgrad.outputs"));
        assertEquals("classify", f.metadata().get("jgrad.task"));
        assertTrue(f.metadata().get("jgrad.config").contains("\"optimizer\":\"momentum\""), f.metadata().get("jgrad.config"));

        CliRun eval = CliRun.of("eval", "--device", "cpu", "--model", model.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        assertTrue(eval.out().contains("accuracy " + accuracy + "%"), "eval must reproduce the training run's " + accuracy + "%:\n" + eval.out());
        assertTrue(eval.out().contains("precision") && eval.out().contains("confusion matrix (rows: actual, columns: predicted)"),
                "eval prints per-class metrics and the confusion matrix:\n" + eval.out());

        // predict on the test split written as CSV (features, then label)
        Dataset test = Datasets.digits().test();
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < test.size(); i++) {
            for (int j = 0; j < test.featureCount(); j++) csv.append(test.features()[i * test.featureCount() + j] * 16).append(',');
            csv.append(test.labels()[i]).append('\n');
        }
        Path input = dir.resolve("test.csv");
        Files.writeString(input, csv);
        CliRun predict = CliRun.of("predict", "--device", "cpu", "--model", model.toString(), input.toString());
        assertEquals(0, predict.exitCode(), predict.err());
        assertEquals(test.size(), predict.out().lines().count());
        assertTrue(predict.out().lines().allMatch(l -> l.matches("[0-9]")), predict.out());
        assertTrue(predict.err().contains(String.format(Locale.ROOT, "accuracy %s%% on %d", accuracy, test.size())), predict.err());
        CliRun logits = CliRun.of("predict", "--device", "cpu", "--logits", "--model", model.toString(), input.toString());
        assertEquals(10, logits.out().lines().findFirst().orElseThrow().split(",").length);

        // --init starts from the saved weights: zero further learning shows the same accuracy at epoch 1
        CliRun init = CliRun.of("train", "--device", "cpu", "--model", "mlp:48", "--activation", "tanh", "--epochs", "1",
                "--optimizer", "sgd", "--lr", "1e-30", "--init", model.toString());
        assertEquals(0, init.exitCode(), init.err());
        assertTrue(init.out().contains("test accuracy " + accuracy + "%"), init.out());
    }

    private static byte[] idx(int magic, int[] dims, byte[] data) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + 4 * dims.length + data.length).putInt(magic);
        for (int d : dims) b.putInt(d);
        return b.put(data).array();
    }

    @Test
    void predictReadsIdxImagesWithTheTrainingScaling(@TempDir Path dir) throws Exception {
        // 4x4 images whose class is the brighter half (left 0, right 1)
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        int[] counts = {400, 100};
        String[] names = {"train", "t10k"};
        int[] testLabels = null;
        for (int s = 0; s < 2; s++) {
            byte[] pixels = new byte[counts[s] * 16];
            byte[] labels = new byte[counts[s]];
            for (int i = 0; i < counts[s]; i++) {
                int label = rng.nextInt(2);
                labels[i] = (byte) label;
                for (int p = 0; p < 16; p++) {
                    boolean bright = (p % 4 < 2) == (label == 0);
                    pixels[i * 16 + p] = (byte) (bright ? 128 + rng.nextInt(128) : rng.nextInt(128));
                }
            }
            Files.write(dir.resolve(names[s] + "-images-idx3-ubyte"), idx(0x803, new int[] {counts[s], 4, 4}, pixels));
            Files.write(dir.resolve(names[s] + "-labels-idx1-ubyte"), idx(0x801, new int[] {counts[s]}, labels));
            if (s == 1) {
                testLabels = new int[counts[s]];
                for (int i = 0; i < counts[s]; i++) testLabels[i] = labels[i];
            }
        }
        Path model = dir.resolve("idx.safetensors");
        CliRun train = CliRun.of("train", "--device", "cpu", "--data", dir.toString(), "--model", "mlp:8", "--epochs", "10", "--lr", "0.01",
                "--save", model.toString());
        assertEquals(0, train.exitCode(), train.err());
        CliRun eval = CliRun.of("eval", "--device", "cpu", "--model", model.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        Matcher m = Pattern.compile("accuracy ([0-9.]+)%").matcher(eval.out());
        assertTrue(m.find(), eval.out());
        CliRun predict = CliRun.of("predict", "--device", "cpu", "--model", model.toString(), dir.resolve("t10k-images-idx3-ubyte").toString());
        assertEquals(0, predict.exitCode(), predict.err());
        List<String> lines = predict.out().lines().toList();
        assertEquals(testLabels.length, lines.size());
        int correct = 0;
        for (int i = 0; i < lines.size(); i++) if (Integer.parseInt(lines.get(i)) == testLabels[i]) correct++;
        assertEquals(m.group(1), String.format(Locale.ROOT, "%.2f", 100.0 * correct / lines.size()), "predict and eval disagree");
        assertTrue(correct > 80, "the model should learn the brighter half: " + correct + "/100");
    }

    @Test
    void badModelFilesAndFlagsAreOneLineErrors(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.safetensors");
        assertEquals(0, CliRun.of("train", "--device", "cpu", "--model", "mlp:8", "--epochs", "1", "--save", model.toString()).exitCode());

        assertBadInput(CliRun.of("eval", "--model", dir.resolve("missing.safetensors").toString()), "missing.safetensors");
        Path garbage = dir.resolve("garbage.safetensors");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        assertBadInput(CliRun.of("eval", "--model", garbage.toString()), "garbage.safetensors", "header");
        assertBadInput(CliRun.of("predict", "--model", garbage.toString(), garbage.toString()), "garbage.safetensors");

        // weights of another architecture
        assertBadInput(CliRun.of("train", "--device", "cpu", "--model", "mlp:9", "--epochs", "1", "--init", model.toString()),
                "does not fit", "0.weight is [8, 64] in the file but [9, 64]");

        // a file without jgrad's metadata cannot be evaluated alone
        Map<String, HostArray> bare = new LinkedHashMap<>(Safetensors.read(model).tensors());
        Path plain = dir.resolve("plain.safetensors");
        Safetensors.write(plain, bare, Map.of());
        assertBadInput(CliRun.of("eval", "--model", plain.toString()), "no jgrad metadata", "--init");

        // metadata that claims a huge model is refused before anything is allocated
        Map<String, String> meta = new LinkedHashMap<>(Safetensors.read(model).metadata());
        meta.put("jgrad.model", "mlp:2000000000");
        Path liar = dir.resolve("liar.safetensors");
        Safetensors.write(liar, bare, meta);
        CliRun lie = CliRun.of("eval", "--device", "cpu", "--model", liar.toString());
        assertEquals(2, lie.exitCode(), lie.err());
        assertEquals(1, lie.errLines(), lie.err());

        // a CSV whose rows do not fit the model
        Path csv = dir.resolve("small.csv");
        Files.writeString(csv, "1,2,3,0\n4,5,6,1\n");
        assertBadInput(CliRun.of("predict", "--device", "cpu", "--model", model.toString(), csv.toString()), "3 features", "takes 64");

        assertBadInput(CliRun.of("train", "--checkpoint-every", "5"), "--checkpoint-dir");
        assertBadInput(CliRun.of("train", "--resume", dir.resolve("nothing").toString()), "no checkpoint");
        assertBadInput(CliRun.of("train", "--init", model.toString(), "--resume", dir.toString()), "cannot be combined");
    }

    @Test
    void resumeTakesTheCheckpointsOptionsAndRefusesConflictingOnes(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("ckpt");
        CliRun first = CliRun.of("train", "--device", "cpu", "--model", "mlp:16", "--epochs", "1", "--batch", "64", "--seed", "4",
                "--checkpoint-dir", ckpt.toString());
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(Checkpoints.exists(ckpt));

        assertBadInput(CliRun.of("train", "--device", "cpu", "--resume", ckpt.toString(), "--batch", "32"),
                "started with --batch 64", "leave --batch out");

        Path out = dir.resolve("final.safetensors");
        CliRun resumed = CliRun.of("train", "--device", "cpu", "--resume", ckpt.toString(), "--epochs", "2", "--batch", "64",
                "--save", out.toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("resuming") && resumed.out().contains("epoch 2:"), resumed.out());
        assertTrue(resumed.out().contains("mlp") || resumed.out().contains("linear(64->16)"), resumed.out());

        Path straight = dir.resolve("straight.safetensors");
        assertEquals(0, CliRun.of("train", "--device", "cpu", "--model", "mlp:16", "--epochs", "2", "--batch", "64", "--seed", "4",
                "--save", straight.toString()).exitCode());
        assertEquals(Safetensors.read(straight).tensors(), Safetensors.read(out).tensors(), "resumed weights differ from a straight run");

        // a checkpoint is a model file too
        CliRun eval = CliRun.of("eval", "--device", "cpu", "--model", Checkpoints.file(ckpt).toString());
        assertEquals(0, eval.exitCode(), eval.err());
        assertTrue(eval.out().contains("linear(64->16)"), eval.out());
    }

    @Test
    void divergenceStopsTheCliWithOneLineAndKeepsTheCheckpoint(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("ckpt");
        CliRun r = CliRun.of("train", "--device", "cpu", "--model", "mlp:16", "--epochs", "3", "--optimizer", "sgd", "--lr", "1e30",
                "--checkpoint-dir", ckpt.toString(), "--checkpoint-every", "1");
        assertEquals(2, r.exitCode(), "divergence is the settings' fault, not an internal failure: " + r.out() + r.err());
        assertEquals(1, r.errLines(), r.err());
        assertTrue(r.err().contains("training diverged at step") && r.err().contains("weight"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        if (Checkpoints.exists(ckpt)) {
            assertTrue(r.err().contains("last good checkpoint"), r.err());
            assertEquals(null, dev.jgrad.io.StateDicts.firstNonFinite(Checkpoints.read(ckpt).model()));
        } else {
            assertTrue(r.err().contains("no checkpoint was written"), r.err());
        }
    }
}
