package dev.jgrad.cli;

import dev.jgrad.data.CsvReader;
import dev.jgrad.data.Dataset;
import dev.jgrad.data.FileKind;
import dev.jgrad.data.IdxReader;
import dev.jgrad.data.Targets;
import dev.jgrad.device.Device;
import dev.jgrad.io.ModelCard;
import dev.jgrad.io.SavedModel;
import dev.jgrad.metrics.MultiLabelMetrics;
import dev.jgrad.metrics.RegressionMetrics;
import dev.jgrad.nn.Module;
import dev.jgrad.train.Prediction;
import dev.jgrad.train.Predictor;
import dev.jgrad.train.Task;
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
 * {@code jgrad predict}: runs a saved model on the examples of a file and prints one line per example, what its
 * task produces: the class (or the logits, or probabilities), the 0/1 answers of a multi-label model, the values
 * of a regression in the targets' original units, or an autoencoder's reconstruction. The file is an IDX image
 * file (MNIST format) or a CSV file, either with the columns of the training data (its targets are then used only
 * to report the model's metrics on stderr) or with the features only.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Predict every example in INPUT (IDX images, or CSV as for training, with or without the target columns) with a saved model.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The saved model (.safetensors).")
    Path model;

    @Parameters(index = "0", paramLabel = "INPUT", description = "IDX image file (plain or gzipped) or CSV file.")
    Path input;

    @Option(names = "--logits", description = "Classifiers and multi-label models: print each example's logits (comma-separated).")
    boolean logits;

    @Option(names = "--probabilities", description = "Classifiers and multi-label models: print each example's probabilities (softmax, or one sigmoid per label).")
    boolean probabilities;

    @Option(names = "--save-reconstructions", paramLabel = "FILE.png",
            description = "Autoencoders on square images: write a PNG grid of the first inputs beside their reconstructions.")
    Path reconstructions;

    @Mixin
    DeviceOptions deviceOptions = new DeviceOptions();

    @Override
    public Integer call() throws Exception {
        deviceOptions.validate();
        if (logits && probabilities) throw new IllegalArgumentException("--logits and --probabilities cannot be combined");
        SavedModel saved = CardFlags.read(model);
        TaskSetup setup = CardFlags.setup(saved);
        Task task = setup.task();
        if ((logits || probabilities) && task != Task.CLASSIFY && task != Task.MULTILABEL) {
            throw new Errors.UserInputException((logits ? "--logits" : "--probabilities") + " is for classifiers; " + model + " was trained to "
                    + task.label());
        }
        if (reconstructions != null && task != Task.AUTOENCODE) {
            throw new Errors.UserInputException("--save-reconstructions is for autoencoders; " + model + " was trained to " + task.label());
        }
        Dataset ex = readExamples(input, setup, saved.card());
        if (ex.targets().kind() == Targets.Kind.NONE) {
            ModelInputs.check(saved.card(), ex.featureCount(), null, input.toString());
        } else {
            ModelInputs.check(saved.card(), task, ex, input.toString());
        }
        Prediction p;
        try (Device dev = deviceOptions.open(line -> {})) {
            Module net = saved.model(dev);
            p = new Predictor(net, dev, task, saved.card().normalization()).predict(ex.features(), ex.size());
        }
        print(p, System.out);
        report(p, ex);
        if (reconstructions != null) {
            int drawn = ReconstructionGrid.write(reconstructions, ex.features(), p.outputs(), ex.size(), ex.featureCount());
            System.err.printf(Locale.ROOT, "wrote %d inputs beside their reconstructions to %s%n", drawn, reconstructions);
        }
        return 0;
    }

    private void print(Prediction p, PrintStream out) {
        int[] classes = p.task() == Task.CLASSIFY && !logits && !probabilities ? p.classes() : null;
        float[][] probs = probabilities ? p.probabilities() : null;
        boolean[][] answers = p.task() == Task.MULTILABEL && !logits && !probabilities ? p.labels() : null;
        StringBuilder line = new StringBuilder();
        for (int r = 0; r < p.rows(); r++) {
            line.setLength(0);
            if (classes != null) {
                line.append(classes[r]);
            } else if (probs != null) {
                for (int j = 0; j < p.width(); j++) line.append(j == 0 ? "" : ",").append(probs[r][j]);
            } else if (answers != null) {
                for (int j = 0; j < p.width(); j++) line.append(j == 0 ? "" : ",").append(answers[r][j] ? 1 : 0);
            } else {
                for (int j = 0; j < p.width(); j++) line.append(j == 0 ? "" : ",").append(p.outputs()[r * p.width() + j]);
            }
            out.println(line);
        }
    }

    /** With targets in the input: the model's main figures on them, on stderr (stdout stays one line per example). */
    private static void report(Prediction p, Dataset ex) {
        switch (p.task()) {
            case CLASSIFY -> {
                if (!(ex.targets() instanceof Targets.Classes c) || ex.size() == 0) return;
                int[] best = p.classes();
                int correct = 0;
                for (int i = 0; i < best.length; i++) if (best[i] == c.labels()[i]) correct++;
                System.err.printf(Locale.ROOT, "accuracy %.2f%% on %d labelled examples%n", 100.0 * correct / ex.size(), ex.size());
            }
            case MULTILABEL -> {
                if (!(ex.targets() instanceof Targets.Values v)) return;
                MultiLabelMetrics m = new MultiLabelMetrics(v.width());
                m.addLogits(v.values(), p.outputs(), p.rows());
                System.err.printf(Locale.ROOT, "exact match %.4f, micro f1 %.4f on %d labelled examples%n", m.exactMatch(), m.microF1(), ex.size());
            }
            case REGRESS -> {
                if (!(ex.targets() instanceof Targets.Values v)) return;
                RegressionMetrics m = RegressionMetrics.of(v.width(), v.values(), p.outputs());
                System.err.printf(Locale.ROOT, "rmse %.6g, mae %.6g, r2 %.4f on %d examples with targets%n", m.rmse(), m.mae(), m.r2(), ex.size());
            }
            case AUTOENCODE -> {
                RegressionMetrics m = RegressionMetrics.of(ex.featureCount(), ex.features(), p.outputs());
                System.err.printf(Locale.ROOT, "reconstruction mse %.6g on %d examples%n", m.mse(), ex.size());
            }
        }
    }

    /**
     * IDX images, or a CSV file: with only the model's features per row it is read as features, else with the
     * training data's layout (its label or target columns).
     */
    private static Dataset readExamples(Path file, TaskSetup setup, ModelCard card) throws IOException {
        int inputs = card.features();
        FileKind.requireRegularFile(file);   // a FIFO would block the check below forever
        if (isIdx(file)) {
            IdxReader.Images images = IdxReader.readImages(file);
            int features = images.rows() * images.columns();
            int[] shape = card.inputShape();
            // an image model takes images of one shape: the same pixel count in another shape would be silently wrong
            if (shape.length == 3 && features == inputs && (images.rows() != shape[1] || images.columns() != shape[2])) {
                throw new Errors.UserInputException(file + ": images of " + images.rows() + "×" + images.columns()
                        + " pixels, but the model takes " + shape[1] + "×" + shape[2] + " images");
            }
            return new Dataset(String.valueOf(file.getFileName()), images.pixels(), images.count(), features, new Targets.None());
        }
        Dataset all = CsvReader.read(file, dev.jgrad.data.CsvFormat.featuresOnly().scaled(setup.csvFormat().scaleFeatures()));
        if (all.featureCount() == inputs || setup.task() == Task.AUTOENCODE) return all;
        return CsvReader.read(file, setup.csvFormat());
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
