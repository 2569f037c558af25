package dev.jgrad.cpu;

import dev.jgrad.spi.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the elementwise kernels a training step spends its non-GEMM time in. Each one
 * performs, per element, exactly the float operations of the scalar reference in {@link CpuDevice} (no
 * fused multiply-add, same order), so vector lanes and scalar tails agree bit for bit and results do not
 * depend on where a thread's range starts. Ops without a vector form here fall back to the reference.
 */
final class VectorKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorKernels() {}

    /** Whether {@link #unary} has a vector form of op (the rest run the scalar reference). */
    static boolean vectorized(UnaryOp op) {
        return switch (op) {
            case IDENTITY, RELU, LEAKY_RELU, NEG, SQUARE, SQRT, ABS -> true;
            default -> false;
        };
    }

    /** y[from, to) = op(x[from, to)). */
    static void unary(UnaryOp op, float p, float[] x, float[] y, int from, int to) {
        int i = from;
        if (vectorized(op)) {
            for (; i <= to - L; i += L) unaryVector(op, p, FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        for (; i < to; i++) y[i] = CpuDevice.apply(op, p, x[i]);
    }

    private static FloatVector unaryVector(UnaryOp op, float p, FloatVector v) {
        return switch (op) {
            case IDENTITY -> v;
            case RELU -> v.broadcast(0f).blend(v, v.compare(VectorOperators.GT, 0f));
            case LEAKY_RELU -> v.mul(p).blend(v, v.compare(VectorOperators.GT, 0f));
            case NEG -> v.neg();
            case SQUARE -> v.mul(v);
            case SQRT -> v.sqrt();
            case ABS -> v.abs();
            default -> throw new IllegalArgumentException(op + " has no vector form");
        };
    }

    /** Applies act in place to a rows x cols block of c at offset, row stride ld: the GEMM epilogue. */
    static void activate(UnaryOp act, float p, float[] c, int offset, int ld, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = offset + r * ld;
            unary(act, p, c, c, o, o + cols);
        }
    }

    /** gx[from, to) (+)= gy * op'(x) for the ops whose derivative {@link #unaryBackwardVectorized} is true. */
    static boolean unaryBackwardVectorized(UnaryOp op) {
        return op == UnaryOp.RELU || op == UnaryOp.LEAKY_RELU || op == UnaryOp.IDENTITY;
    }

    static void unaryBackward(UnaryOp op, float p, float[] x, float[] gy, float[] gx, boolean accumulate, int from, int to) {
        int i = from;
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector below = FloatVector.broadcast(S, op == UnaryOp.LEAKY_RELU ? p : 0f);
        for (; i <= to - L; i += L) {
            FloatVector g = FloatVector.fromArray(S, gy, i);
            if (op != UnaryOp.IDENTITY) {
                VectorMask<Float> pos = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
                g = g.mul(below.blend(one, pos));
            } else {
                g = g.mul(one);
            }
            if (accumulate) g = FloatVector.fromArray(S, gx, i).add(g);
            g.intoArray(gx, i);
        }
        for (; i < to; i++) {
            float g = gy[i] * CpuDevice.derivative(op, p, x[i], 0f);
            gx[i] = accumulate ? gx[i] + g : g;
        }
    }

    /**
     * g = gy * act'(y) over columns [c0, c1) of a [rows, cols] block, and gBias[c0, c1) (+)= the column
     * sums of g, added row by row in order (as the reference does), in the same pass over memory.
     */
    static void activationBackwardBiasGrad(UnaryOp act, float p, int rows, int cols, float[] y, float[] gy, float[] g,
                                           float[] gBias, boolean accumulateBias, int c0, int c1) {
        if (gBias != null && !accumulateBias) java.util.Arrays.fill(gBias, c0, c1, 0f);
        boolean vector = act == UnaryOp.RELU || act == UnaryOp.LEAKY_RELU || act == UnaryOp.IDENTITY;
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector below = FloatVector.broadcast(S, act == UnaryOp.LEAKY_RELU ? p : 0f);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int j = c0;
            if (vector) {
                for (; j <= c1 - L; j += L) {
                    FloatVector d = act == UnaryOp.IDENTITY ? one
                            : below.blend(one, FloatVector.fromArray(S, y, o + j).compare(VectorOperators.GT, 0f));
                    FloatVector gv = FloatVector.fromArray(S, gy, o + j).mul(d);
                    gv.intoArray(g, o + j);
                    if (gBias != null) FloatVector.fromArray(S, gBias, j).add(gv).intoArray(gBias, j);
                }
            }
            for (; j < c1; j++) {
                float gj = gy[o + j] * CpuDevice.derivativeFromOutput(act, p, y[o + j]);
                g[o + j] = gj;
                if (gBias != null) gBias[j] += gj;
            }
        }
    }

    /** y = alpha*x + beta*y over [from, to). */
    static void axpby(float alpha, float[] x, float beta, float[] y, int from, int to) {
        int i = from;
        for (; i <= to - L; i += L) {
            FloatVector ax = FloatVector.fromArray(S, x, i).mul(alpha);
            FloatVector r;
            if (beta == 1f) r = FloatVector.fromArray(S, y, i).add(ax);
            else if (beta == 0f) r = ax;
            else r = ax.add(FloatVector.fromArray(S, y, i).mul(beta));
            r.intoArray(y, i);
        }
        for (; i < to; i++) {
            if (beta == 1f) y[i] += alpha * x[i];
            else if (beta == 0f) y[i] = alpha * x[i];
            else y[i] = alpha * x[i] + beta * y[i];
        }
    }

    /** PyTorch's SGD over [from, to); v is null without momentum. */
    static void sgd(float[] p, float[] g, float[] v, float lr, float momentum, float weightDecay, boolean nesterov,
                    int from, int to) {
        int i = from;
        for (; i <= to - L; i += L) {
            FloatVector pv = FloatVector.fromArray(S, p, i);
            FloatVector d = FloatVector.fromArray(S, g, i).add(pv.mul(weightDecay));
            if (v != null) {
                FloatVector vi = FloatVector.fromArray(S, v, i).mul(momentum).add(d);
                vi.intoArray(v, i);
                d = nesterov ? d.add(vi.mul(momentum)) : vi;
            }
            pv.sub(d.mul(lr)).intoArray(p, i);
        }
        for (; i < to; i++) {
            float d = g[i] + weightDecay * p[i];
            if (v != null) {
                float vi = momentum * v[i] + d;
                v[i] = vi;
                d = nesterov ? d + momentum * vi : vi;
            }
            p[i] -= lr * d;
        }
    }

    /** PyTorch's Adam / AdamW over [from, to), with stepSize = lr/bc1 and decay = 1 - lr*wd (or 1). */
    static void adam(float[] p, float[] g, float[] m, float[] v, float beta1, float beta2, float eps, float weightDecay,
                     boolean decoupled, float stepSize, float sqrtBc2, float decay, int from, int to) {
        int i = from;
        float b1c = 1f - beta1, b2c = 1f - beta2;
        for (; i <= to - L; i += L) {
            FloatVector pv = FloatVector.fromArray(S, p, i);
            FloatVector pi = pv.mul(decay);
            FloatVector gi = FloatVector.fromArray(S, g, i);
            if (!decoupled) gi = gi.add(pv.mul(weightDecay));
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(beta1).add(gi.mul(b1c));
            FloatVector vi = FloatVector.fromArray(S, v, i).mul(beta2).add(gi.mul(b2c).mul(gi));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            pi.sub(mi.mul(stepSize).div(vi.sqrt().div(sqrtBc2).add(eps))).intoArray(p, i);
        }
        for (; i < to; i++) {
            float pi = p[i] * decay;
            float gi = decoupled ? g[i] : g[i] + weightDecay * p[i];
            float mi = beta1 * m[i] + b1c * gi;
            float vi = beta2 * v[i] + b2c * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] = pi - stepSize * mi / ((float) Math.sqrt(vi) / sqrtBc2 + eps);
        }
    }

    /**
     * Sum of x[from, to) in a fixed order (L interleaved partial sums, added lane 0 first, then the tail).
     * Not {@code reduceLanes(ADD)}: its order is unspecified for floats, and the JIT-compiled and the
     * interpreted forms differ, so a run's results would depend on when the JIT kicked in.
     */
    static float sum(float[] x, int from, int to) {
        int i = from;
        FloatVector acc = FloatVector.zero(S);
        for (; i <= to - L; i += L) acc = acc.add(FloatVector.fromArray(S, x, i));
        float s = 0f;
        for (int lane = 0; lane < L; lane++) s += acc.lane(lane);
        for (; i < to; i++) s += x[i];
        return s;
    }
}
