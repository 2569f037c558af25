package dev.jgrad.train;

import dev.jgrad.device.Device;
import dev.jgrad.data.Dataset;
import dev.jgrad.data.Normalization;
import dev.jgrad.nn.Module;
import dev.jgrad.ops.Loss;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.schedule.LrSchedule;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Mini-batch training for a {@link Task} (classification by default) with a {@link Loss} (the task's
 * default unless {@link #loss} sets one): each epoch visits the training set in a seeded random order, in
 * batches, and is then evaluated on the test set with the task's metrics. {@link #fit} returns the run's
 * {@link TrainingHistory}.
 *
 * <pre>{@code
 * Trainer t = new Trainer(model, new Adam(model.parameters(), 1e-3f), device, 32, 1)
 *         .task(Task.REGRESS).normalization(Normalization.fit(train, true, true));
 * TrainingHistory h = t.fit(train, test, 100, new TrainingListener() {});
 * }</pre>
 *
 * <p>The step is forward, backward and update inside a {@link Scope}, so every intermediate buffer goes back
 * to the device's pool and the steady state allocates no device memory. The running loss is summed on the
 * device and read only when a progress report is due, so a GPU step never waits for the host.
 *
 * <p>Reproducibility: the order of epoch {@code e} depends only on the seed and {@code e}, so a run with the
 * same seed on the CPU gives the same numbers to the last digit.
 *
 * <p>Batches are gathered on the host and uploaded every step, unless {@link #datasetOnDevice(boolean)} keeps
 * the training set on the device; both give the same batches bit for bit.
 */
public final class Trainer {
    /** How long between progress reports (each one reads the running loss from the device). */
    private static final long PROGRESS_NANOS = 250_000_000L;
    private static final int EVAL_BATCH = 1000;

    private final Module model;
    private final Optimizer optimizer;
    private final Device device;
    private final int batchSize;
    private final long seed;
    private TrainingPosition resumeFrom = TrainingPosition.START;
    private StepHook stepHook = StepHook.NONE;
    private long steps;
    private Task task = Task.CLASSIFY;
    private Loss loss = Task.CLASSIFY.defaultLoss();
    private boolean lossSet;
    private Normalization normalization = Normalization.NONE;
    private boolean evaluateTrainingSet;
    private LrSchedule schedule;
    private float baseLr;
    private Runnable beforeUpdate = () -> {};
    private EarlyStopping earlyStopping;
    private boolean datasetOnDevice;
    private boolean datasetResident;
    private StopSignal stop;
    private int slices = 1;

    /**
     * A trainer for one model, classifying with cross-entropy until {@link #task} or {@link #loss} says
     * otherwise; the other options are set with the chained methods below before {@link #fit}.
     *
     * @param model     the network to train, already on {@code device}
     * @param optimizer updates {@code model}'s parameters
     * @param device    where training runs
     * @param batchSize examples per step (the last batch of an epoch may be smaller)
     * @param seed      fixes every epoch's visiting order (epoch {@code e}'s order depends on the seed and {@code e} only);
     *                  the initial weights come from the seed given to {@link Module#to(Device, long)}, not this one
     * @throws IllegalArgumentException when {@code batchSize} is below 1
     */
    public Trainer(Module model, Optimizer optimizer, Device device, int batchSize, long seed) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        this.model = model;
        this.optimizer = optimizer;
        this.device = device;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /**
     * What the model is trained for; sets the loss to the task's default unless {@link #loss} chose one.
     * {@link #fit} checks the data's targets against it.
     *
     * @param newTask the task
     * @return this trainer
     */
    public Trainer task(Task newTask) {
        this.task = newTask;
        if (!lossSet) this.loss = newTask.defaultLoss();
        return this;
    }

    /** {@return the task trained for (classification unless set)} */
    public Task task() {
        return task;
    }

    /**
     * What each step minimises, instead of the task's default loss.
     *
     * @param loss the loss
     * @return this trainer
     */
    public Trainer loss(Loss loss) {
        this.loss = loss;
        this.lossSet = true;
        return this;
    }

    /** {@return the loss each step minimises} */
    public Loss loss() {
        return loss;
    }

    /**
     * Standardization to apply to every dataset given to {@link #fit} and {@link #evaluate(Dataset)} (fit it on
     * the training split with {@link Normalization#fit}); metrics are then reported in the original units.
     *
     * @param n the normalization; {@link Normalization#NONE} for none
     * @return this trainer
     */
    public Trainer normalization(Normalization n) {
        this.normalization = n;
        return this;
    }

    /** {@return the normalization applied to the data ({@link Normalization#NONE} unless set)} */
    public Normalization normalization() {
        return normalization;
    }

    /**
     * With {@code true}, each epoch also evaluates the training set (in evaluation mode, after the epoch), so the
     * history has training metrics beside the held-out ones, for learning curves. Costs a forward pass over the
     * training set per epoch. Off by default.
     *
     * @param on whether to evaluate the training set after each epoch
     * @return this trainer
     */
    public Trainer evaluateTrainingSet(boolean on) {
        this.evaluateTrainingSet = on;
        return this;
    }

    /**
     * Makes {@link #fit} continue from a position instead of the start.
     *
     * @param position where to continue, usually a checkpoint's; the model's and optimizer's state must be that
     *                 checkpoint's too
     * @return this trainer
     */
    public Trainer resumeAt(TrainingPosition position) {
        this.resumeFrom = position;
        return this;
    }

    /**
     * Makes {@link #fit} watch a stop signal after every step and between epochs: once raised, fit calls the
     * step hook's {@link StepHook#stopped} and throws {@link TrainingStoppedException}.
     *
     * @param signal the signal to watch, raised from any thread; null never stops
     * @return this trainer
     */
    public Trainer stopOn(StopSignal signal) {
        this.stop = signal;
        return this;
    }

    /**
     * Calls a hook after every optimizer step (checkpoints, divergence checks); replaces any earlier hook.
     *
     * @param hook called with the position after each step
     * @return this trainer
     */
    public Trainer onStep(StepHook hook) {
        this.stepHook = hook;
        return this;
    }

    /**
     * Sets the optimizer's rate from {@code schedule} before every step, at the fractional epoch
     * (epoch - 1 + examples done / epoch size); the optimizer's current rate is the base rate.
     *
     * @param schedule the schedule to follow
     * @return this trainer
     */
    public Trainer schedule(LrSchedule schedule) {
        this.schedule = schedule;
        this.baseLr = optimizer.lr();
        return this;
    }

    /**
     * Runs a hook between backward and the optimizer step; replaces any earlier hook.
     *
     * @param hook what to run on the gradients, e.g. {@link dev.jgrad.optim.GradClip} or
     *             {@link dev.jgrad.optim.Penalties}
     * @return this trainer
     */
    public Trainer beforeUpdate(Runnable hook) {
        this.beforeUpdate = hook;
        return this;
    }

    /**
     * Stops {@link #fit} early when {@code stopping} says the evaluation set's metric stalled, and then (if it
     * keeps them) restores the best epoch's weights. Needs an evaluation set (a validation split).
     *
     * @param stopping the rule applied after each epoch's evaluation; null for none
     * @return this trainer
     */
    public Trainer earlyStopping(EarlyStopping stopping) {
        this.earlyStopping = stopping;
        return this;
    }

    /**
     * Gradient accumulation: each batch is computed as {@code slices} consecutive slices (cut by {@link Slices}),
     * one forward and backward each, their gradients summed in slice order before the single optimizer step
     * (see {@link TrainingStep}). The update equals the whole batch's to float rounding while only a slice's
     * activations are alive at a time; and it is, bit for bit, what {@code slices} data-parallel replicas
     * compute with a {@link GradientSync} for the same batches. 1 (the default) computes each batch whole.
     * Models with batch normalisation are refused by {@link #fit} when {@code slices > 1}.
     *
     * @param slices slices per batch, from 1 to the batch size
     * @return this trainer
     * @throws IllegalArgumentException when {@code slices} is below 1 or above the batch size
     */
    public Trainer accumulate(int slices) {
        if (slices < 1 || slices > batchSize) {
            throw new IllegalArgumentException("accumulate(" + slices + "): the slices per batch must be from 1 to the batch size, " + batchSize);
        }
        this.slices = slices;
        return this;
    }

    /** {@return the slices each batch is computed in (1 unless {@link #accumulate} set more)} */
    public int accumulation() {
        return slices;
    }

    /**
     * With {@code true}, {@link #fit} uploads the training set's features and labels to the device once (per
     * fit, not per epoch) and then, every step, uploads only the batch's row numbers and gathers the batch
     * there ({@link dev.jgrad.spi.DeviceKernels#gatherRows}), instead of copying the batch's rows on the host and uploading them.
     * The batches, hence the results, are the same bit for bit; what changes is the per-step upload (on a
     * GPU, {@code batch * (features + 1)} floats become {@code batch}) at the cost of device memory for the
     * whole training set. Off by default. The evaluation set stays on the host.
     *
     * <p>The listener's {@link TrainingListener#note} gets one line at the start of fit: the training set is
     * on the device, or, when the device cannot hold it (it throws {@code DeviceOutOfMemoryException}) or has
     * no {@code gatherRows}, that training goes on with batches gathered on the host. The option changes
     * speed, never results, so a device too small for it is not worth failing the run for. (A device that
     * holds the training set but then not the step's tensors still fails with its out-of-memory error.) A
     * training set of more than {@link dev.jgrad.spi.DeviceKernels#GATHER_MAX_ROWS} examples is an {@link IllegalArgumentException}
     * from {@link #fit}: row numbers travel as floats.
     *
     * @param on whether to try to keep the training set on the device
     * @return this trainer
     */
    public Trainer datasetOnDevice(boolean on) {
        this.datasetOnDevice = on;
        return this;
    }

    /** {@return whether the last (or current) {@link #fit} kept the training set on the device} */
    public boolean datasetResident() {
        return datasetResident;
    }

    /** {@return the early stopping in force, or null (checkpoints save its state)} */
    public EarlyStopping earlyStopping() {
        return earlyStopping;
    }

    /** {@return the optimizer steps taken so far, counting those before a resumed position} */
    public long steps() {
        return steps;
    }

    /**
     * Trains up to epoch {@code epochs}, evaluating on {@code test} (may be null) after each; both sets are in
     * their original units ({@link #normalization} is applied here).
     *
     * @param rawTrain the training set
     * @param rawTest  the set evaluated after each epoch (the validation set when early stopping); null or empty
     *                 for none, and then the epoch's held-out figures are NaN
     * @param epochs   the last epoch to run (1-based): a resumed run does the epochs left up to it
     * @param listener receives progress, epoch results and notes; {@code new TrainingListener() {}} for none
     * @return one entry per epoch run (fewer than asked when early stopping stopped training)
     * @throws IllegalArgumentException when a set's targets do not suit the {@link #task}, the training set is
     *                                  empty, or early stopping has no set to watch
     * @throws TrainingDivergedException when a step hook (a {@link DivergenceGuard}) finds a non-finite value
     * @throws TrainingStoppedException when the {@link #stopOn} signal was raised; the model holds the last step's weights
     */
    public TrainingHistory fit(Dataset rawTrain, Dataset rawTest, int epochs, TrainingListener listener) {
        if (rawTrain.size() == 0) throw new IllegalArgumentException("training set " + rawTrain.name() + " is empty");
        if (earlyStopping != null && (rawTest == null || rawTest.size() == 0)) {
            throw new IllegalArgumentException("early stopping needs a validation set to watch");
        }
        task.check(rawTrain);
        if (rawTest != null && rawTest.size() > 0) task.check(rawTest);
        Dataset train = prepare(rawTrain);
        Dataset test = rawTest == null ? null : normalization.apply(rawTest);
        TrainingHistory history = new TrainingHistory(task, loss.name());
        steps = resumeFrom.step();
        try (Batches batches = new Batches(device, train, batchSize, datasetOnDevice, listener::note);
             TrainingStep step = new TrainingStep(model, optimizer, loss).beforeUpdate(beforeUpdate)) {
            datasetResident = batches.onDevice();
            Tensor lossSum = Tensor.zeros(device).keep();
            try {
                for (int epoch = resumeFrom.epoch(); epoch <= epochs; epoch++) {
                    EpochStats stats = runEpoch(epoch, epochs, train, test, batches, step, lossSum, listener);
                    history.add(stats);
                    if (earlyStopping != null && earlyStopping.update(stats, model)) break;
                    if (epoch < epochs) stopIfRequested(new TrainingPosition(epoch, train.size(), steps, 0f), train.size(), lossSum);
                }
                if (earlyStopping != null) earlyStopping.restoreBest(model);
            } finally {
                lossSum.close();
            }
        }
        return history;
    }

    private EpochStats runEpoch(int epoch, int epochs, Dataset train, Dataset test, Batches batches, TrainingStep step,
                                Tensor lossSum, TrainingListener listener) {
        int n = train.size();
        int[] order = epochOrder(n, seed, epoch);
        listener.epochStart(epoch, epochs, n);
        model.train();
        boolean resumed = epoch == resumeFrom.epoch() && resumeFrom.samplesDone() > 0;
        int first = resumed ? Math.min(resumeFrom.samplesDone(), n) : 0;
        device.kernels().fill(lossSum.buffer(), 1, resumed ? resumeFrom.lossSum() : 0f);
        long start = System.nanoTime();
        long lastReport = start;
        if (first < n) stopIfRequested(new TrainingPosition(epoch, first, steps, 0f), n, lossSum);
        for (int from = first; from < n; from += batchSize) {
            int rows = Math.min(batchSize, n - from);
            if (schedule != null) schedule.apply(optimizer, baseLr, epoch - 1 + (double) from / n);
            long streamRow = (long) (epoch - 1) * n + from;
            for (int k = 0; k < slices; k++) {
                int at = Slices.start(rows, slices, k), size = Slices.size(rows, slices, k);
                if (size == 0) continue;
                Batches.Batch batch = batches.load(order, from + at, size);
                step.slice(batch.x(), batch.y(), streamRow + at, rows, lossSum);
            }
            step.update(null);
            steps++;
            TrainingPosition at = new TrainingPosition(epoch, from + rows, steps, 0f);
            stepHook.afterStep(at, n, lossSum::item);
            stopIfRequested(at, n, lossSum);
            long now = System.nanoTime();
            if (now - lastReport >= PROGRESS_NANOS && from + rows < n) {
                lastReport = now;
                int done = from + rows;
                listener.progress(epoch, done, n, lossSum.item() / done, (done - first) / ((now - start) / 1e9));
            }
        }
        double meanLoss = lossSum.item() / n;      // waits for the last step
        double seconds = (System.nanoTime() - start) / 1e9;
        listener.progress(epoch, n, n, meanLoss, (n - first) / seconds);
        Evaluation eval = test == null || test.size() == 0 ? null : evaluatePrepared(test);
        Map<String, Double> trainMetrics = evaluateTrainingSet ? evaluatePrepared(train).metrics() : Map.of();
        EpochStats stats = new EpochStats(epoch, meanLoss, (n - first) / seconds, eval == null ? Double.NaN : eval.loss(),
                eval == null ? Double.NaN : eval.accuracy(), seconds, optimizer.lr(), eval == null ? Map.of() : eval.metrics(), trainMetrics);
        listener.epochEnd(stats);
        return stats;
    }

    private void stopIfRequested(TrainingPosition at, int samplesTotal, Tensor lossSum) {
        if (stop == null || !stop.requested()) return;
        stepHook.stopped(at, samplesTotal, lossSum::item);
        throw new TrainingStoppedException(at);
    }

    /**
     * The order in which an epoch visits the training set: a Fisher-Yates shuffle seeded by (seed, epoch) alone.
     *
     * @param n     the training set's size
     * @param seed  the trainer's seed
     * @param epoch the epoch, 1-based
     * @return a permutation of 0 .. n-1
     */
    public static int[] epochOrder(int n, long seed, int epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * The {@link #task}'s loss and metrics on {@code data} (original units; {@link #normalization} is applied
     * here), in evaluation mode, without recording a graph, in batches of the training batch size.
     *
     * @param data the examples to evaluate, in original units
     * @return the loss and the task's metrics
     */
    public Evaluation evaluate(Dataset data) {
        return evaluatePrepared(normalization.apply(data));
    }

    /**
     * In batches of the training batch size, so that evaluation takes its buffers from those the steps left in the
     * device's pool: larger batches would allocate new ones (hundreds of megabytes for a CNN), and on the CPU the
     * garbage collector would then copy them into the old generation, a pause of up to a second.
     */
    private Evaluation evaluatePrepared(Dataset normalized) {
        return Evaluation.compute(model, device, normalized, task, loss, normalization, batchSize);
    }

    /** The training set as steps see it: normalized, and without targets for an autoencoder (the input is the target). */
    private Dataset prepare(Dataset raw) {
        Dataset d = normalization.apply(raw);
        return task == Task.AUTOENCODE && d.targets().width() > 0 ? d.withTargets(new dev.jgrad.data.Targets.None()) : d;
    }

    /**
     * A classifier's loss (cross-entropy), accuracy and confusion matrix on a dataset, in evaluation mode.
     *
     * @param model  the classifier; its output for a batch is logits [batch, classes]
     * @param device the device the model lives on
     * @param data   the examples, with class labels
     * @return the loss and the classification metrics
     */
    public static Evaluation evaluate(Module model, Device device, Dataset data) {
        return evaluate(model, device, data, Task.CLASSIFY, Task.CLASSIFY.defaultLoss(), Normalization.NONE);
    }

    /**
     * {@code task}'s loss and metrics of {@code model} on {@code data} (in original units, standardized here by
     * {@code normalization}), in evaluation mode, without recording a graph.
     *
     * @param model         the model; its training mode is restored afterwards
     * @param device        the device the model lives on
     * @param data          the examples, in original units
     * @param task          what the model does, which decides the metrics
     * @param loss          the loss reported
     * @param normalization the standardization the model was trained with ({@link Normalization#NONE} for none)
     * @return the loss and the task's metrics
     */
    public static Evaluation evaluate(Module model, Device device, Dataset data, Task task, Loss loss, Normalization normalization) {
        return Evaluation.compute(model, device, normalization.apply(data), task, loss, normalization, EVAL_BATCH);
    }
}
