package dev.jgrad.spark;

import dev.jgrad.device.Device;
import dev.jgrad.io.ModelCard;
import dev.jgrad.io.ModelFiles;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.train.TrainingPosition;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link SparkTrainer#fit} returns on the driver: the trained model on the driver's device, its optimizer
 * (with the state training left it in), where training stands, and one report per segment. Owns the driver's
 * device: close it when done with the model.
 *
 * @param model     the trained network, on {@link #device()}
 * @param optimizer the optimizer over its parameters, with its state after the last step
 * @param card      the model card it was trained from
 * @param position  where training stands (epoch, examples done in it, steps)
 * @param segments  one report per segment run by this call (none when a resumed run had nothing left)
 * @param device    the driver's device, which holds the model
 */
public record SparkTrainingResult(Module model, Optimizer optimizer, ModelCard card, TrainingPosition position, List<SegmentReport> segments,
                                  Device device) implements AutoCloseable {
    /** Copies the segment list. */
    public SparkTrainingResult {
        segments = List.copyOf(segments);
    }

    /**
     * Saves the model with its card, as single-machine training does ({@link ModelFiles#save(Module, ModelCard, Path)}).
     *
     * @param file the model file to write
     * @throws IOException when it cannot be written
     */
    public void save(Path file) throws IOException {
        ModelFiles.save(model, card, file);
    }

    /** Closes the driver's device, and with it the model's tensors. */
    @Override
    public void close() {
        device.close();
    }
}
