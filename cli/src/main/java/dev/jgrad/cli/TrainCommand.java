package dev.jgrad.cli;

import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceOutOfMemoryException;
import dev.jgrad.data.Datasets;
import dev.jgrad.data.Split;
import dev.jgrad.io.Checkpoint;
import dev.jgrad.nn.ModelSpec;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.Adagrad;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.GradClip;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.Penalties;
import dev.jgrad.optim.RMSprop;
import dev.jgrad.optim.SGD;
import dev.jgrad.optim.schedule.LrSchedule;
import dev.jgrad.train.EarlyStopping;
import dev.jgrad.train.Evaluation;
import dev.jgrad.train.ValidationSplit;
import dev.jgrad.internal.DeviceMemory;
import dev.jgrad.train.EpochStats;
import dev.jgrad.train.Trainer;
import dev.jgrad.train.TrainingDivergedException;
import dev.jgrad.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code jgrad train}: trains a classifier and reports loss, throughput and test accuracy per epoch. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a classifier on a dataset and evaluate it after every epoch.")
final class TrainCommand implements Callable<Integer> {

    enum OptimizerName { sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad }

    @Option(names = "--data", defaultValue = "digits", paramLabel = "DATA",
            description = "digits (embedded, default), fashion-mnist (Debian's dataset-fashion-mnist), a folder of IDX files, or a CSV file (features then label).")
    String data;

    @Option(names = "--model", defaultValue = "mlp:512,256", paramLabel = "SPEC",
            description = "mlp:H1,H2,... hidden layer sizes (default ${DEFAULT-VALUE}), or layers joined by '-': "
                    + "conv(F,K[,S[,P|same]]), maxpool(K[,S]), avgpool(K[,S]), flatten, dense(N), dropout(P), batchnorm, "
                    + "relu, leaky_relu[(A)], elu[(A)], gelu, sigmoid, tanh, softmax; "
                    + "e.g. conv(32,3)-relu-maxpool(2)-flatten-dense(128)-relu-dense(10).")
    String model;

    @Option(names = "--activation", defaultValue = "relu", description = "Hidden activation: relu, leaky_relu, elu, gelu, sigmoid, tanh (default ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--epochs", defaultValue = "20", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--optimizer", defaultValue = "adam", description = "sgd, momentum, nesterov, adam, adamw, rmsprop or adagrad (default ${DEFAULT-VALUE}).")
    OptimizerName optimizer;

    @Option(names = "--lr", description = "Learning rate (default 0.001 for adam, adamw and rmsprop, 0.01 for adagrad, 0.05 otherwise).")
    Float lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "Momentum for momentum/nesterov (default ${DEFAULT-VALUE}).")
    float momentum;

    @Option(names = "--weight-decay", defaultValue = "0", description = "L2 weight decay (default ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the initial weights and the batch order (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DeviceOptions deviceOptions = new DeviceOptions();

    // issue 5: off by default on every device; see README ("--dataset-on-device") for why not on for GPUs
    @Option(names = "--dataset-on-device",
            description = "Keep the training set on the device: upload it once, then each step uploads only the batch's row numbers "
                    + "and gathers the batch there. Same results bit for bit; a smaller upload per step for device memory the size "
                    + "of the training set. Where it does not fit, batches are gathered on the host, with a note. Off by default.")
    boolean datasetOnDevice;

    @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON report: the device and, per epoch, loss, train_samples_per_sec, test_accuracy.")
    Path report;

    @Mixin
    PersistenceOptions persistence = new PersistenceOptions();

    // ---- issue 7: schedule, regularization, clipping, early stopping ----------------------------------

    @Option(names = "--schedule", defaultValue = "constant", paramLabel = "SPEC",
            description = "Learning-rate schedule, updated every step: constant, step:EPOCHS[,GAMMA], exp:GAMMA, cosine:EPOCHS[,MIN_LR], "
                    + "optionally prefixed by warmup:EPOCHS+ (e.g. warmup:1+cosine:15) (default ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--l1", defaultValue = "0", description = "L1 penalty on weights (not biases): adds l1*sign(w) to their gradients (default ${DEFAULT-VALUE}).")
    float l1;

    @Option(names = "--l2", defaultValue = "0", description = "L2 penalty on weights (not biases): adds l2*w to their gradients (default ${DEFAULT-VALUE}).")
    float l2;

    @Option(names = "--clip-norm", paramLabel = "MAX", description = "Clip gradients to this global L2 norm.")
    Float clipNorm;

    @Option(names = "--clip-value", paramLabel = "MAX", description = "Clip each gradient element to [-MAX, MAX].")
    Float clipValue;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE",
            description = "Stop when the validation metric has not improved for PATIENCE epochs, and keep the best epoch's weights.")
    Integer patience;

