package dev.jgrad.cli;

import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceOutOfMemoryException;
import dev.jgrad.data.Dataset;
import dev.jgrad.data.Datasets;
import dev.jgrad.data.Normalization;
import dev.jgrad.data.Split;
import dev.jgrad.data.DataFingerprint;
import dev.jgrad.data.LabelGapException;
import dev.jgrad.io.Checkpoint;
import dev.jgrad.io.ModelCard;
import dev.jgrad.io.DirectoryLock;
import dev.jgrad.io.OutputCheck;
import dev.jgrad.io.StateDicts;
import dev.jgrad.train.StopSignal;
import java.util.Map;
import dev.jgrad.train.TrainingStoppedException;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.GradClip;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.OptimizerSpec;
import dev.jgrad.optim.Penalties;
import dev.jgrad.optim.schedule.LrSchedule;
import dev.jgrad.train.EarlyStopping;
import dev.jgrad.train.Evaluation;
import dev.jgrad.train.ValidationSplit;
import dev.jgrad.train.EpochStats;
import dev.jgrad.train.Task;
import dev.jgrad.train.JitWarmup;
import dev.jgrad.train.Trainer;
import dev.jgrad.train.TrainingHistory;
import dev.jgrad.train.TrainingDivergedException;
import dev.jgrad.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/** {@code jgrad train}: trains a model for a task and reports loss, throughput and the task's test metric per epoch. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, resourceBundle = "dev.jgrad.cli.HelpTexts",
        description = "Train a model (a classifier by default) on a dataset and evaluate it after every epoch.")
final class TrainCommand implements Callable<Integer> {

    enum OptimizerName { sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad }

    @Option(names = "--data", defaultValue = "digits", paramLabel = "DATA",
            description = "digits (embedded, default), fashion-mnist (Debian's dataset-fashion-mnist), a folder of IDX files, or a CSV file (features then label).")
    String data;

    @Option(names = "--task", defaultValue = "classify", paramLabel = "TASK",
            description = "classify (default), multilabel (0/1 target columns), regress (value target columns) or autoencode (the input is the target).")
    String task;

    @Option(names = "--loss", paramLabel = "LOSS",
            description = "cross_entropy, bce_with_logits, mse, l1, huber or huber:DELTA (default per task: cross_entropy, bce_with_logits, mse, mse).")
    String loss;

    @Option(names = "--target-cols", paramLabel = "COLS",
            description = "CSV target columns, comma-separated: 0-based indices (-1 is the last) or header names (default: the last column).")
    String targetCols;

    @Option(names = "--standardize",
            description = "Standardize features (and regression targets) with the mean and std of the training split; saved with the model,"
                    + " applied by eval and predict; metrics in original units. CSV features are then not scaled by their largest value.")
    boolean standardize;

    // the descriptions of --model and --activation, and the list of layers, come from HelpTexts
    @Option(names = "--model", defaultValue = "mlp:512,256", paramLabel = "SPEC", descriptionKey = "model")
    String model;

    @Option(names = "--activation", defaultValue = "relu", descriptionKey = "activation")
    String activation;

    @Option(names = "--epochs", defaultValue = "20", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--accumulate", defaultValue = "1", paramLabel = "SLICES",
            description = "Gradient accumulation: compute each batch as SLICES slices, one forward and backward each, their gradients "
                    + "summed before the one update; the same update to float rounding, with a slice's activations in memory "
                    + "instead of the batch's. It is also, bit for bit, what SLICES data-parallel workers compute. Not with batchnorm "
                    + "(default ${DEFAULT-VALUE}: whole batches).")
    int accumulate;

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

    @Option(names = "--dataset-on-device",
            description = "Keep the training set on the device: upload it once, then each step uploads only the batch's row numbers "
                    + "and gathers the batch there. Same results bit for bit; a smaller upload per step for device memory the size "
                    + "of the training set. Where it does not fit, batches are gathered on the host, with a note. Off by default.")
    boolean datasetOnDevice;

    @Option(names = "--jit-warmup", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "While the data loads, train a throwaway copy of the model on synthetic data on a one-thread sibling of the "
                    + "device, so that the first epoch runs compiled kernels (on devices whose kernels the JIT compiles while they "
                    + "run: the CPU). Changes no result. On by default; --no-jit-warmup turns it off.")
    boolean jitWarmup = true;

    @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON report: the device, the configuration and the history: per epoch loss, test loss and metrics, lr, samples/s.")
    Path report;

    @Option(names = "--chart", paramLabel = "FILE", description = "Draw the training curves (loss and the task's main metric, train beside test) to FILE.svg or FILE.png.")
    Path chart;

    @Spec
    CommandSpec commandSpec;

    @Mixin
    PersistenceOptions persistence = new PersistenceOptions();

    @Mixin
    SparkOptions spark = new SparkOptions();

    // ---- schedule, regularization, clipping, early stopping ----------------------------------

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

    @Option(names = "--early-stopping-metric", defaultValue = "loss",
            description = "loss or a task metric: accuracy, macro_f1, micro_f1, exact_match, mse, rmse, mae, r2 (default ${DEFAULT-VALUE}).")
    String stoppingMetric;

    @Option(names = "--validation-split", paramLabel = "FRACTION",
            description = "Hold out this fraction of the training set to validate each epoch (default 0.1 with --early-stopping); the test set is then evaluated once, at the end.")
    Double validationSplit;

    @Option(names = "--classes", paramLabel = "N",
            description = "The number of classes (labels 0 to N-1), when some have no example in the data; by default it is the largest label + 1, and a label with classes missing below it is an error.")
    Integer classes;

    @Override
    public Integer call() throws Exception {
        Checkpoint resumed = persistence.resumeInto(this);
        validate();
        persistence.validate();
        data = absoluteData(data);
        // paths first, before minutes of loading: an output that is an input, a folder, a missing folder
        preflight(0, 0);
        DirectoryLock lock = persistence.lock();
        try {
            persistence.deleteLeftovers(java.util.Arrays.asList(report, chart));
            return train(resumed);
        } finally {
            PersistenceOptions.unlock(lock);
        }
    }

    private void preflight(long modelBytes, long checkpointBytes) throws java.io.IOException {
        OutputCheck check = new OutputCheck().input("--data", data == null ? null : Path.of(data));
        persistence.outputs(check, modelBytes, checkpointBytes);
        check.file("--report", report, 64 * 1024);
        check.file("--chart", chart, 1 << 20);
        check.check();
    }

    /** A data path made absolute, so the saved run finds it from any working directory; names stay names. */
    static String absoluteData(String spec) {
        if (spec == null || spec.isBlank() || spec.strip().equals(Datasets.DIGITS) || spec.strip().equals(Datasets.FASHION_MNIST)) return spec;
        try {
            Path p = Path.of(spec.strip());
            return java.nio.file.Files.exists(p) ? p.toAbsolutePath().normalize().toString() : spec;
        } catch (java.nio.file.InvalidPathException e) {
            return spec;
        }
    }

    /**
     * What a run trains, as the flags (and a resumed checkpoint's saved flags) define it.
     *
     * @param holdOut       the fraction of the training set held out for validation, or null for none
     * @param fitting       the split training sees: the training set less the held-out part, and the part held out
     *                      (the test set when nothing is held out)
     */
    record Run(TaskSetup setup, Task kind, Split split, Double holdOut, Split fitting, Normalization normalization, int outputs, ModelCard card) {}

    /** Loads the data and makes the model card: the part of training that is the same on one machine and on Spark. */
    private Run prepare(Checkpoint resumed) throws Exception {
        TaskSetup setup = taskSetup();
        Task kind = setup.task();
        Split split;
        try {
            split = Datasets.load(data, setup.csvFormat(), classes == null ? 0 : classes);
        } catch (LabelGapException e) {
            throw new Errors.UserInputException(e.getMessage() + " with --classes " + e.suggestedClasses());
        }
        kind.check(split.train());
        int outputs = kind == Task.CLASSIFY ? Math.max(split.train().classes(), split.test().classes()) : kind.outputs(split.train());
        if (kind == Task.AUTOENCODE && resumed == null && !matched("--model")) model = autoencoderModel(split.train().featureCount());
        Double holdOut = validationSplit != null ? validationSplit : patience != null ? Double.valueOf(0.1) : null;
        Split fitting = holdOut == null ? split : ValidationSplit.of(split.train(), holdOut, seed);
        Normalization normalization = standardize ? Normalization.fit(fitting.train(), true, kind == Task.REGRESS) : Normalization.NONE;
        ModelCard card = CardFlags.card(this, split.train().featureCount(), outputs).withTask(kind).withNormalization(normalization);
        return new Run(setup, kind, split, holdOut, fitting, normalization, outputs, card);
    }

    private Integer train(Checkpoint resumed) throws Exception {
        if (spark.master != null) return new SparkTraining(this, spark).train(prepare(resumed), resumed);
        JitWarmup early = startWarmup(resumed);       // it needs no device yet, and opening one takes a while
        try (early; Device dev = deviceOptions.open(line -> System.out.println(line))) {
            Run run;
            try (JitWarmup warmup = early == null ? null : early.forDevice(dev)) {
                run = prepare(resumed);
            }
            return train(run, dev, resumed);
        } catch (DeviceOutOfMemoryException e) {
            throw PersistenceOptions.outOfMemory(e, 0);
        }
    }

    /**
     * A warm-up of the model the flags describe, for the device they request, to run while the device opens and
     * the data loads; null when turned off or when the data's shape is not known before loading (a CSV file) or
     * the flags do not make a model or a device config (then loading or opening says why).
     */
    private JitWarmup startWarmup(Checkpoint resumed) {
        if (!jitWarmup) return null;
        OptionalInt features = Datasets.featureCount(data);
        TaskSetup setup = taskSetup();
        Task kind = setup.task();
        if (features.isEmpty() || (kind == Task.AUTOENCODE && resumed == null && !matched("--model"))) return null;
        try {
            // the output width only sizes the last layer: the same kernels compile for any
            int outputs = kind == Task.AUTOENCODE ? features.getAsInt() : classes != null ? classes : 10;
            ModelCard card = CardFlags.card(this, features.getAsInt(), outputs).withTask(kind);
            return JitWarmup.startBefore(deviceOptions.requested(), deviceOptions.config(), card, optimizerSpec(),
                    setup.lossFunction());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Integer train(Run run, Device dev, Checkpoint resumed) throws Exception {
        TaskSetup setup = run.setup();
        Task kind = run.kind();
        Split split = run.split();
        Double holdOut = run.holdOut();
        Split fitting = run.fitting();
        Normalization normalization = run.normalization();
        int outputs = run.outputs();
        ModelCard card = run.card();
        Module net = card.build();
        net.to(dev, seed);
        Optimizer opt = buildOptimizer(net);
        preflight(StateDicts.fileBytes(net.stateDict()), StateDicts.fileBytes(net.stateDict(), opt.stateDict(),
                patience != null ? net.stateDict() : Map.of()));
        System.out.printf(Locale.ROOT, "data: %s, %d train / %d test examples, %d features, %s%s%n", data,
                split.train().size(), split.test().size(), split.train().featureCount(), describeTargets(kind, split.train(), outputs),
                kind == Task.CLASSIFY ? (classes != null ? " (given by --classes)" : " (labels 0 to " + (outputs - 1) + ")") : "");
        System.out.printf(Locale.ROOT, "model: %s (%,d parameters); task %s, loss %s; optimizer %s lr %s; batch %d; seed %d%s%n",
                net.describe(), net.parameterCount(), kind.label(), setup.lossFunction().name(), optimizer, opt.lr(), batch, seed,
                normalization.isNone() ? "" : kind == Task.REGRESS ? "; features and targets standardized" : "; features standardized");
        StopSignal stop = new StopSignal();
        Trainer trainer = new Trainer(net, opt, dev, batch, seed).accumulate(accumulate).datasetOnDevice(datasetOnDevice).task(kind)
                .loss(setup.lossFunction()).normalization(normalization).evaluateTrainingSet(chart != null).stopOn(stop);
        EarlyStopping stopping = configureTraining(trainer, net, opt);
        if (holdOut != null) {
            System.out.printf(Locale.ROOT, "validation: %d of the training examples held out; each epoch is evaluated on them%n",
                    fitting.test().size());
        }
        Map<String, String> metadata = new java.util.LinkedHashMap<>(card.toMetadata());
        String fingerprint = DataFingerprint.of(data);
        if (fingerprint != null) metadata.put(PersistenceOptions.DATA_FINGERPRINT, fingerprint);
        persistence.attach(trainer, net, opt, dev, resumed, metadata);
        TrainingHistory history;
        try (ProgressDisplay progress = ProgressDisplay.forConsole(epochs, kind); Interrupts irq = Interrupts.install(stop, System.err)) {
            history = trainer.fit(fitting.train(), fitting.test(), epochs, printingNotes(progress));
        } catch (TrainingStoppedException e) {
            return persistence.stopped(e, net, card, this);
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
            System.out.println("test: " + ProgressDisplay.summary(test.metrics(), kind));
        }
        // the model first: it is what cannot be made again without training
        persistence.save(net, card);
        if (report != null) Reports.writeTrainReport(report, dev.info(), this, history);
        if (chart != null) {
            TrainingChart.write(history, chart, data);
            System.out.println("wrote the training curves to " + chart);
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
        if (accumulate < 1 || accumulate > batch) {
            throw new IllegalArgumentException("--accumulate must be from 1 to the batch size (" + batch + "), got " + accumulate);
        }
        spark.validate(matched("--workers"), matched("--segment-steps"));
        if (spark.master != null) SparkTraining.validate(this);
        if (lr != null && !(lr > 0 && Float.isFinite(lr))) throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
        deviceOptions.validate();
        requireFiniteNonNegative("--weight-decay", weightDecay);
        requireFiniteNonNegative("--l1", l1);
        requireFiniteNonNegative("--l2", l2);
        if (clipNorm != null && !(clipNorm > 0 && Float.isFinite(clipNorm))) throw new IllegalArgumentException("--clip-norm must be a positive number, got " + clipNorm);
        if (clipValue != null && !(clipValue > 0 && Float.isFinite(clipValue))) throw new IllegalArgumentException("--clip-value must be a positive number, got " + clipValue);
        if (patience != null && patience < 1) throw new IllegalArgumentException("--early-stopping needs a patience of at least 1 epoch, got " + patience);
        if (validationSplit != null && !(validationSplit > 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("--validation-split must be in (0, 1), got " + validationSplit);
        }
        if (classes != null && !(classes >= 2 && classes <= dev.jgrad.data.CsvReader.MAX_CLASSES)) {
            throw new IllegalArgumentException("--classes must be in [2, " + dev.jgrad.data.CsvReader.MAX_CLASSES + "], got " + classes);
        }
        EarlyStopping.Metric.named(stoppingMetric);
        LrSchedule.parse(schedule);
        TaskSetup setup = taskSetup();
        setup.lossFunction();
        setup.csvFormat();
        String watched = EarlyStopping.Metric.named(stoppingMetric).name();
        if (!watched.equals("loss") && !setup.task().metrics().contains(watched)) {
            throw new IllegalArgumentException("--early-stopping-metric " + stoppingMetric + " is not reported for --task " + setup.task().label()
                    + "; use loss or one of " + String.join(", ", setup.task().metrics()));
        }
        if (chart != null) dev.jgrad.bench.BenchChart.Format.of(chart);
    }

    TaskSetup taskSetup() {
        return new TaskSetup(Task.named(task), loss, targetCols, standardize);
    }

    /** The network {@code --task autoencode} trains when no --model is given: 256-64-256 with ReLU, a sigmoid output. */
    static String autoencoderModel(int features) {
        return "dense(256)-relu-dense(64)-relu-dense(256)-relu-dense(" + features + ")-sigmoid";
    }

    private boolean matched(String option) {
        return commandSpec != null && commandSpec.commandLine() != null && commandSpec.commandLine().getParseResult() != null
                && commandSpec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private static String describeTargets(Task task, Dataset train, int outputs) {
        return switch (task) {
            case CLASSIFY -> outputs + " classes";
            case MULTILABEL -> outputs + " labels";
            case REGRESS -> outputs + " target" + (outputs == 1 ? "" : "s");
            case AUTOENCODE -> "reconstructed";
        };
    }

    /** NaN and infinities are refused too: they would turn every weight non-finite at the first step. */
    private static void requireFiniteNonNegative(String flag, float value) {
        if (!(value >= 0 && Float.isFinite(value))) throw new IllegalArgumentException(flag + " must be a finite number >= 0, got " + value);
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
        return lr != null ? lr : optimizerKind().defaultLr();
    }

    OptimizerSpec.Kind optimizerKind() {
        return OptimizerSpec.Kind.valueOf(optimizer.name().toUpperCase(Locale.ROOT));
    }

    OptimizerSpec optimizerSpec() {
        return new OptimizerSpec(optimizerKind(), learningRate(), momentum, weightDecay);
    }

    Optimizer buildOptimizer(Module net) {
        return optimizerSpec().create(net.parameters());
    }
}
