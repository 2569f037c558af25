package dev.jgrad.cli;

import dev.jgrad.device.Device;
import dev.jgrad.data.Dataset;
import dev.jgrad.data.Datasets;
import dev.jgrad.data.Split;
import dev.jgrad.metrics.ConfusionMatrix;
import dev.jgrad.nn.Module;
import dev.jgrad.internal.DeviceMemory;
import dev.jgrad.train.Evaluation;
import dev.jgrad.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code jgrad eval}: loss and accuracy of a saved model on a dataset's test split (by default the one it was trained on). */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a model saved by 'jgrad train --save' (or a checkpoint) on a dataset's test split.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The saved model (.safetensors).")
    Path model;

    @Option(names = "--data", paramLabel = "DATA", description = "Dataset, as for train (default: the one the model was trained on).")
    String data;

    @Option(names = "--split", defaultValue = "test", description = "test (default) or train.")
    String split;

    @Mixin
    DeviceOptions deviceOptions = new DeviceOptions();

    @Override
    public Integer call() throws Exception {
        if (!split.equals("test") && !split.equals("train")) throw new IllegalArgumentException("--split must be test or train, got '" + split + "'");
        deviceOptions.validate();
        SavedModel.Loaded saved = SavedModel.read(model);
        String spec = data != null ? data : saved.config().get("data") instanceof String s ? s : null;
        if (spec == null) throw new Errors.UserInputException(model + ": does not say what data it was trained on; give --data");
        Split both = Datasets.load(spec);
        Dataset set = split.equals("test") ? both.test() : both.train();
        ModelInputs.check(saved.description(), set.featureCount(), set.labels(), spec);
        try (Device dev = deviceOptions.open(line -> {})) {
            Module net = saved.instantiate(dev);
            Evaluation e = Trainer.evaluate(net, dev, set);
            System.out.printf(Locale.ROOT, "model: %s (%s)%n", model, net.describe());
            System.out.printf(Locale.ROOT, "%s %s: %d examples, loss %.4f, accuracy %.2f%%%n", spec, split, set.size(), e.loss(), 100 * e.accuracy());
            System.out.print(ConfusionMatrix.of(saved.description().classes(), e.labels(), e.predictions()).format());
            DeviceMemory.release(dev);
        }
        return 0;
    }
}