    @Option(names = "--early-stopping-metric", defaultValue = "loss", description = "loss or accuracy (default ${DEFAULT-VALUE}).")
    String stoppingMetric;

    @Option(names = "--validation-split", paramLabel = "FRACTION",
            description = "Hold out this fraction of the training set to validate each epoch (default 0.1 with --early-stopping); the test set is then evaluated once, at the end.")
    Double validationSplit;

    @Override
    public Integer call() throws Exception {
        Checkpoint resumed = persistence.resumeInto(this);
        validate();
        persistence.validate();
        Split split = Datasets.load(data);
        int classes = Math.max(split.train().classes(), split.test().classes());
        Double holdOut = validationSplit != null ? validationSplit : patience != null ? Double.valueOf(0.1) : null;
        Split fitting = holdOut == null ? split : ValidationSplit.of(split.train(), holdOut, seed);
        Module net = buildModel(split.train().featureCount(), classes);
        try (Device dev = deviceOptions.open(line -> System.out.println(line))) {
            net.to(dev, seed);
            Optimizer opt = buildOptimizer(net);
            System.out.printf(Locale.ROOT, "data: %s, %d train / %d test examples, %d features, %d classes%n", data,
                    split.train().size(), split.test().size(), split.train().featureCount(), split.train().classes());
            System.out.printf(Locale.ROOT, "model: %s (%,d parameters); optimizer %s lr %s; batch %d; seed %d%n",
                    net.describe(), net.parameterCount(), optimizer, opt.lr(), batch, seed);
            Trainer trainer = new Trainer(net, opt, dev, batch, seed).datasetOnDevice(datasetOnDevice);
            EarlyStopping stopping = configureTraining(trainer, net, opt);
            if (holdOut != null) {
                System.out.printf(Locale.ROOT, "validation: %d of the training examples held out; each epoch is evaluated on them%n",
                        fitting.test().size());
            }
            Map<String, String> metadata = SavedModel.metadata(this, net, split.train().featureCount(), classes);
            persistence.attach(trainer, net, opt, dev, resumed, metadata);
            List<EpochStats> history;
            try (ProgressDisplay progress = ProgressDisplay.forConsole(epochs)) {
                history = trainer.fit(fitting.train(), fitting.test(), epochs, printingNotes(progress));
            } catch (DeviceOutOfMemoryException e) {
                Errors.UserInputException oom = PersistenceOptions.outOfMemory(e, batch);
                if (!trainer.datasetResident()) throw oom;
                throw new Errors.UserInputException(oom.getMessage() + ", or leave out --dataset-on-device (the training set takes "
                        + DeviceOutOfMemoryException.bytes(4L * fitting.train().size() * (fitting.train().featureCount() + 1))
                        + " of device memory)");
            } catch (TrainingDivergedException e) {
                throw persistence.diverged(e);
            }
            if (stopping != null && stopping.stopped()) {
                System.out.printf(Locale.ROOT, "early stopping after epoch %d: best validation %s %.4f at epoch %d%s%n", stopping.stoppedEpoch(),
                        stoppingMetric, stopping.best(), stopping.bestEpoch(), stopping.restoresBest() ? " (its weights restored)" : "");
            }
            if (holdOut != null && split.test().size() > 0) {
                Evaluation test = trainer.evaluate(split.test());
                System.out.printf(Locale.ROOT, "test: loss %.4f, accuracy %.2f%%%n", test.loss(), 100 * test.accuracy());
            }
            if (report != null) Reports.writeTrainReport(report, dev.info(), this, history);
            persistence.save(net, metadata);
            DeviceMemory.release(dev);
        } catch (DeviceOutOfMemoryException e) {
            throw PersistenceOptions.outOfMemory(e, 0);
        }
        return 0;
    }

