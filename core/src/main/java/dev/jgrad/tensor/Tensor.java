package dev.jgrad.tensor;

import dev.jgrad.internal.DeviceMemory;

import dev.jgrad.internal.Backprop;
import dev.jgrad.autograd.GradMode;
import dev.jgrad.autograd.Node;
import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;
import dev.jgrad.spi.UnaryOp;
import dev.jgrad.ops.Elementwise;
import dev.jgrad.ops.MatMul;
import dev.jgrad.ops.Reductions;
import dev.jgrad.ops.Softmax;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Arrays;

/**
 * A dense row-major float32 array on one {@link Device}, with the autograd bookkeeping of PyTorch: a
 * tensor made by an op from tensors that require grad remembers that op ({@link #gradFn()}), and
 * {@link #backward()} on a scalar fills the {@code grad} of every leaf that requires grad.
 *
 * <p>Memory: a tensor's buffer comes from its device's pool and goes back there on {@link #close()};
 * tensors made inside a {@link Scope} are closed with it. A tensor made outside any scope (or taken out
 * of one with {@link #keep()}) that is never closed gives its buffer back when the garbage collector
 * finds it unreachable, so forgetting to close one costs memory only until the next collection; closing
 * its device frees the buffer in any case.
 */
public final class Tensor implements AutoCloseable {
    /** Returns the buffers of unreachable tensors that no scope owns. */
    private static final Cleaner CLEANER = Cleaner.create();

    private final Device device;
    private final int[] shape;
    private final int size;
    /** The buffers, apart from the tensor so that the cleaner can give them back without reaching it. */
    private final Memory memory;
    /** Registered while no scope owns the tensor; null otherwise. */
    private Cleaner.Cleanable cleanable;
    private boolean requiresGrad;
    private final Node gradFn;
    /** False after zeroGrad(): the next gradient written overwrites instead of adding. */
    private boolean gradValid;

    private Tensor(Device device, int[] shape, Buffer buffer, Node gradFn) {
        this.device = device;
        this.shape = shape;
        this.size = sizeOf(shape);
        this.memory = new Memory(device.memory(), buffer);
        this.gradFn = gradFn;
        this.requiresGrad = gradFn != null;
        if (!Scope.register(this)) cleanable = CLEANER.register(this, memory);
    }

    /**
     * A tensor's buffer and gradient buffer. {@link #close()} gives them back to the pool; the cleaner
     * ({@link #run()}) only releases them, for the device's thread to reclaim where no op is running.
     */
    private static final class Memory implements Runnable {
        private final DeviceMemory pool;
        private volatile Buffer buffer;
        private volatile Buffer grad;

        Memory(DeviceMemory pool, Buffer buffer) {
            this.pool = pool;
            this.buffer = buffer;
        }

        void giveBack() {
            if (buffer != null) pool.give(buffer);
            if (grad != null) pool.give(grad);
            buffer = null;
            grad = null;
        }

        @Override
        public void run() {
            if (buffer != null) pool.release(buffer);
            if (grad != null) pool.release(grad);
            buffer = null;
            grad = null;
        }
    }

    // ---- creation ---------------------------------------------------------------------------------

    /**
     * An uninitialised tensor from the device's pool.
     *
     * @param device the device that holds it
     * @param shape  its dimensions, each 0 or more; none for a scalar
     * @return the tensor, owned by the innermost open {@link Scope} if any
     */
    public static Tensor empty(Device device, int... shape) {
        int[] s = shape.clone();
        return new Tensor(device, s, device.memory().take(sizeOf(s)), null);
    }

    /**
     * A tensor of zeros.
     *
     * @param device the device that holds it
     * @param shape  its dimensions, each 0 or more; none for a scalar
     * @return the tensor, owned by the innermost open {@link Scope} if any
     */
    public static Tensor zeros(Device device, int... shape) {
        return full(device, 0f, shape);
    }

    /**
     * A tensor with every element equal to one value.
     *
     * @param device the device that holds it
     * @param value  the value of every element
     * @param shape  its dimensions, each 0 or more; none for a scalar
     * @return the tensor, owned by the innermost open {@link Scope} if any
     */
    public static Tensor full(Device device, float value, int... shape) {
        Tensor t = empty(device, shape);
        device.kernels().fill(t.memory.buffer, t.size, value);
        return t;
    }

    /**
     * A tensor holding a copy of host data.
     *
     * @param device the device that holds it
     * @param data   the values in row-major order; exactly as many as the shape has elements
     * @param shape  its dimensions, e.g. {@code batch, features}
     * @return the tensor, owned by the innermost open {@link Scope} if any
     * @throws IllegalArgumentException when {@code data}'s length is not the shape's number of elements
     */
    public static Tensor of(Device device, float[] data, int... shape) {
        Tensor t = empty(device, shape);
        if (data.length != t.size) {
            t.close();
            throw new IllegalArgumentException("data has " + data.length + " values but shape "
                    + Arrays.toString(shape) + " needs " + sizeOf(shape));
        }
        device.kernels().write(data, 0, t.memory.buffer, 0, t.size);
        return t;
    }

