package dev.jgrad.nn;

import dev.jgrad.device.Device;
import dev.jgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A layer or a network, as in PyTorch's {@code nn.Module}. A module is built from sizes alone and gets
 * its parameters with {@link #to(Device, long)}, which initialises them from a seed on the host, so the
 * same seed gives the same initial weights on every backend.
 */
public abstract class Module {
    private boolean training = true;

    /** The output for a batch. */
    public abstract Tensor forward(Tensor x);

    /** Creates (or re-creates) the parameters on {@code device}, initialised from {@code seed}. */
    public final Module to(Device device, long seed) {
        place(device, new SplittableRandom(seed));
        return this;
    }

    /** Creates this module's parameters from {@code rng}; containers pass it to their children in order. */
    protected void place(Device device, SplittableRandom rng) {}

    /**
     * The parameters (and persistent buffers) by PyTorch {@code state_dict} name, in registration order:
     * {@code weight}, {@code bias}, and in a {@link Sequential} {@code 0.weight}, {@code 0.bias}, ...
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    /** Adds this module's named tensors under {@code prefix}. */
    protected void collectState(String prefix, Map<String, Tensor> out) {}

    /**
     * Integer state beside the tensors of {@link #stateDict()} (a dropout layer's position in its random
     * stream), by state_dict-style name, so that a checkpoint can resume the run exactly.
     */
    public final Map<String, Long> counters() {
        Map<String, Long> out = new LinkedHashMap<>();
        collectCounters("", out);
        return out;
    }

    /** Restores what {@link #counters()} returned; a missing or unknown name is an error. */
    public final void restoreCounters(Map<String, Long> counters) {
        Map<String, Long> left = new LinkedHashMap<>(counters);
        takeCounters("", left);
        if (!left.isEmpty()) throw new IllegalArgumentException("unexpected counters " + left.keySet() + " for " + describe());
    }

    /** Adds this module's counters under {@code prefix}. */
    protected void collectCounters(String prefix, Map<String, Long> out) {}

    /** Sets this module's counters from {@code in}, removing each one it takes. */
    protected void takeCounters(String prefix, Map<String, Long> in) {}

    /** The tensors an optimizer updates. */
    public List<Tensor> parameters() {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : stateDict().values()) if (t.requiresGrad()) out.add(t);
        return out;
    }

    public int parameterCount() {
        int n = 0;
        for (Tensor t : parameters()) n += t.size();
        return n;
    }

    /** Training mode (the default): dropout active, batch statistics used. */
    public Module train() {
        setTraining(true);
        return this;
    }

    /** Evaluation mode. */
    public Module eval() {
        setTraining(false);
        return this;
    }

    protected void setTraining(boolean on) {
        training = on;
    }

    public boolean isTraining() {
        return training;
    }

    /** Zeroes (forgets) every parameter's gradient. */
    public void zeroGrad() {
        for (Tensor t : parameters()) t.zeroGrad();
    }

    /** A one-line description, as the CLI prints it. */
    public abstract String describe();

    @Override
    public String toString() {
        return describe();
    }
}
