package dev.jgrad.cli;

import dev.jgrad.data.Dataset;
import dev.jgrad.data.Datasets;
import dev.jgrad.data.Split;
import dev.jgrad.device.Device;
import dev.jgrad.io.SavedModel;
import dev.jgrad.nn.Module;
import dev.jgrad.train.Evaluation;
import dev.jgrad.train.Prediction;
import dev.jgrad.train.Predictor;
import dev.jgrad.train.Task;
import dev.jgrad.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code jgrad eval}: the loss and the task's metrics of a saved model on a dataset's test split (by default the one
 * it was trained on, read as it was for training), in the data's original units.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a model saved by 'jgrad train --save' (or a checkpoint) on a dataset's test split.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The saved model (.safetensors).")
    Path model;

    @Option(names = "--data", paramLabel = "DATA", description = "Dataset, as for train (default: the one the model was trained on).")
    String data;

    @Option(names = "--split", defaultValue = "test", description = "test (default) or train.")
    String split;

    @Option(names = "--save-reconstructions", paramLabel = "FILE.png",
            description = "Autoencoders on square images: write a PNG grid of the first inputs beside their reconstructions.")
    Path reconstructions;

    @Mixin
    DeviceOptions deviceOptions = new DeviceOptions();

    @Override
    public Integer call() throws Exception {
        if (!split.equals("test") && !split.equals("train")) throw new IllegalArgumentException("--split must be test or train, got '" + split + "'");
        deviceOptions.validate();
        SavedModel saved = CardFlags.read(model);
        TaskSetup setup = CardFlags.setup(saved);
        Task task = setup.task();
        if (reconstructions != null && task != Task.AUTOENCODE) {
            throw new Errors.UserInputException("--save-reconstructions is for autoencoders; " + model + " was trained to " + task.label());
        }
        String spec = data != null ? data : saved.card().training().get("data") instanceof String s ? s : null;
        if (spec == null) throw new Errors.UserInputException(model + ": does not say what data it was trained on; give --data");
        Split both = Datasets.load(spec, setup.csvFormat(), saved.card().task() == Task.CLASSIFY ? saved.card().outputs() : 0);
        Dataset set = split.equals("test") ? both.test() : both.train();
        ModelInputs.check(saved.card(), task, set, spec);
        try (Device dev = deviceOptions.open(line -> {})) {
            Module net = saved.model(dev);
            Evaluation e = Trainer.evaluate(net, dev, set, task, setup.lossFunction(), saved.card().normalization());
            System.out.printf(Locale.ROOT, "model: %s (%s)%n", model, net.describe());
            if (task == Task.CLASSIFY) {
                System.out.printf(Locale.ROOT, "%s %s: %d examples, loss %.4f, accuracy %.2f%%%n", spec, split, set.size(), e.loss(), 100 * e.accuracy());
            } else {
                System.out.printf(Locale.ROOT, "%s %s: %d examples, task %s, loss %.6g (%s%s)%n", spec, split, set.size(), task.label(), e.loss(),
                        setup.lossFunction().name(), saved.card().normalization().isNone() ? "" : ", in standardized units; metrics in original units");
            }
            System.out.print(e.format(task == Task.REGRESS || task == Task.MULTILABEL ? setup.columns() : null));
            if (reconstructions != null) {
                int n = Math.min(set.size(), ReconstructionGrid.MAX_PAIRS);
                float[] inputs = Arrays.copyOf(set.features(), n * set.featureCount());
                Prediction p = new Predictor(net, dev, task, saved.card().normalization()).predict(inputs, n);
                int drawn = ReconstructionGrid.write(reconstructions, inputs, p.outputs(), n, set.featureCount());
                System.out.printf(Locale.ROOT, "wrote %d inputs beside their reconstructions to %s%n", drawn, reconstructions);
            }
        }
        return 0;
    }
}
