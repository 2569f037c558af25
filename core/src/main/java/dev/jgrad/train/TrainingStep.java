package dev.jgrad.train;

import dev.jgrad.device.Device;
import dev.jgrad.nn.BatchNorm;
import dev.jgrad.nn.Module;
import dev.jgrad.ops.Loss;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.spi.BinaryOp;
import dev.jgrad.spi.Broadcast;
import dev.jgrad.spi.Buffer;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.List;

/**
 * One optimizer step computed from one or more slices of its batch: {@link #slice} runs forward and backward
 * on some rows of the batch, {@link #update} sums the slices' gradients, optionally sums them across
 * data-parallel replicas, and applies the optimizer. {@link Trainer} runs every step through this class, and a
 * distributed worker (such as {@code jgrad-spark}'s) runs its slice of every global batch through it too, so
 * the step is written once.
 *
 * <pre>{@code
 * try (TrainingStep step = new TrainingStep(model, optimizer, Loss.crossEntropy())) {
 *     step.slice(x, y, firstRow, x.dim(0), null);   // the whole batch as one slice
 *     step.update(null);
 * }
 * }</pre>
 *
 * <p>A batch of {@code B} rows cut into slices is trained as if whole: each slice's mean loss is weighted by
 * {@code rows / B}, so the summed gradient is the batch mean's (to float rounding), and slice {@code k}'s
 * gradient is added to the sum of slices {@code 0..k-1}, in call order, in float32, exactly as a
 * {@link GradientSync} adds replicas in rank order. One slice per batch (the ordinary case) is computed
 * without weighting or copies, exactly as before slicing existed. A parameter that got no gradient from a
 * slice counts as a zero gradient once the batch is sliced or synchronised.
 *
 * <p>Randomness drawn per row (dropout) comes from each row's position in the training stream: {@code firstRow}
 * is the slice's first row counted from the start of training ({@link Module#setBatchOrigin}), so the masks do
 * not depend on how the batch is cut. Batch normalisation, whose statistics span the whole batch, is refused
 * when a batch is sliced or synchronised.
 */
public final class TrainingStep implements AutoCloseable {
    private final Module model;
    private final Optimizer optimizer;
    private final Loss loss;
    private final Device device;
    private final List<Tensor> params;
    private Runnable beforeUpdate = () -> {};
    /** Per parameter, the sum of the slices so far (made at the first sliced step, kept). */
    private Buffer[] sums;
    /** All gradients flattened, for a GradientSync (made at the first synchronised step, kept). */
    private float[] flat;
    private int slices;
    private long batchStart;
    private int batchRows;
    private Boolean hasBatchNorm;

    /**
     * A step for one model.
     *
     * @param model     the network, placed on its device
     * @param optimizer updates the model's parameters; its {@link Optimizer#params()} are the gradients summed
     * @param loss      what each slice minimises (its mean over the slice's rows)
     */
    public TrainingStep(Module model, Optimizer optimizer, Loss loss) {
        this.model = model;
        this.optimizer = optimizer;
        this.loss = loss;
        this.params = optimizer.params();
        this.device = params.getFirst().device();
    }

    /**
     * Runs a hook between the summed gradients and the optimizer's update; replaces any earlier hook.
     *
     * @param hook what to run on the gradients, e.g. {@link dev.jgrad.optim.GradClip}
     * @return this step
     */
    public TrainingStep beforeUpdate(Runnable hook) {
        this.beforeUpdate = hook;
        return this;
    }

    /**
     * Forward and backward of one slice of the current batch, its gradient added to the slices before it.
     * The slices of one batch are given in order and cover it without overlap (every replica of a
     * data-parallel run gives only its own).
     *
     * @param x         the slice's inputs, rows first
     * @param y         the slice's targets (for an autoencoder, {@code x} itself)
     * @param firstRow  the position of the slice's first row in the training stream: rows of earlier batches
     *                  plus the rows of this batch before the slice
     * @param batchRows the rows of the whole batch (for the loss weighting); {@code x.dim(0)} when unsliced
     * @param lossSum   a one-element tensor the slice's summed loss ({@code rows * mean}) is added to, on the
     *                  device; null for none
     * @throws IllegalArgumentException when the slice has no rows or more than {@code batchRows}, or the model
     *                                  has batch normalisation in training mode and the batch is sliced
     * @throws IllegalStateException    when the loss is not a scalar
     */
    public void slice(Tensor x, Tensor y, long firstRow, int batchRows, Tensor lossSum) {
        int rows = x.dim(0);
        if (rows < 1 || rows > batchRows) {
            throw new IllegalArgumentException("a slice has 1 to " + batchRows + " rows (the batch's), got " + rows);
        }
        if (slices == 0) {
            batchStart = firstRow;
            this.batchRows = batchRows;
        }
        boolean whole = slices == 0 && rows == batchRows;
        if (!whole) refuseBatchNorm("cut into slices");
        if (slices == 1) keepSums();
        optimizer.zeroGrad();
        try (Scope scope = Scope.open()) {
            model.setBatchOrigin(firstRow);
            Tensor value = loss.apply(model.forward(x), y);
            if (value.size() != 1) {
                throw new IllegalStateException("loss " + loss.name() + " gave a tensor of shape " + value.shapeString() + "; a loss must be a scalar");
            }
            Tensor weighted = rows == batchRows ? value : value.mul(Tensor.full(device, (float) rows / batchRows, value.shape()));
            weighted.backward();
            if (lossSum != null) device.kernels().axpby(1, rows, value.buffer(), 1f, lossSum.buffer());
        }
        if (slices >= 1) addToSums();
        slices++;
    }

