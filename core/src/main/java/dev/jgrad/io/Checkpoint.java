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
 */
public record Checkpoint(Path file, Map<String, HostArray> model, Map<String, HostArray> optimizer,
                         Map<String, Long> optimizerCounters, Map<String, Long> modelCounters,
                         EarlyStopping.State earlyStopping, TrainingPosition position, Map<String, String> metadata) {

    /** Copies the state into a model and optimizer built the same way as the ones that wrote it. */
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

    /** Continues {@code stopping} (null when the run has none) from the saved state; the two must agree. */
    public void restore(EarlyStopping stopping, Module net) throws DataFormatException {
        if ((stopping == null) != (earlyStopping == null)) {
            throw new DataFormatException(file + ": the checkpoint was written " + (earlyStopping == null ? "without" : "with")
                    + " early stopping, the resumed run is " + (stopping == null ? "without" : "with") + " it");
        }
        if (stopping == null) return;
        if (earlyStopping.bestState() != null) {
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
