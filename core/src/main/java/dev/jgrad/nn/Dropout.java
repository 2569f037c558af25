package dev.jgrad.nn;

import dev.jgrad.device.Device;
import dev.jgrad.tensor.Tensor;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * PyTorch's {@code nn.Dropout} (inverted: survivors are scaled by 1/(1-p), evaluation is the identity).
 * Masks come from the device's Philox stream: the layer's seed is drawn from the model's seed when it is
 * placed, and each training forward pass consumes the next batch-size elements of the stream, so the same
 * model seed gives the same sequence of masks on every backend.
 */
public final class Dropout extends Module {
    private final float p;
    private long seed;
    private long offset;
    /** Elements per row in the last batch seen, so an origin can be turned into an offset before the next one. */
    private long rowWidth;
    /** The next batch's first row in the stream, or -1 to continue from {@code offset}. */
    private long originRow = -1;

    /**
     * A dropout layer.
     *
     * @param p the probability that an element is zeroed in training, in [0, 1)
     * @throws IllegalArgumentException when {@code p} is outside [0, 1)
     */
    public Dropout(float p) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        this.p = p;
    }

    /** {@return the probability that an element is zeroed in training} */
    public float p() {
        return p;
    }

    /** {@return where in its random stream the next mask starts: the number of elements drawn so far} */
    public long offset() {
        return offset;
    }

    @Override
    void place(Device device, SplittableRandom rng) {
        super.place(device, rng);
        seed = rng.nextLong();
        offset = 0;
        originRow = -1;
    }

    @Override
    void collectCounters(String prefix, Map<String, Long> out) {
        out.put(prefix + "seed", seed);
        out.put(prefix + "offset", offset);
    }

    @Override
    void takeCounters(String prefix, Map<String, Long> in) {
        Long s = in.remove(prefix + "seed");
        Long o = in.remove(prefix + "offset");
        if (s == null || o == null || o < 0) throw new IllegalArgumentException("missing counters " + prefix + "seed/offset for " + describe());
        seed = s;
        offset = o;
        originRow = -1;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0f) return x;
        long width = x.size() / Math.max(1, x.dim(0));
        if (originRow >= 0) offset = originRow * width;
        originRow = -1;
        Tensor y = dev.jgrad.ops.Dropout.dropout(x, p, seed, offset);
        offset += x.size();
        rowWidth = width;
        return y;
    }

    @Override
    void batchOrigin(long row) {
        originRow = row;
        if (rowWidth > 0) offset = row * rowWidth;
    }

    @Override
    public String describe() {
        return "dropout(" + p + ")";
    }
}
