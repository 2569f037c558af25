package dev.jgrad.nn;

import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceOutOfMemoryException;
import dev.jgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A layer or a network, as in PyTorch's {@code nn.Module}. A module is built from sizes alone: it declares
 * its own tensors ({@link #registerParameter}, {@link #registerBuffer}) and its child modules
 * ({@link #register}), and gets the tensors with {@link #to(Device, long)}, which initialises them from a
 * seed on the host, so the same seed gives the same initial weights on every backend.
 *
 * <p>A module of your own composes others by registering them:
 * <pre>{@code
 * final class Residual extends Module {
 *     private final Linear first = register("first", new Linear(16, 16));
 *     private final Linear second = register("second", new Linear(16, 16));
 *
 *     public Tensor forward(Tensor x) { return second.forward(first.forward(x).relu()).add(x); }
 *     public String describe() { return "residual(16)"; }
 * }
 * }</pre>
 * {@link #to}, {@link #parameters()}, {@link #stateDict()}, {@link #loadStateDict}, {@link #train()} and
 * {@link #eval()} then cover the children, whose state names are prefixed with their registered names
 * ({@code first.weight}, {@code second.bias}), as PyTorch names them.
 */
public abstract class Module {
    private boolean training = true;
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Declared> own = new LinkedHashMap<>();

    /** For subclasses: a module in training mode with no tensors and no children; it declares them in its constructor. */
    protected Module() {
    }

    /** A tensor this module declared: its shape, whether optimizers update it, and its values once placed. */
    private static final class Declared {
        final int[] shape;
        final boolean parameter;
        final Initializer init;
        Tensor tensor;

        Declared(int[] shape, boolean parameter, Initializer init) {
            this.shape = shape;
            this.parameter = parameter;
            this.init = init;
        }
    }

    /**
     * Runs this module on a batch: its computation on {@code x} with its current parameters, recorded for
     * backpropagation when gradients are enabled. The parameters must have been placed with
     * {@link #to(Device, long)} first.
     *
     * @param x the input batch, batch dimension first ({@code [batch, features]} or
     *          {@code [batch, channels, height, width]}, as the module expects); not null
     * @return the output batch, batch dimension first, on {@code x}'s device
     */
    public abstract Tensor forward(Tensor x);

    /**
     * A one-line description of this module and its sizes, as the CLI prints it and error messages name it.
     *
     * @return the description, e.g. {@code linear(784->128)}
     */
    public abstract String describe();

    /**
     * Makes {@code child} part of this module under {@code name}: it is placed, saved, loaded and switched
     * between training and evaluation with this module, in registration order.
     *
     * @param <M>   the child's type, kept so the returned child can be stored in a field of that type
     * @param name  a state-name segment: letters, digits and underscores, unique within this module
     * @param child the module to add; not null and not this module
     * @return {@code child}, so a field can be declared and registered in one line
     * @throws IllegalArgumentException when {@code child} is null or this module, or {@code name} is not a
     *                                  valid segment or is already used by a tensor or child of this module
     */
    protected final <M extends Module> M register(String name, M child) {
        if (child == null) throw new IllegalArgumentException("register(\"" + name + "\", null): the child module is null");
        if (child == this) throw new IllegalArgumentException("a module cannot register itself as its child '" + name + "'");
        claim(name);
        children.put(name, child);
        return child;
    }

    /**
     * Declares a trainable tensor of this module ({@code weight}, {@code bias}, ...): it is created on
     * {@link #to(Device, long)}, filled by {@code init}, and returned by {@link #parameters()} and
     * {@link #stateDict()}. Read it with {@link #tensor(String)}.
     *
     * @param name  its state-name segment: letters, digits and underscores, unique within this module
     * @param shape its dimensions, each at least 1 (the array is copied)
     * @param init  how its values are drawn when the module is placed; not null
     * @throws IllegalArgumentException when {@code init} or {@code shape} is null, a dimension is below 1, or
     *                                  {@code name} is not a valid segment or is already used in this module
     */
    protected final void registerParameter(String name, int[] shape, Initializer init) {
        declare(name, shape, true, init);
    }

    /**
     * Declares a persistent tensor that is not trained (PyTorch's buffers, such as batch norm's running
     * mean): saved and loaded with the parameters, never returned by {@link #parameters()}, and created
     * without a gradient. Read it with {@link #tensor(String)}.
     *
     * @param name  its state-name segment: letters, digits and underscores, unique within this module
     * @param shape its dimensions, each at least 1 (the array is copied)
     * @param init  how its values are drawn when the module is placed; not null
     * @throws IllegalArgumentException when {@code init} or {@code shape} is null, a dimension is below 1, or
     *                                  {@code name} is not a valid segment or is already used in this module
     */
    protected final void registerBuffer(String name, int[] shape, Initializer init) {
        declare(name, shape, false, init);
    }

    private void declare(String name, int[] shape, boolean parameter, Initializer init) {
        if (init == null) throw new IllegalArgumentException("tensor '" + name + "' needs an initializer");
        if (shape == null || Arrays.stream(shape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("tensor '" + name + "' needs a shape of positive sizes, got " + Arrays.toString(shape));
        }
        claim(name);
        own.put(name, new Declared(shape.clone(), parameter, init));
    }

    private void claim(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("'" + name + "' is not a valid name for a tensor or child module: use letters, digits and underscores");
        }
        if (children.containsKey(name) || own.containsKey(name)) {
            throw new IllegalArgumentException(describeSafely() + " already has a tensor or child module named '" + name + "'");
        }
    }

    /**
     * A tensor declared by this module (not by a child), as placed by {@link #to}; subclasses read their
     * parameters with it in {@link #forward}.
     *
     * @param name the name given to {@link #registerParameter} or {@link #registerBuffer}
     * @return the placed tensor (owned by this module: do not close it)
     * @throws IllegalArgumentException when this module declares no tensor of that name
     * @throws IllegalStateException    when the module has not been placed with {@link #to(Device, long)} yet
     */
    protected final Tensor tensor(String name) {
        Declared d = own.get(name);
        if (d == null) throw new IllegalArgumentException(describeSafely() + " declares no tensor named '" + name + "'");
        if (d.tensor == null) throw new IllegalStateException(describeSafely() + " has no parameters yet: call to(device, seed) first");
        return d.tensor;
    }

    /**
     * The registered child modules by name, in registration order.
     *
     * @return a read-only view of the children, keyed by their registered names (empty for a plain layer)
     */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * Creates (or re-creates) the parameters and buffers of this module and its children on {@code device},
     * initialised from {@code seed} on the host in declaration order. Tensors placed before are closed, so
     * an optimizer made before must be made again.
     *
     * @param device where the tensors live; not null
     * @param seed   the seed of the initialisers' random stream: the same seed gives the same initial values
     *               on every backend
     * @return this module, for chaining
     * @throws IllegalArgumentException when {@code device} is null
     * @throws DeviceOutOfMemoryException when the Java heap cannot hold a tensor's initial values
     */
    public final Module to(Device device, long seed) {
        if (device == null) throw new IllegalArgumentException("to(device, seed): the device is null");
        place(device, new SplittableRandom(seed));
        return this;
    }

    /**
     * Moves the parameters and buffers onto {@code device}, keeping their values (the old tensors are
     * closed, so an optimizer made before the move must be made again). A module whose parameters do not
     * exist yet gets them as {@code to(device, 0)} creates them. Tensors already on {@code device} are kept
     * as they are.
     *
     * @param device where the tensors are to live; not null
     * @return this module, for chaining
     * @throws IllegalArgumentException when {@code device} is null
     */
    public final Module to(Device device) {
        if (device == null) throw new IllegalArgumentException("to(device): the device is null");
        List<Declared> all = new ArrayList<>();
        collectDeclared(all);
        if (all.stream().anyMatch(d -> d.tensor == null)) return to(device, 0);
        for (Declared d : all) {
            Tensor old = d.tensor;
            if (old.device() == device) continue;
            d.tensor = Tensor.of(device, old.toArray(), d.shape).keep().requiresGrad(d.parameter);
            old.close();
        }
        return this;
    }

    private void collectDeclared(List<Declared> out) {
        out.addAll(own.values());
        for (Module m : children.values()) m.collectDeclared(out);
    }

    /** Creates this module's declared tensors from {@code rng}, then its children's, in declaration order. */
    void place(Device device, SplittableRandom rng) {
        for (Declared d : own.values()) {
            if (d.tensor != null) d.tensor.close();
            d.tensor = null;
            long size = 1;
            for (int s : d.shape) size *= s;
            float[] values = DeviceOutOfMemoryException.hostFloats(device.info().id(), size);
            d.init.fill(values, rng);
            d.tensor = Tensor.of(device, values, d.shape).keep().requiresGrad(d.parameter);
        }
        for (Module m : children.values()) m.place(device, rng);
    }

    /**
     * The parameters (and persistent buffers) by PyTorch {@code state_dict} name: this module's own in
     * declaration order, then each child's under its name ({@code weight}, {@code bias}, and in a
     * {@link Sequential} {@code 0.weight}, {@code 0.bias}, ...).
     *
     * @return a new map from state name to the module's own tensors (not copies: writing into them changes
     *         the module)
     * @throws IllegalStateException when the module has not been placed with {@link #to(Device, long)} yet
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        for (Map.Entry<String, Declared> e : own.entrySet()) {
            if (e.getValue().tensor == null) throw new IllegalStateException(describeSafely() + " has no parameters yet: call to(device, seed) first");
            out.put(prefix + e.getKey(), e.getValue().tensor);
        }
        for (Map.Entry<String, Module> e : children.entrySet()) e.getValue().collectState(prefix + e.getKey() + ".", out);
    }

    /**
     * The names and shapes {@link #stateDict()} will have, known before the module is placed (so a file
     * can be checked against a model before any memory is allocated for it).
     *
     * @return a new map from state name to a copy of that tensor's dimensions, in {@link #stateDict()} order
     */
    public final Map<String, int[]> stateShapes() {
        Map<String, int[]> out = new LinkedHashMap<>();
        collectShapes("", out);
        return out;
    }

    private void collectShapes(String prefix, Map<String, int[]> out) {
        for (Map.Entry<String, Declared> e : own.entrySet()) out.put(prefix + e.getKey(), e.getValue().shape.clone());
        for (Map.Entry<String, Module> e : children.entrySet()) e.getValue().collectShapes(prefix + e.getKey() + ".", out);
    }

    /**
     * Copies {@code state} (tensors on any device, e.g. another module's {@link #stateDict()}) into this
     * module's tensors, as PyTorch's {@code load_state_dict(strict=True)}: the names must be exactly those
     * of {@link #stateDict()} and the shapes equal, else nothing is copied and the message lists the
     * missing, unexpected and mis-shaped names.
     *
     * @param state the values by state name; not null. The tensors are only read, never kept or closed
     * @throws IllegalArgumentException when a name is missing or unexpected, or a shape differs
     * @throws IllegalStateException    when this module has not been placed with {@link #to(Device, long)} yet
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> target = stateDict();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : target.entrySet()) {
            Tensor t = state.get(e.getKey());
            if (t == null) problems.add("missing " + e.getKey());
            else if (!Arrays.equals(t.shape(), e.getValue().shape())) {
                problems.add(e.getKey() + " is " + t.shapeString() + " but " + e.getValue().shapeString() + " here");
            }
        }
        for (String name : state.keySet()) if (!target.containsKey(name)) problems.add("unexpected " + name);
        if (!problems.isEmpty()) throw new IllegalArgumentException("the state does not fit " + describeSafely() + ": " + String.join("; ", problems));
        for (Map.Entry<String, Tensor> e : target.entrySet()) e.getValue().copyFrom(state.get(e.getKey()).toArray());
    }

    /**
     * Integer state beside the tensors of {@link #stateDict()} (a dropout layer's position in its random
     * stream), by state_dict-style name, so that a checkpoint can resume the run exactly.
     *
     * @return a new map from counter name (e.g. {@code 3.seed}, {@code 3.offset}) to its value; empty when
     *         no layer keeps counters
     */
    public final Map<String, Long> counters() {
        Map<String, Long> out = new LinkedHashMap<>();
        collectCounters("", out);
        return out;
    }

    /**
     * Restores what {@link #counters()} returned, e.g. when a checkpoint is loaded, so that dropout masks
     * continue where the saved run left off.
     *
     * @param counters the counters by name, as {@link #counters()} returned them; not null, not modified
     * @throws IllegalArgumentException when a counter this module needs is missing (or negative), or a name
     *                                  belongs to no counter of this module
     */
    public final void restoreCounters(Map<String, Long> counters) {
        Map<String, Long> left = new LinkedHashMap<>(counters);
        takeCounters("", left);
        if (!left.isEmpty()) throw new IllegalArgumentException("unexpected counters " + left.keySet() + " for " + describe());
    }

    /** Adds this module's counters (then its children's) under {@code prefix}. */
    void collectCounters(String prefix, Map<String, Long> out) {
        for (Map.Entry<String, Module> e : children.entrySet()) e.getValue().collectCounters(prefix + e.getKey() + ".", out);
    }

    /** Sets this module's counters (then its children's) from {@code in}, removing each one it takes. */
    void takeCounters(String prefix, Map<String, Long> in) {
        for (Map.Entry<String, Module> e : children.entrySet()) e.getValue().takeCounters(prefix + e.getKey() + ".", in);
    }

    /**
     * The tensors an optimizer updates, in {@link #stateDict()} order: the parameters, not the buffers.
     *
     * @return a new list of the module's own parameter tensors (those that require grad)
     * @throws IllegalStateException when the module has not been placed with {@link #to(Device, long)} yet
     */
    public List<Tensor> parameters() {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : stateDict().values()) if (t.requiresGrad()) out.add(t);
        return out;
    }

    /**
     * The number of trainable values, summed over every parameter of this module and its children; known
     * before placing.
     *
     * @return the total element count of the parameters (buffers not counted)
     */
    public long parameterCount() {
        List<Declared> all = new ArrayList<>();
        collectDeclared(all);
        long n = 0;
        for (Declared d : all) {
            if (!d.parameter) continue;
            long size = 1;
            for (int s : d.shape) size *= s;
            n += size;
        }
        return n;
    }

    /**
     * Training mode (the default), for this module and its children: dropout active, batch statistics used.
     *
     * @return this module, for chaining
     */
    public Module train() {
        setTraining(true);
        return this;
    }

    /**
     * Evaluation mode, for this module and its children: dropout passes values through and batch norm uses
     * its running statistics.
     *
     * @return this module, for chaining
     */
    public Module eval() {
        setTraining(false);
        return this;
    }

    private void setTraining(boolean on) {
        training = on;
        for (Module m : children.values()) m.setTraining(on);
    }

    /**
     * Whether the module is in training mode.
     *
     * @return true when {@link #train()} (or neither) rather than {@link #eval()} was called last
     */
    public boolean isTraining() {
        return training;
    }

    /**
     * Tells the modules that draw random numbers per example (dropout) where the next batch's first row sits
     * in the training stream, counted from the start of training, for this module and its children. Each row
     * then gets the numbers of its own position, whatever batch or slice it arrives in, so a batch cut into
     * slices or spread over data-parallel replicas draws the same masks as when whole. Without a call, the
     * next batch continues where the previous one ended. {@link dev.jgrad.train.TrainingStep} calls this
     * before every slice and after every update.
     *
     * @param row the position of the next batch's first row, 0 or more
     * @throws IllegalArgumentException when {@code row} is negative
     */
    public final void setBatchOrigin(long row) {
        if (row < 0) throw new IllegalArgumentException("a batch origin is a row position, 0 or more; got " + row);
        batchOrigin(row);
        for (Module m : children.values()) m.setBatchOrigin(row);
    }

    /** For modules with per-row randomness: the next batch starts at {@code row} of the stream. */
    void batchOrigin(long row) {
    }

    /**
     * Zeroes (forgets) every parameter's gradient, so that the next backward pass writes fresh gradients
     * instead of adding to these.
     *
     * @throws IllegalStateException when the module has not been placed with {@link #to(Device, long)} yet
     */
    public void zeroGrad() {
        for (Tensor t : parameters()) t.zeroGrad();
    }

    /** The description, or the class name while a subclass's constructor has not finished. */
    private String describeSafely() {
        try {
            return describe();
        } catch (RuntimeException e) {
            return getClass().getSimpleName();
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
