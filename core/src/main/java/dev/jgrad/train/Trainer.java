package dev.jgrad.train;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.device.Device;
import dev.jgrad.data.Dataset;
import dev.jgrad.nn.Module;
import dev.jgrad.ops.Losses;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.schedule.LrSchedule;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mini-batch training of a classifier with softmax cross-entropy: each epoch visits the training set in a
 * seeded random order, in batches, and is then evaluated on the test set.
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
    // issue 7: learning-rate schedule, gradient processing before each update, early stopping
    private LrSchedule schedule;
    private float baseLr;
    private Runnable beforeUpdate = () -> {};
    private EarlyStopping earlyStopping;
    // issue 5: the training set resident on the device
    private boolean datasetOnDevice;
    private boolean datasetResident;

    public Trainer(Module model, Optimizer optimizer, Device device, int batchSize, long seed) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        this.model = model;
        this.optimizer = optimizer;
        this.device = device;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** Makes {@link #fit} continue from {@code position} (a checkpoint's) instead of the start. */
    public Trainer resumeAt(TrainingPosition position) {
        this.resumeFrom = position;
        return this;
    }

    /** Calls {@code hook} after every optimizer step. */
    public Trainer onStep(StepHook hook) {
        this.stepHook = hook;
        return this;
    }

    /**
     * Sets the optimizer's rate from {@code schedule} before every step, at the fractional epoch
     * (epoch - 1 + examples done / epoch size); the optimizer's current rate is the base rate.
     */
    public Trainer schedule(LrSchedule schedule) {
        this.schedule = schedule;
        this.baseLr = optimizer.lr();
        return this;
    }

    /** Runs {@code hook} between backward and the optimizer step: gradient clipping and penalties hook in here. */
    public Trainer beforeUpdate(Runnable hook) {
        this.beforeUpdate = hook;
        return this;
    }

    /**
     * Stops {@link #fit} early when {@code stopping} says the evaluation set's metric stalled, and then (if it
     * keeps them) restores the best epoch's weights. Needs an evaluation set (a validation split).
     */
    public Trainer earlyStopping(EarlyStopping stopping) {
        this.earlyStopping = stopping;
        return this;
    }

    /**
     * With {@code true}, {@link #fit} uploads the training set's features and labels to the device once (per
     * fit, not per epoch) and then, every step, uploads only the batch's row numbers and gathers the batch
     * there ({@link Device#gatherRows}), instead of copying the batch's rows on the host and uploading them.
     * The batches, hence the results, are the same bit for bit; what changes is the per-step upload (on a
     * GPU, {@code batch * (features + 1)} floats become {@code batch}) at the cost of device memory for the
     * whole training set. Off by default. The evaluation set stays on the host.
     *
     * <p>The listener's {@link TrainingListener#note} gets one line at the start of fit: the training set is
     * on the device, or, when the device cannot hold it (it throws {@code DeviceOutOfMemoryException}) or has
     * no {@code gatherRows}, that training goes on with batches gathered on the host. The option changes
     * speed, never results, so a device too small for it is not worth failing the run for. (A device that
     * holds the training set but then not the step's tensors still fails with its out-of-memory error.) A
     * training set of more than {@link Device#GATHER_MAX_ROWS} examples is an {@link IllegalArgumentException}
     * from {@link #fit}: row numbers travel as floats.
     */
    public Trainer datasetOnDevice(boolean on) {
        this.datasetOnDevice = on;
        return this;
    }

    /** Whether the last (or current) {@link #fit} kept the training set on the device. */
    public boolean datasetResident() {
        return datasetResident;
    }

    /** The early stopping in force, or null (checkpoints save its state). */
    public EarlyStopping earlyStopping() {
        return earlyStopping;
    }

    /** Optimizer steps taken so far, counting those before a resumed position. */
    public long steps() {
        return steps;
    }

    /** Trains up to epoch {@code epochs}, evaluating on {@code test} after each. */
    public List<EpochStats> fit(Dataset train, Dataset test, int epochs, TrainingListener listener) {
        if (train.size() == 0) throw new IllegalArgumentException("training set " + train.name() + " is empty");
        if (earlyStopping != null && (test == null || test.size() == 0)) {
            throw new IllegalArgumentException("early stopping needs a validation set to watch");
        }
        List<EpochStats> history = new ArrayList<>();
        steps = resumeFrom.step();
        try (Batches batches = new Batches(device, train, batchSize, datasetOnDevice, listener::note)) {
            datasetResident = batches.onDevice();
            Tensor lossSum = Tensor.zeros(device).keep();
            try {
                for (int epoch = resumeFrom.epoch(); epoch <= epochs; epoch++) {
                    EpochStats stats = runEpoch(epoch, epochs, train, test, batches, lossSum, listener);
                    history.add(stats);
                    if (earlyStopping != null && earlyStopping.update(stats, model)) break;
                }
                if (earlyStopping != null) earlyStopping.restoreBest(model);
            } finally {
                lossSum.close();
            }
        }
        return history;
    }

    private EpochStats runEpoch(int epoch, int epochs, Dataset train, Dataset test, Batches batches, Tensor lossSum,
                                TrainingListener listener) {
        int n = train.size();
        int[] order = epochOrder(n, seed, epoch);
        listener.epochStart(epoch, epochs, n);
        model.train();
        boolean resumed = epoch == resumeFrom.epoch() && resumeFrom.samplesDone() > 0;
        int first = resumed ? Math.min(resumeFrom.samplesDone(), n) : 0;
        device.fill(lossSum.buffer(), 1, resumed ? resumeFrom.lossSum() : 0f);
        long start = System.nanoTime();
        long lastReport = start;
        for (int from = first; from < n; from += batchSize) {
            int rows = Math.min(batchSize, n - from);
            Batches.Batch batch = batches.load(order, from, rows);
            if (schedule != null) schedule.apply(optimizer, baseLr, epoch - 1 + (double) from / n);
            step(batch, rows, lossSum);
            steps++;
            stepHook.afterStep(new TrainingPosition(epoch, from + rows, steps, 0f), n, lossSum::item);
            long now = System.nanoTime();
            if (now - lastReport >= PROGRESS_NANOS && from + rows < n) {
                lastReport = now;
                int done = from + rows;
                listener.progress(epoch, done, n, lossSum.item() / done, (done - first) / ((now - start) / 1e9));
            }
        }
        double loss = lossSum.item() / n;      // waits for the last step
        double seconds = (System.nanoTime() - start) / 1e9;
        listener.progress(epoch, n, n, loss, (n - first) / seconds);
        Evaluation eval = test == null || test.size() == 0 ? null : evaluate(test);
        EpochStats stats = new EpochStats(epoch, loss, (n - first) / seconds, eval == null ? Double.NaN : eval.loss(),
                eval == null ? Double.NaN : eval.accuracy(), seconds);
        listener.epochEnd(stats);
        return stats;
    }

    private void step(Batches.Batch batch, int rows, Tensor lossSum) {
        try (Scope scope = Scope.open()) {
            optimizer.zeroGrad();
            Tensor logits = model.forward(batch.x());
            Tensor loss = Losses.crossEntropy(logits, batch.y());
            loss.backward();
            beforeUpdate.run();
            optimizer.step();
            device.axpby(1, rows, loss.buffer(), 1f, lossSum.buffer());
        }
    }

    /** The visiting order of epoch {@code epoch}: a Fisher-Yates shuffle seeded by (seed, epoch) alone. */
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

    /** Loss and accuracy on {@code data}, in evaluation mode, without recording a graph. */
    public Evaluation evaluate(Dataset data) {
        return evaluate(model, device, data);
    }

    public static Evaluation evaluate(Module model, Device device, Dataset data) {
        boolean wasTraining = model.isTraining();
        model.eval();
        int n = data.size();
        int[] predictions = new int[n];
        double lossTotal = 0;
        int correct = 0;
        int cols = data.featureCount();
        try (GradMode g = GradMode.noGrad()) {
            float[] xs = new float[Math.min(EVAL_BATCH, n) * cols];
            float[] ys = new float[Math.min(EVAL_BATCH, n)];
            for (int from = 0; from < n; from += EVAL_BATCH) {
                int rows = Math.min(EVAL_BATCH, n - from);
                System.arraycopy(data.features(), from * cols, xs, 0, rows * cols);
                for (int r = 0; r < rows; r++) ys[r] = data.labels()[from + r];
                try (Scope scope = Scope.open()) {
                    Tensor x = Tensor.empty(device, rows, cols);
                    device.write(xs, 0, x.buffer(), 0, rows * cols);
                    Tensor y = Tensor.empty(device, rows);
                    device.write(ys, 0, y.buffer(), 0, rows);
                    Tensor logits = model.forward(x);
                    lossTotal += (double) Losses.crossEntropy(logits, y).item() * rows;
                    float[] out = logits.toArray();
                    int classes = logits.dim(1);
                    for (int r = 0; r < rows; r++) {
                        int best = 0;
                        for (int c = 1; c < classes; c++) if (out[r * classes + c] > out[r * classes + best]) best = c;
                        predictions[from + r] = best;
                        if (best == data.labels()[from + r]) correct++;
                    }
                }
            }
        } finally {
            if (wasTraining) model.train();
        }
        return new Evaluation(lossTotal / n, (double) correct / n, predictions, data.labels().clone());
    }
}