    /**
     * Takes part in a data-parallel step whose batch has no rows for this replica (a batch with fewer rows
     * than replicas): the replica contributes a zero gradient to {@link #update}'s sum. Must be the step's
     * only slice.
     *
     * @param firstRow  the position in the training stream where this replica's (empty) slice would start
     * @param batchRows the rows of the whole batch
     * @throws IllegalStateException when a slice was already given for this step
     */
    public void emptySlice(long firstRow, int batchRows) {
        if (slices != 0) throw new IllegalStateException("emptySlice() must be a step's only slice");
        batchStart = firstRow;
        this.batchRows = batchRows;
        optimizer.zeroGrad();
        slices = 1;
    }

    /**
     * Ends the step: the slices' summed gradient becomes the parameters' gradient, {@code sync} (when given)
     * replaces it with the sum over every replica, the {@link #beforeUpdate} hook runs, and the optimizer
     * updates the parameters. Tells the model that the next batch starts after this one
     * ({@link Module#setBatchOrigin}).
     *
     * @param sync sums the gradient across replicas; null for a single machine
     * @throws IllegalStateException    when no slice was given since the last update
     * @throws GradientSyncException    when the sync fails (the parameters are then not updated)
     */
    public void update(GradientSync sync) {
        if (slices == 0) throw new IllegalStateException("update() without a slice: call slice() for the batch first");
        if (slices > 1) copySumsToGrads();
        if (sync != null && sync.workers() > 1) {
            refuseBatchNorm("split across " + sync.workers() + " replicas");
            syncGrads(sync);
        }
        slices = 0;
        beforeUpdate.run();
        optimizer.step();
        model.setBatchOrigin(batchStart + batchRows);
    }

    private void refuseBatchNorm(String how) {
        if (hasBatchNorm == null) hasBatchNorm = containsBatchNorm(model);
        if (hasBatchNorm && model.isTraining()) {
            throw new IllegalArgumentException("the model has batch normalisation, whose statistics span the whole batch, but the batch is "
                    + how + ": train it with whole batches (Trainer.accumulate(1), on one machine) or use a model without BatchNorm");
        }
    }

    private static boolean containsBatchNorm(Module root) {
        ArrayDeque<Module> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            Module m = todo.pop();
            if (m instanceof BatchNorm) return true;
            todo.addAll(m.children().values());
        }
        return false;
    }

    /** The current gradients become the running sums (zeros where a parameter has none). */
    private void keepSums() {
        if (sums == null) {
            sums = new Buffer[params.size()];
            for (int i = 0; i < sums.length; i++) sums[i] = device.memory().take(params.get(i).size());
        }
        for (int i = 0; i < sums.length; i++) {
            Tensor p = params.get(i);
            if (p.hasGrad()) device.kernels().copy(p.gradBuffer(), sums[i], p.size());
            else device.kernels().fill(sums[i], p.size(), 0f);
        }
    }

    private void addToSums() {
        for (int i = 0; i < sums.length; i++) {
            Tensor p = params.get(i);
            if (!p.hasGrad()) continue;     // adding zero changes no bit
            Broadcast full = Broadcast.full(p.size());
            device.kernels().binary(BinaryOp.ADD, p.size(), sums[i], full, p.gradBuffer(), full, sums[i]);
        }
    }

    private void copySumsToGrads() {
        for (int i = 0; i < sums.length; i++) {
            Tensor p = params.get(i);
            device.kernels().copy(sums[i], p.gradSlot().buffer(), p.size());
        }
    }

    private void syncGrads(GradientSync sync) {
        int total = 0;
        for (Tensor p : params) total += p.size();
        if (flat == null || flat.length < total) flat = new float[total];
        int at = 0;
        for (Tensor p : params) {
            if (p.hasGrad()) device.kernels().read(p.gradBuffer(), 0, flat, at, p.size());
            else java.util.Arrays.fill(flat, at, at + p.size(), 0f);
            at += p.size();
        }
        sync.sum(flat, total);
        at = 0;
        for (Tensor p : params) {
            device.kernels().write(flat, at, p.gradSlot().buffer(), 0, p.size());
            at += p.size();
        }
    }

    /** Returns the running sums' device memory to the pool. */
    @Override
    public void close() {
        if (sums != null) for (Buffer b : sums) device.memory().give(b);
        sums = null;
    }
}
