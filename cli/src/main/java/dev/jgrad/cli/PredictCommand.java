package dev.jgrad.cli;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.device.Device;
import dev.jgrad.data.CsvReader;
import dev.jgrad.data.Dataset;
import dev.jgrad.data.IdxReader;
import dev.jgrad.nn.Module;
import dev.jgrad.internal.DeviceMemory;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code jgrad predict}: runs a saved model on the examples of a file and prints one line per example, the
 * predicted class (or the logits). The file is an IDX image file (MNIST format) or a CSV file in the
 * training format (features, then the label, which is used only to report the accuracy on stderr).
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Predict the class of every example in INPUT (IDX images, or CSV of features then label) with a saved model.")
final class PredictCommand implements Callable<Integer> {
    private static final int BATCH = 1000;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The saved model (.safetensors).")
    Path model;

    @Parameters(index = "0", paramLabel = "INPUT", description = "IDX image file (plain or gzipped) or CSV file.")
    Path input;

    @Option(names = "--logits", description = "Print each example's logits (comma-separated) instead of its class.")
    boolean logits;

    @Mixin
    DeviceOptions deviceOptions = new DeviceOptions();

    @Override
    public Integer call() throws Exception {
        deviceOptions.validate();
        SavedModel.Loaded saved = SavedModel.read(model);
        Examples ex = readExamples(input);
        ModelInputs.check(saved.description(), ex.features, ex.labels, input.toString());
        PrintStream out = System.out;
        int correct = 0;
        try (Device dev = deviceOptions.open(line -> {}); GradMode g = GradMode.noGrad()) {
            Module net = saved.instantiate(dev);
            net.eval();
            StringBuilder line = new StringBuilder();
            for (int from = 0; from < ex.count; from += BATCH) {
                int rows = Math.min(BATCH, ex.count - from);
                try (Scope scope = Scope.open()) {
                    float[] x = new float[rows * ex.features];
                    System.arraycopy(ex.values, from * ex.features, x, 0, x.length);
                    float[] z = net.forward(Tensor.of(dev, x, rows, ex.features)).toArray();
                    int classes = z.length / rows;
                    for (int r = 0; r < rows; r++) {
                        int best = 0;
                        for (int c = 1; c < classes; c++) if (z[r * classes + c] > z[r * classes + best]) best = c;
                        if (ex.labels != null && best == ex.labels[from + r]) correct++;
                        line.setLength(0);
                        if (logits) {
                            for (int c = 0; c < classes; c++) line.append(c == 0 ? "" : ",").append(z[r * classes + c]);
                        } else {
                            line.append(best);
                        }
                        out.println(line);
                    }
                }
            }
            DeviceMemory.release(dev);
        }
        if (ex.labels != null && ex.count > 0) {
            System.err.printf(Locale.ROOT, "accuracy %.2f%% on %d labelled examples%n", 100.0 * correct / ex.count, ex.count);
        }
        return 0;
    }

    private record Examples(int count, int features, float[] values, int[] labels) {}

    private static Examples readExamples(Path file) throws IOException {
        if (isIdx(file)) {
            IdxReader.Images images = IdxReader.readImages(file);
            return new Examples(images.count(), images.rows() * images.columns(), images.pixels(), null);
        }
        Dataset d = CsvReader.read(file);
        return new Examples(d.size(), d.featureCount(), d.features(), d.labels());
    }

    /** IDX by the image magic number, or (gzipped) by the MNIST file name. */
    private static boolean isIdx(Path file) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        }
        if (n == 4 && head[0] == 0 && head[1] == 0 && head[2] == 8 && head[3] == 3) return true;
        boolean gzip = n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
        return gzip && String.valueOf(file.getFileName()).contains("idx");
    }
}