    /** {@code listener}, with the trainer's notes (where the training set lives) printed as lines of their own. */
    private static TrainingListener printingNotes(TrainingListener listener) {
        return new TrainingListener() {
            @Override
            public void epochStart(int epoch, int epochs, int samplesTotal) {
                listener.epochStart(epoch, epochs, samplesTotal);
            }

            @Override
            public void progress(int epoch, int samplesDone, int samplesTotal, double loss, double samplesPerSec) {
                listener.progress(epoch, samplesDone, samplesTotal, loss, samplesPerSec);
            }

            @Override
            public void epochEnd(EpochStats stats) {
                listener.epochEnd(stats);
            }

            @Override
            public void note(String line) {
                System.out.println(line);
            }
        };
    }

    private void validate() {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        if (lr != null && !(lr > 0 && Float.isFinite(lr))) throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        if (momentum < 0 || momentum >= 1) throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
        deviceOptions.validate();
        if (weightDecay < 0) throw new IllegalArgumentException("--weight-decay must not be negative, got " + weightDecay);
        if (l1 < 0 || l2 < 0) throw new IllegalArgumentException("--l1 and --l2 must not be negative");
        if (clipNorm != null && !(clipNorm > 0)) throw new IllegalArgumentException("--clip-norm must be positive, got " + clipNorm);
        if (clipValue != null && !(clipValue > 0)) throw new IllegalArgumentException("--clip-value must be positive, got " + clipValue);
        if (patience != null && patience < 1) throw new IllegalArgumentException("--early-stopping needs a patience of at least 1 epoch, got " + patience);
        if (validationSplit != null && !(validationSplit > 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("--validation-split must be in (0, 1), got " + validationSplit);
        }
        EarlyStopping.Metric.named(stoppingMetric);
        LrSchedule.parse(schedule);
    }

    /** Schedule, penalties, clipping and early stopping on {@code trainer}; returns the early stopping, if any. */
    private EarlyStopping configureTraining(Trainer trainer, Module net, Optimizer opt) {
        LrSchedule lrSchedule = LrSchedule.parse(schedule);
        if (!lrSchedule.describe().equals("constant")) trainer.schedule(lrSchedule);
        Penalties penalties = new Penalties(l1, l2);
        List<dev.jgrad.tensor.Tensor> weights = Penalties.weightsOf(net);
        List<dev.jgrad.tensor.Tensor> params = opt.params();
        if (!penalties.isZero() || clipNorm != null || clipValue != null) {
            trainer.beforeUpdate(() -> {
                if (!penalties.isZero()) penalties.apply(weights);
                if (clipNorm != null) GradClip.byNorm(params, clipNorm);
                if (clipValue != null) GradClip.byValue(params, clipValue);
            });
        }
        if (patience == null) return null;
        EarlyStopping stopping = new EarlyStopping(EarlyStopping.Metric.named(stoppingMetric), patience, 0, true);
        trainer.earlyStopping(stopping);
        return stopping;
    }

    float learningRate() {
        if (lr != null) return lr;
        return switch (optimizer) {
            case adam, adamw, rmsprop -> 0.001f;
            case adagrad -> 0.01f;
            default -> 0.05f;
        };
    }

    /** The network of {@code --model} (see {@link ModelSpec}); image models take square single-channel (or RGB) inputs. */
    Module buildModel(int inputs, int classes) {
        ModelSpec spec = ModelSpec.parse(model, activation);
        return spec.build(spec.inputShapeFor(inputs), classes);
    }

    Optimizer buildOptimizer(Module net) {
        float rate = learningRate();
        return switch (optimizer) {
            case sgd -> new SGD(net.parameters(), rate, 0f, false, weightDecay);
            case momentum -> new SGD(net.parameters(), rate, momentum, false, weightDecay);
            case nesterov -> new SGD(net.parameters(), rate, momentum, true, weightDecay);
            case adam -> new Adam(net.parameters(), rate, 0.9f, 0.999f, 1e-8f, weightDecay, false);
            case adamw -> new Adam(net.parameters(), rate, 0.9f, 0.999f, 1e-8f, weightDecay, true);
            case rmsprop -> new RMSprop(net.parameters(), rate, 0.99f, 1e-8f, weightDecay, 0f);
            case adagrad -> new Adagrad(net.parameters(), rate, 0f, weightDecay, 0f, 1e-10f);
        };
    }
}
