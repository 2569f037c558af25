package dev.jgrad.cli;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.device.Device;
import dev.jgrad.device.Devices;
import dev.jgrad.data.Dataset;
import dev.jgrad.data.Datasets;
import dev.jgrad.data.Split;
import dev.jgrad.io.ModelCard;
import dev.jgrad.io.ModelFiles;
import dev.jgrad.nn.ModelSpec;
import dev.jgrad.optim.Adam;
import dev.jgrad.train.Trainer;
import dev.jgrad.train.TrainingListener;
import dev.jgrad.nn.Module;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Models cross to PyTorch and back: a model trained and saved by jgrad loads into a
 * {@code torch.nn.Sequential} of the same layers with {@code load_state_dict(strict=True)} and gives the
 * same logits and predictions on the digits test set, and a model saved from PyTorch loads into jgrad and
 * gives PyTorch's logits. Needs {@code /usr/bin/python3} with torch (Debian: {@code python3-torch});
 * skipped, saying so, without it.
 */
class PyTorchInteropTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final int HIDDEN = 32;
    private static final String CNN = "conv(4,3)-batchnorm-relu-maxpool(2)-flatten-dropout(0.25)-dense(10)";
    /** Float32 sums in a different order: differences of a few ulps of the logits' magnitude. */
    private static final float TOLERANCE = 1e-4f;

    @Test
    void modelsCrossBetweenJgradAndPyTorch(@TempDir Path dir) throws Exception {
        String missing = torchMissing();
        assumeTrue(missing == null, "PyTorch interop test skipped: " + missing + " (install python3-torch)");

        Path jgradFile = dir.resolve("jgrad.safetensors");
        CliRun train = CliRun.of("train", "--device", "cpu", "--data", "digits", "--model", "mlp:" + HIDDEN, "--epochs", "3",
                "--seed", "3", "--save", jgradFile.toString());
        assertEquals(0, train.exitCode(), train.err());

        Dataset test = Datasets.digits().test();
        writeFloats(dir.resolve("inputs.f32"), test.features());
        Path log = runPython(dir, "mlp:" + HIDDEN);

        try (Device cpu = Devices.open("cpu", line -> {})) {
            // jgrad -> PyTorch
            Module jgradNet = ModelFiles.load(jgradFile).model(cpu);
            float[] ours = logits(jgradNet, cpu, test);
            float[] torchOfOurs = readFloats(dir.resolve("torch_logits_of_jgrad.f32"));
            String there = compare("jgrad model in PyTorch", ours, torchOfOurs, test.size());

            // PyTorch -> jgrad, into a model given by the same spec as the CLI's
            Module fromTorch = ModelCard.forFeatures("mlp:" + HIDDEN, "relu", 64, 10).build();
            fromTorch.to(cpu, 99);
            ModelFiles.load(dir.resolve("torch.safetensors"), fromTorch);
            String back = compare("PyTorch model in jgrad", logits(fromTorch, cpu, test), readFloats(dir.resolve("torch_logits.f32")), test.size());
            System.out.printf("pytorch interop: %s; jgrad->torch: %s; torch->jgrad: %s%n", Files.readString(log).strip(), there, back);
        }

        // and the CLI starts training from the PyTorch file
        CliRun init = CliRun.of("train", "--device", "cpu", "--model", "mlp:" + HIDDEN, "--epochs", "1", "--init", dir.resolve("torch.safetensors").toString());
        assertEquals(0, init.exitCode(), init.err());
    }

    @Test
    void convolutionalModelWithBatchNormAndDropoutCrosses(@TempDir Path dir) throws Exception {
        String missing = torchMissing();
        assumeTrue(missing == null, "PyTorch interop test skipped: " + missing + " (install python3-torch)");
        Split data = Datasets.digits();
        ModelSpec spec = ModelSpec.parse(CNN, "relu");
        try (Device cpu = Devices.open("cpu", line -> {})) {
            // trained a little, so that the batch-norm running statistics are not their initial values
            Module net = spec.build(spec.inputShapeFor(64), 10).to(cpu, 2);
            new Trainer(net, new Adam(net.parameters(), 0.01f), cpu, 64, 2).fit(data.train(), null, 1, new TrainingListener() {});
            ModelFiles.save(dir.resolve("jgrad.safetensors"), net, Map.of());
            writeFloats(dir.resolve("inputs.f32"), data.test().features());
            Path log = runPython(dir, "cnn");

            String there = compare("jgrad CNN in PyTorch", logits(net, cpu, data.test()),
                    readFloats(dir.resolve("torch_logits_of_jgrad.f32")), data.test().size());
            Module fromTorch = spec.build(spec.inputShapeFor(64), 10).to(cpu, 7);
            ModelFiles.load(dir.resolve("torch.safetensors"), fromTorch);
            String back = compare("PyTorch CNN in jgrad", logits(fromTorch, cpu, data.test()),
                    readFloats(dir.resolve("torch_logits.f32")), data.test().size());
            System.out.printf("pytorch interop (%s): %s; jgrad->torch: %s; torch->jgrad: %s%n", CNN, Files.readString(log).strip(), there, back);
        }
    }

    private static Path runPython(Path dir, String arch) throws Exception {
        Path script = dir.resolve("torch_interop.py");
        if (!Files.exists(script)) {
            try (InputStream in = PyTorchInteropTest.class.getResourceAsStream("torch_interop.py")) {
                Files.copy(in, script);
            }
        }
        Path log = dir.resolve("python.log");
        Process p = new ProcessBuilder(PYTHON, script.toString(), dir.toString(), arch).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, p.exitValue(), "python failed:\n" + Files.readString(log));
        return log;
    }

    /** Asserts the logits agree to {@link #TOLERANCE} and every arg-max prediction agrees; returns the figures. */
    private static String compare(String what, float[] expected, float[] actual, int rows) {
        assertEquals(expected.length, actual.length, what + ": number of logits");
        float worst = 0;
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        assertTrue(worst <= TOLERANCE, what + ": logits differ by up to " + worst);
        int classes = expected.length / rows;
        int agree = 0;
        for (int r = 0; r < rows; r++) if (argmax(expected, r, classes) == argmax(actual, r, classes)) agree++;
        assertEquals(rows, agree, what + ": predictions differ");
        return agree + "/" + rows + " predictions equal, max |logit difference| " + worst;
    }

    private static int argmax(float[] z, int row, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) if (z[row * classes + c] > z[row * classes + best]) best = c;
        return best;
    }

    private static float[] logits(Module net, Device dev, Dataset data) {
        net.eval();
        try (GradMode g = GradMode.noGrad(); Scope s = Scope.open()) {
            return net.forward(Tensor.of(dev, data.features(), data.size(), data.featureCount())).toArray();
        }
    }

    private static String torchMissing() {
        if (!Files.isExecutable(Path.of(PYTHON))) return PYTHON + " not found";
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch, numpy").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "'import torch' took over 60 s";
            }
            return p.exitValue() == 0 ? null : "'" + PYTHON + " -c \"import torch\"' failed: " + out.strip().lines().reduce((a, b) -> b).orElse("");
        } catch (Exception e) {
            return "cannot run " + PYTHON + ": " + e.getMessage();
        }
    }

    private static void writeFloats(Path file, float[] values) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        Files.write(file, b.array());
    }

    private static float[] readFloats(Path file) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }
}
