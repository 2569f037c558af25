package dev.jgrad.io;

import dev.jgrad.data.DataFormatException;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.tensor.Tensor;
import dev.jgrad.train.EarlyStopping;
import dev.jgrad.train.TrainingDivergedException;
import dev.jgrad.train.TrainingPosition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checkpoints of a training run: one safetensors file, {@value #FILE_NAME} in the checkpoint directory,
 * holding the model's tensors under {@code model.}, the optimizer's under {@code optimizer.}, and in its
 * metadata the position (epoch, examples done in the epoch's order, step, running loss sum) and the
 * optimizer's and model's counters (Adam's step, a dropout layer's place in its random stream). One file, replaced atomically, so a kill at any instant leaves either the previous
 * checkpoint or the new one. The batch order needs no saved generator state: it is a function of the seed
 * and the epoch ({@link dev.jgrad.train.Trainer#epochOrder}).
 */
public final class Checkpoints {
    /** The checkpoint's file name in its directory. */
    public static final String FILE_NAME = "checkpoint.safetensors";
    /** The prefix of the model's tensor names in the file. */
    public static final String MODEL = "model.";
    static final String OPTIMIZER = "optimizer.";
    static final String EPOCH = "jgrad.checkpoint.epoch";
    static final String SAMPLES_DONE = "jgrad.checkpoint.samples_done";
    static final String STEP = "jgrad.checkpoint.step";
    /** The metadata key that marks a file as a checkpoint. */
    public static final String STEP_KEY = STEP;
    /** The running loss sum's float bits, so a resumed epoch reports exactly the same mean loss. */
    static final String LOSS_SUM_BITS = "jgrad.checkpoint.loss_sum_bits";
    static final String COUNTER = "jgrad.optimizer.";
    static final String MODULE_COUNTER = "jgrad.module.";
    /** Prefix of the early-stopping weights' tensors. */
    static final String BEST = "early_stopping.best.";
    static final String STOPPING = "jgrad.early_stopping";
    static final String STOPPING_BEST_BITS = "jgrad.early_stopping.best_bits";
    static final String STOPPING_BEST_EPOCH = "jgrad.early_stopping.best_epoch";
    static final String STOPPING_STALE = "jgrad.early_stopping.stale";

    private Checkpoints() {}

    /**
     * Where a directory's checkpoint is.
     *
     * @param dir the checkpoint directory
     * @return the checkpoint file's path in it
     */
    public static Path file(Path dir) {
        return dir.resolve(FILE_NAME);
    }

    /**
     * Whether a directory holds a checkpoint.
     *
     * @param dir the checkpoint directory
     * @return whether its checkpoint file exists
     */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(file(dir));
    }

    /**
     * Writes the checkpoint, replacing the previous one atomically; {@code metadata} is stored beside the
     * position. Refuses (throwing {@link TrainingDivergedException}) when any value is not finite, so the
     * last good checkpoint is never replaced by a diverged one.
     *
     * @param dir       the checkpoint directory (created when missing)
     * @param model     the model trained
     * @param optimizer the optimizer over its parameters
     * @param position  where the run stands
     * @param metadata  stored beside the position (model description, training options)
     * @throws IOException when the file cannot be written; the previous checkpoint is then kept
     */
    public static void write(Path dir, Module model, Optimizer optimizer, TrainingPosition position, Map<String, String> metadata)
            throws IOException {
        write(dir, model, optimizer, null, position, metadata);
    }

    /**
     * As {@link #write(Path, Module, Optimizer, TrainingPosition, Map)}, with the state of early stopping.
     *
     * @param dir       the checkpoint directory (created when missing)
     * @param model     the model trained
     * @param optimizer the optimizer over its parameters
     * @param stopping  the run's early stopping, or null
     * @param position  where the run stands
     * @param metadata  stored beside the position (model description, training options)
     * @throws IOException when the file cannot be written; the previous checkpoint is then kept
     */
    public static void write(Path dir, Module model, Optimizer optimizer, EarlyStopping stopping, TrainingPosition position,
                             Map<String, String> metadata) throws IOException {
        Map<String, HostArray> tensors = new LinkedHashMap<>();
        StateDicts.toHost(model.stateDict()).forEach((k, v) -> tensors.put(MODEL + k, v));
        StateDicts.toHost(optimizer.stateDict()).forEach((k, v) -> tensors.put(OPTIMIZER + k, v));
        EarlyStopping.State stop = stopping == null ? null : stopping.state();
        if (stop != null && stop.bestState() != null) {
            Map<String, Tensor> shapes = model.stateDict();
            stop.bestState().forEach((k, v) -> tensors.put(BEST + k, new HostArray(shapes.get(k).shape(), v)));
        }
        String bad = StateDicts.firstNonFinite(tensors);
        if (bad != null || !Float.isFinite(position.lossSum())) {
            throw new TrainingDivergedException("training diverged by step " + position.step() + " (epoch " + position.epoch() + "): "
                    + (bad != null ? bad + " holds a non-finite value" : "the loss is not finite")
                    + "; " + describeKept(dir), position.step());
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(EPOCH, Integer.toString(position.epoch()));
        meta.put(SAMPLES_DONE, Integer.toString(position.samplesDone()));
        meta.put(STEP, Long.toString(position.step()));
        meta.put(LOSS_SUM_BITS, Integer.toString(Float.floatToRawIntBits(position.lossSum())));
        optimizer.counters().forEach((k, v) -> meta.put(COUNTER + k, Long.toString(v)));
        model.counters().forEach((k, v) -> meta.put(MODULE_COUNTER + k, Long.toString(v)));
        if (stop != null) {
            meta.put(STOPPING, "1");
            meta.put(STOPPING_BEST_BITS, Long.toString(Double.doubleToRawLongBits(stop.best())));
            meta.put(STOPPING_BEST_EPOCH, Integer.toString(stop.bestEpoch()));
            meta.put(STOPPING_STALE, Integer.toString(stop.stale()));
        }
        Safetensors.write(file(dir), tensors, meta);
    }

    /**
     * What a run that stopped (diverged, interrupted) leaves to resume from in a directory, as a clause for
     * a message. Calls a checkpoint good only after checking it.
     *
     * @param dir the checkpoint directory
     * @return the checkpoint's step when it reads back intact (checksums) and every value in it is finite;
     *         else that there is none, or why it is not usable
     */
    public static String describeKept(Path dir) {
        if (!exists(dir)) return "no checkpoint was written to " + dir + " before it";
        try {
            Checkpoint c = read(dir);
            StateDicts.requireFinite(c.model(), c.file().toString());
            StateDicts.requireFinite(c.optimizer(), c.file().toString());
            return "the last good checkpoint (step " + c.position().step() + ") in " + dir + " is kept";
        } catch (IOException e) {
            return "the checkpoint in " + dir + " is not usable: " + e.getMessage();
        }
    }

    /**
     * Reads the checkpoint in a directory.
     *
     * @param dir the checkpoint directory
     * @return the run's state
     * @throws DataFormatException when the checkpoint is missing or malformed, or fails its checksums
     * @throws IOException when it cannot be read
     */
    public static Checkpoint read(Path dir) throws IOException {
        Path f = file(dir);
        if (!Files.isRegularFile(f)) {
            throw new DataFormatException(dir + ": no checkpoint to resume from (" + FILE_NAME + " is missing)");
        }
        SafetensorsFile sf = Safetensors.read(f);
        Map<String, HostArray> model = new LinkedHashMap<>();
        Map<String, HostArray> opt = new LinkedHashMap<>();
        Map<String, float[]> best = new LinkedHashMap<>();
        for (Map.Entry<String, HostArray> e : sf.tensors().entrySet()) {
            if (e.getKey().startsWith(MODEL)) model.put(e.getKey().substring(MODEL.length()), e.getValue());
            else if (e.getKey().startsWith(OPTIMIZER)) opt.put(e.getKey().substring(OPTIMIZER.length()), e.getValue());
            else if (e.getKey().startsWith(BEST)) best.put(e.getKey().substring(BEST.length()), e.getValue().values());
            else throw new DataFormatException(f + ": unexpected tensor \"" + e.getKey() + "\" in a checkpoint");
        }
        Map<String, String> meta = new LinkedHashMap<>(sf.metadata());
        long epoch = number(meta, EPOCH, f, Integer.MAX_VALUE);
        long samplesDone = number(meta, SAMPLES_DONE, f, Integer.MAX_VALUE);
        long step = number(meta, STEP, f, Long.MAX_VALUE);
        float lossSum = Float.intBitsToFloat((int) number(meta, LOSS_SUM_BITS, f, -1));
        if (epoch < 1) throw new DataFormatException(f + ": checkpoint epoch " + epoch + " is not positive");
        Map<String, Long> counters = new LinkedHashMap<>();
        Map<String, Long> moduleCounters = new LinkedHashMap<>();
        for (String key : List.copyOf(meta.keySet())) {
            if (key.startsWith(COUNTER)) counters.put(key.substring(COUNTER.length()), number(meta, key, f, Long.MAX_VALUE));
            else if (key.startsWith(MODULE_COUNTER)) moduleCounters.put(key.substring(MODULE_COUNTER.length()), number(meta, key, f, -2));
        }
        EarlyStopping.State stopping = null;
        if (meta.remove(STOPPING) != null) {
            double bestValue = Double.longBitsToDouble(number(meta, STOPPING_BEST_BITS, f, -2));
            int bestEpoch = (int) number(meta, STOPPING_BEST_EPOCH, f, -1);
            int stale = (int) number(meta, STOPPING_STALE, f, Integer.MAX_VALUE);
            stopping = new EarlyStopping.State(bestValue, bestEpoch, stale, best.isEmpty() ? null : best);
        } else if (!best.isEmpty()) {
            throw new DataFormatException(f + ": has early-stopping weights but no early-stopping state");
        }
        return new Checkpoint(f, model, opt, counters, moduleCounters, stopping,
                new TrainingPosition((int) epoch, (int) samplesDone, step, lossSum), meta);
    }

    /**
     * Removes and parses a metadata number in [0, max]; {@code max} -1 reads any signed 32-bit int (float
     * bits, an epoch that may be -1), -2 any signed 64-bit one (double bits).
     */
    private static long number(Map<String, String> meta, String key, Path f, long max) throws DataFormatException {
        String text = meta.remove(key);
        if (text == null) throw new DataFormatException(f + ": not a jgrad checkpoint (metadata " + key + " is missing)");
        try {
            if (max == -1) return Integer.parseInt(text);
            if (max == -2) return Long.parseLong(text);
            long v = Long.parseLong(text);
            if (v < 0 || v > max) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new DataFormatException(f + ": metadata " + key + " = \"" + (text.length() > 30 ? text.substring(0, 30) + "..." : text) + "\" is not a valid number");
        }
    }
}
