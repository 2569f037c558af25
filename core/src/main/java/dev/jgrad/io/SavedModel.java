package dev.jgrad.io;

import dev.jgrad.device.Device;
import dev.jgrad.data.DataFormatException;
import dev.jgrad.nn.Module;

import java.nio.file.Path;
import java.util.Map;

/**
 * A model file as {@link ModelFiles#load(Path)} read it: its card and its weights, held on the host and
 * already checked to fit the card's architecture, so {@link #model(Device)} cannot fail on the file.
 *
 * @param file    where it was read from (for messages)
 * @param card    the architecture, task, input shape, standardisation and training options
 * @param weights the tensors by PyTorch state_dict name
 */
public record SavedModel(Path file, ModelCard card, Map<String, HostArray> weights) {
    /**
     * Holds a read model file; the weights map is copied (unmodifiable). It does not check the weights
     * against the card: {@link ModelFiles#load(Path)} does that before building one.
     *
     * @param file    where it was read from
     * @param card    the model's card
     * @param weights the tensors by state_dict name; no null keys or values
     */
    public SavedModel {
        weights = Map.copyOf(weights);
    }

    /**
     * The card's network on {@code device} with the saved weights, in training mode as every new module is
     * (call {@code eval()} before predicting with a model that has dropout or batch norm).
     *
     * @param device where the network's parameters are placed
     * @return a new network holding the saved weights; each call builds another
     * @throws IllegalStateException if the weights no longer fit the card (not for a {@link ModelFiles#load(Path)} result)
     */
    public Module model(Device device) {
        Module net = card.build();
        net.to(device, 0);
        try {
            StateDicts.load(net.stateDict(), weights, file.toString(), "model " + net.describe());
        } catch (DataFormatException e) {
            throw new IllegalStateException("weights checked on reading no longer fit: " + e.getMessage(), e);
        }
        return net;
    }
}
