package dev.jgrad.io;

import dev.jgrad.data.DataFormatException;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.train.TrainingPosition;

import java.nio.file.Path;
import java.util.Map;

/**
 * A training run's state as {@link Checkpoints} read it from a file: the model's and the optimizer's
 * tensors, the optimizer's counters, where the run stood, and the metadata it was written with (model
 * description, training options) with the position's keys removed.
 */
public record Checkpoint(Path file, Map<String, HostArray> model, Map<String, HostArray> optimizer,
                         Map<String, Long> optimizerCounters, Map<String, Long> modelCounters, TrainingPosition position,
                         Map<String, String> metadata) {

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
}