    /**
     * The output of an op: a pooled buffer, recording {@code gradFn} when grad mode is on and some input
     * requires grad. Ops call this; {@code gradFn} may be null.
     *
     * @param device the device that holds it
     * @param shape  its dimensions
     * @param gradFn the node that computes the inputs' gradients from this output's, or null
     * @return the uninitialised output tensor, for the op's kernel to fill
     */
    public static Tensor result(Device device, int[] shape, Node gradFn) {
        Node fn = gradFn != null && GradMode.isEnabled() ? gradFn : null;
        return new Tensor(device, shape, device.memory().take(sizeOf(shape)), fn);
    }

    /**
     * Whether an op on these inputs should record itself for backward.
     *
     * @param inputs the op's inputs; nulls are ignored
     * @return true when grad mode is on and some input requires grad
     */
    public static boolean recording(Tensor... inputs) {
        if (!GradMode.isEnabled()) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad) return true;
        return false;
    }

    // ---- facts ------------------------------------------------------------------------------------

    /** {@return the device that holds this tensor} */
    public Device device() {
        return device;
    }

    /** {@return a copy of the dimensions} */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * One dimension.
     *
     * @param i the axis; negative counts from the end ({@code -1} is the last)
     * @return its size
     */
    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    /** {@return the number of dimensions (0 for a scalar)} */
    public int rank() {
        return shape.length;
    }

    /** {@return the number of elements (the product of the dimensions)} */
    public int size() {
        return size;
    }

    /** {@return the shape as text, e.g. {@code [32, 10]}} */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    /**
     * The device memory, for ops and kernels.
     *
     * @return the buffer, valid until {@link #close()}
     * @throws IllegalStateException when the tensor was closed
     */
    public Buffer buffer() {
        Buffer b = memory.buffer;
        if (b == null) throw new IllegalStateException("tensor " + shapeString() + " was closed");
        if (device.isClosed()) throw new IllegalStateException("tensor " + shapeString() + " is on device "
                + device.info().id() + ", which is closed");
        return b;
    }

    /** {@return whether the memory was given back: by {@link #close()}, by its scope closing, or by its device closing} */
    public boolean isClosed() {
        return memory.buffer == null || device.isClosed();
    }

    // ---- host access ------------------------------------------------------------------------------

    /** {@return the values copied to the host, row-major (waits for the kernels that produce them)} */
    public float[] toArray() {
        device.memory().reclaim();
        float[] out = new float[size];
        device.kernels().read(buffer(), 0, out, 0, size);
        return out;
    }

    /**
     * The value of a one-element tensor, such as a loss (waits for the kernels that produce it).
     *
     * @return the value
     * @throws IllegalStateException when the tensor has more or fewer than one element
     */
    public float item() {
        if (size != 1) throw new IllegalStateException("item() needs one element, shape is " + shapeString());
        device.memory().reclaim();
        float[] out = new float[1];
        device.kernels().read(buffer(), 0, out, 0, 1);
        return out[0];
    }

    /**
     * Overwrites the values from the host.
     *
     * @param data the new values, row-major, exactly {@link #size()} of them
     * @throws IllegalArgumentException when the length is not {@link #size()}
     */
    public void copyFrom(float[] data) {
        if (data.length != size) throw new IllegalArgumentException("copyFrom: " + data.length + " values for shape " + shapeString());
        device.kernels().write(data, 0, buffer(), 0, size);
    }

    // ---- autograd ---------------------------------------------------------------------------------

    /** {@return whether backward computes a gradient for this tensor} */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks a leaf (a parameter or an input) as needing its gradient, or not.
     *
     * @param on whether backward should compute this tensor's gradient
     * @return this tensor
     * @throws IllegalStateException when asked to stop on a tensor made by an op
     */
    public Tensor requiresGrad(boolean on) {
        if (gradFn != null && !on) throw new IllegalStateException("only leaf tensors can stop requiring grad");
        requiresGrad = on;
        return this;
    }

    /** {@return the node of the op that made this tensor, or null for a leaf or outside grad mode} */
    public Node gradFn() {
        return gradFn;
    }

    /** {@return whether this tensor was made by the user rather than recorded from an op} */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** {@return whether a gradient has been written since the last {@link #zeroGrad()}} */
    public boolean hasGrad() {
        return memory.grad != null && gradValid;
    }

    /**
     * The gradient's device memory (a leaf's survives steps; an intermediate's lives as long as the tensor).
     *
     * @return the buffer
     * @throws IllegalStateException when there is no gradient ({@link #hasGrad()} is false)
     */
    public Buffer gradBuffer() {
        if (!hasGrad()) throw new IllegalStateException("tensor " + shapeString() + " has no gradient");
        return memory.grad;
    }

    /** {@return the gradient copied to the host, row-major, or null when there is none} */
    public float[] gradToArray() {
        if (!hasGrad()) return null;
        float[] out = new float[size];
        device.kernels().read(memory.grad, 0, out, 0, size);
        return out;
    }

    /** Forgets the gradient without touching memory: the next gradient written overwrites it. */
    public void zeroGrad() {
        gradValid = false;
    }

    /** Where a gradient with respect to this tensor goes, and whether it adds to one already there. */
    /**
     * Where a gradient goes.
     *
     * @param buffer     the gradient's device memory, of the tensor's size
     * @param accumulate whether to add to what is there (false: overwrite)
     */
    public record GradSlot(Buffer buffer, boolean accumulate) {}

    /**
     * The buffer an op's backward writes this tensor's gradient into; {@code accumulate} is false for the
     * first write after {@link #zeroGrad()}.
     *
     * @return the slot, or null when this tensor does not require grad
     */
    public GradSlot gradSlot() {
        if (!requiresGrad) return null;
        if (memory.grad == null) memory.grad = device.memory().take(size);
        boolean acc = gradValid;
        gradValid = true;
        return new GradSlot(memory.grad, acc);
    }

    /** Backpropagates from this scalar: fills the gradient of every leaf that requires grad. */
    public void backward() {
        Backprop.run(this);
    }

    // ---- lifetime ---------------------------------------------------------------------------------

    /**
     * Takes this tensor out of its {@link Scope}, so that it outlives it (parameters, state kept across steps):
     * close it yourself, or its buffer returns to the pool once it is unreachable.
     *
     * @return this tensor
     */
    public Tensor keep() {
        if (Scope.unregister(this) && cleanable == null) cleanable = CLEANER.register(this, memory);
        return this;
    }

    /** Gives the memory (and the gradient's) back to the pool. Idempotent. */
    @Override
    public void close() {
        memory.giveBack();
        if (cleanable != null) cleanable.clean();
        gradValid = false;
        Reference.reachabilityFence(this);
    }

    // ---- ops, PyTorch style (each defined in dev.jgrad.ops) ---------------------------------------

    /**
     * Matrix product.
     *
     * @param other the right operand [k, n]; this tensor is [m, k]
     * @return the product [m, n]
     */
    public Tensor matmul(Tensor other) {
        return MatMul.matmul(this, other, false, false);
    }

    /**
     * Elementwise sum, with NumPy-style broadcasting of the shapes.
     *
     * @param other the other operand, on the same device
     * @return a new tensor of the broadcast shape
     */
    public Tensor add(Tensor other) {
        return Elementwise.add(this, other);
    }

    /**
     * Elementwise difference (this - other), with NumPy-style broadcasting of the shapes.
     *
     * @param other the other operand, on the same device
     * @return a new tensor of the broadcast shape
     */
    public Tensor sub(Tensor other) {
        return Elementwise.sub(this, other);
    }

    /**
     * Elementwise product, with NumPy-style broadcasting of the shapes.
     *
     * @param other the other operand, on the same device
     * @return a new tensor of the broadcast shape
     */
    public Tensor mul(Tensor other) {
        return Elementwise.mul(this, other);
    }

    /**
     * Elementwise quotient (this / other), with NumPy-style broadcasting of the shapes.
     *
     * @param other the other operand, on the same device
     * @return a new tensor of the broadcast shape
     */
    public Tensor div(Tensor other) {
        return Elementwise.div(this, other);
    }

    /** {@return max(x, 0) of each element, as a new tensor} */
    public Tensor relu() {
        return Elementwise.unary(UnaryOp.RELU, 0f, this);
    }

    /** {@return 1 / (1 + exp(-x)) of each element, as a new tensor} */
    public Tensor sigmoid() {
        return Elementwise.unary(UnaryOp.SIGMOID, 0f, this);
    }

    /** {@return tanh(x) of each element, as a new tensor} */
    public Tensor tanh() {
        return Elementwise.unary(UnaryOp.TANH, 0f, this);
    }

    /** {@return exp(x) of each element, as a new tensor} */
    public Tensor exp() {
        return Elementwise.unary(UnaryOp.EXP, 0f, this);
    }

    /** {@return the natural logarithm of each element, as a new tensor} */
    public Tensor log() {
        return Elementwise.unary(UnaryOp.LOG, 0f, this);
    }

    /** {@return -x of each element, as a new tensor} */
    public Tensor neg() {
        return Elementwise.unary(UnaryOp.NEG, 0f, this);
    }

    /** {@return x * x of each element, as a new tensor} */
    public Tensor square() {
        return Elementwise.unary(UnaryOp.SQUARE, 0f, this);
    }

    /** {@return the sum of all elements, as a scalar tensor} */
    public Tensor sum() {
        return Reductions.sum(this);
    }

    /** {@return the mean of all elements, as a scalar tensor} */
    public Tensor mean() {
        return Reductions.mean(this);
    }

    /**
     * Sum over one axis.
     *
     * @param axis the axis to sum over, which the result lacks
     * @return the sums, a tensor of rank one less
     */
    public Tensor sum(int axis) {
        return Reductions.sum(this, axis);
    }

    /** {@return the softmax over the last axis: each row turned into probabilities that sum to 1} */
    public Tensor softmax() {
        return Softmax.softmax(this);
    }

    @Override
    public String toString() {
        return "Tensor" + shapeString() + " on " + device.info().id() + (requiresGrad ? " (requires grad)" : "");
    }

    static int sizeOf(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n *= d;
            if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
        }
        return (int) n;
    }
}
