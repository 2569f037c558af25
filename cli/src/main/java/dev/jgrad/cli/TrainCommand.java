package dev.jgrad.cli;

import dev.jgrad.backend.Device;
import dev.jgrad.backend.DeviceOutOfMemoryException;
import dev.jgrad.backend.Devices;
import dev.jgrad.data.Datasets;
import dev.jgrad.data.Split;
import dev.jgrad.io.Checkpoint;
import dev.jgrad.nn.Activation;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.Sequential;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.SGD;
import dev.jgrad.tensor.DeviceMemory;
import dev.jgrad.train.EpochStats;
import dev.jgrad.train.Trainer;
import dev.jgrad.train.TrainingDivergedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code jgrad train}: trains a classifier and reports loss, throughput and test accuracy per epoch. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a classifier on a dataset and evaluate it after every epoch.")
final class TrainCommand implements Callable<Integer> {

    enum OptimizerName { sgd, momentum, nesterov, adam }

    @Option(names = "--data", defaultValue = "digits", paramLabel = "DATA",
            description = "digits (embedded, default), fashion-mnist (Debian's dataset-fashion-mnist), a folder of IDX files, or a CSV file (features then label).")
    String data;

    @Option(names = "--model", defaultValue = "mlp:512,256", paramLabel = "SPEC",
            description = "mlp:H1,H2,... hidden layer sizes (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--activation", defaultValue = "relu", description = "Hidden activation: relu, leaky_relu, elu, gelu, sigmoid, tanh (default ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--epochs", defaultValue = "20", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--optimizer", defaultValue = "adam", description = "sgd, momentum, nesterov or adam (default ${DEFAULT-VALUE}).")
    OptimizerName optimizer;

    @Option(names = "--lr", description = "Learning rate (default 0.001 for adam, 0.05 otherwise).")
    Float lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "Momentum for momentum/nesterov (default ${DEFAULT-VALUE}).")
    float momentum;

    @Option(names = "--weight-decay", defaultValue = "0", description = "L2 weight decay (default ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the initial weights and the batch order (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--device", paramLabel = "DEVICE",
            description = "auto, cpu, cuda[:N] or opencl[:N]; else -Djgrad.device, else $JGRAD_DEVICE, else auto.")
    String device;

    @Option(names = "--threads", description = "CPU threads (default: all cores).")
    Integer threads;

    @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON report: the device and, per epoch, loss, train_samples_per_sec, test_accuracy.")
    Path report;

    @Mixin
    PersistenceOptions persistence = new PersistenceOptions();

    @Override
    public Integer call() throws Exception {
        Checkpoint resumed = persistence.resumeInto(this);
        validate();
        persistence.validate();
        if (threads != null) System.setProperty("jgrad.cpu.threads", threads.toString());
        Split split = Datasets.load(data);
        int classes = Math.max(split.train().classes(), split.test().classes());
        Module net = buildModel(split.train().featureCount(), classes);
        try (Device dev = Devices.open(device, line -> System.out.println(line))) {
            net.to(dev, seed);
            Optimizer opt = buildOptimizer(net);
            System.out.printf(Locale.ROOT, "data: %s, %d train / %d test examples, %d features, %d classes%n", data,
                    split.train().size(), split.test().size(), split.train().featureCount(), split.train().classes());
            System.out.printf(Locale.ROOT, "model: %s (%,d parameters); optimizer %s lr %s; batch %d; seed %d%n",
                    net.describe(), net.parameterCount(), optimizer, opt.lr(), batch, seed);
            Trainer trainer = new Trainer(net, opt, dev, batch, seed);
            Map<String, String> metadata = SavedModel.metadata(this, net, split.train().featureCount(), classes);
            persistence.attach(trainer, net, opt, dev, resumed, metadata);
            List<EpochStats> history;
            try (ProgressDisplay progress = ProgressDisplay.forConsole(epochs)) {
                history = trainer.fit(split.train(), split.test(), epochs, progress);
            } catch (DeviceOutOfMemoryException e) {
                throw PersistenceOptions.outOfMemory(e, batch);
            } catch (TrainingDivergedException e) {
                throw persistence.diverged(e);
            }
            if (report != null) Reports.writeTrainReport(report, dev.info(), this, history);
            persistence.save(net, metadata);
            DeviceMemory.release(dev);
        } catch (DeviceOutOfMemoryException e) {
            throw PersistenceOptions.outOfMemory(e, 0);
        }
        return 0;
    }

    private void validate() {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        if (lr != null && !(lr > 0 && Float.isFinite(lr))) throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        if (momentum < 0 || momentum >= 1) throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
        if (threads != null && threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        if (weightDecay < 0) throw new IllegalArgumentException("--weight-decay must not be negative, got " + weightDecay);
    }

    float learningRate() {
        return lr != null ? lr : optimizer == OptimizerName.adam ? 0.001f : 0.05f;
    }

    Module buildModel(int inputs, int classes) {
        String spec = model.trim();
        if (!spec.startsWith("mlp:") && !spec.equals("mlp")) {
            throw new IllegalArgumentException("--model '" + model + "': expected mlp:H1,H2,... (hidden layer sizes)");
        }
        Activation act = Activation.named(activation);
        List<Module> layers = new ArrayList<>();
        int width = inputs;
        String sizes = spec.equals("mlp") ? "" : spec.substring(4);
        if (!sizes.isBlank()) {
            for (String tok : sizes.split(",", -1)) {
                int h;
                try {
                    h = Integer.parseInt(tok.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--model '" + model + "': '" + tok + "' is not a layer size");
                }
                if (h < 1) throw new IllegalArgumentException("--model '" + model + "': layer size " + h + " must be positive");
                layers.add(new Linear(width, h));
                layers.add(new Activation(act.op(), act.param()));
                width = h;
            }
        }
        layers.add(new Linear(width, classes));
        return new Sequential(layers);
    }

    Optimizer buildOptimizer(Module net) {
        float rate = learningRate();
        return switch (optimizer) {
            case sgd -> new SGD(net.parameters(), rate, 0f, false, weightDecay);
            case momentum -> new SGD(net.parameters(), rate, momentum, false, weightDecay);
            case nesterov -> new SGD(net.parameters(), rate, momentum, true, weightDecay);
            case adam -> new Adam(net.parameters(), rate, 0.9f, 0.999f, 1e-8f, weightDecay, false);
        };
    }
}
