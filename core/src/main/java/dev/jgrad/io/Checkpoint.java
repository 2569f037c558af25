package dev.jgrad.io;

import dev.jgrad.data.DataFormatException;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.tensor.Tensor;
import dev.jgrad.train.EarlyStopping;
import dev.jgrad.train.TrainingPosition;

import java.nio.file.Path;
import java.util.Map;

/**
 * A training run's state as {@link Checkpoints} read it from a file: the model's and the optimizer's
 * tensors, the optimizer's counters, where the run stood, and the metadata it was written with (model
 * description, training options) with the position's keys removed, and early stopping's state (or null).
 *
 * @param file              the file it was read from, named in messages
 * @param model             the model's state by {@code state_dict} name
 * @param optimizer         the optimizer's state by name ({@link Optimizer#stateDict()})
 * @param optimizerCounters the optimizer's counters ({@link Optimizer#counters()})
 * @param modelCounters     the model's counters ({@link Module#counters()})
 * @param earlyStopping     early stopping's state, or null when the run had none
 * @param position          where the run stood
 * @param metadata          the metadata the run was written with, without the checkpoint's own keys
 */
public record Checkpoint(Path file, Map<String, HostArray> model, Map<String, HostArray> optimizer,
                         Map<String, Long> optimizerCounters, Map<String, Long> modelCounters,
                         EarlyStopping.State earlyStopping, TrainingPosition position, Map<String, String> metadata) {

    /**
     * Copies the state into a model and optimizer built the same way as the ones that wrote it.
     *
     * @param net the model, already on its device, with the same state names and shapes
     * @param opt the optimizer over {@code net}'s parameters, of the same kind
     * @throws DataFormatException when the state does not fit them; the message names the file and the mismatch
     */
    public void restore(Module net, Optimizer opt) throws DataFormatException {
        StateDicts.load(net.stateDict(), model, file.toString(), "model " + net.describe());
        StateDicts.load(opt.stateDict(), optimizer, file.toString(), "optimizer " + opt.getClass().getSimpleName());
        try {
            opt.restoreCounters(optimizerCounters);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file + ": does not fit the optimizer: " + e.getMessage());
        }
        try {
            net.restoreCounters(modelCounters);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file + ": does not fit the model: " + e.getMessage());
        }
    }

    /**
     * Continues early stopping from the saved state.
     *
     * @param stopping the resumed run's early stopping, or null when it has none; must agree with the checkpoint
     * @param net      the model, whose state names the saved best weights must match
     * @throws DataFormatException when one has early stopping and the other not, or the saved weights do not fit
     */
    public void restore(EarlyStopping stopping, Module net) throws DataFormatException {
        if ((stopping == null) != (earlyStopping == null)) {
            throw new DataFormatException(file + ": the checkpoint was written " + (earlyStopping == null ? "without" : "with")
                    + " early stopping, the resumed run is " + (stopping == null ? "without" : "with") + " it");
        }
        if (stopping == null) return;
        if (earlyStopping.bestState() != null) {
            Map<String, HostArray> best = new java.util.LinkedHashMap<>();
            earlyStopping.bestState().forEach((k, v) -> best.put(Checkpoints.BEST + k, new HostArray(new int[]{v.length}, v)));
            StateDicts.requireFinite(best, file.toString());
            Map<String, Tensor> state = net.stateDict();
            for (Map.Entry<String, Tensor> e : state.entrySet()) {
                float[] v = earlyStopping.bestState().get(e.getKey());
                if (v == null || v.length != e.getValue().size() || earlyStopping.bestState().size() != state.size()) {
                    throw new DataFormatException(file + ": its early-stopping weights do not fit the model (at " + e.getKey() + ")");
                }
            }
        }
        stopping.restore(earlyStopping);
    }
}
