package dev.jgrad.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/** The reference max- and average-pooling kernels (see {@link dev.jgrad.spi.DeviceKernels#maxPool2d}), one plane per task. */
final class CpuPoolKernels {
    private static final int PARALLEL_FLOATS = 1 << 15;
    /**
     * The machine's own vectors, never a second size beside the other kernels': with two vector classes the
     * Vector API's call profiles are mixed, and a kernel C2 compiles then can be left boxing a vector for good.
     * A 2 x 2, stride-2 pooling takes 8 windows (16 floats) of an input row pair at a time: with 8 lanes one output
     * row per vector, with 16 lanes two output rows, 8 windows each. Other widths take the scalar loop.
     */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final boolean VECTOR_POOL = L == 8 || L == 16;
    /** Output rows a vector covers. */
    private static final int ROWS = L / 8;
    /**
     * Lane i takes lane 2i of the first source vector (the left column of each window), or, past its end, lane
     * 2i - L of the second: for 8 lanes the row's next 8 floats, for 16 lanes the next output row's input row.
     */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> 2 * i);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> 2 * i + 1);
    /** Lane i's window start relative to the first, before the second row's offset: 2i. */
    private static final FloatVector STEP2 = FloatVector.fromArray(S, lanes(i -> 2 * i), 0);
    /** 1 in the lanes of the second output row (16 lanes), else 0. */
    private static final FloatVector SECOND_ROW = FloatVector.fromArray(S, lanes(i -> i >= 8 ? 1 : 0), 0);
    private static final VectorMask<Float> FIRST_ROW_LANES = VectorMask.fromLong(S, 0xFF);
    private static final VectorMask<Float> SECOND_ROW_LANES = FIRST_ROW_LANES.not();

    private CpuPoolKernels() {}

    private static float[] lanes(IntUnaryOperator value) {
        float[] v = new float[L];
        for (int i = 0; i < L; i++) v[i] = value.applyAsInt(i);
        return v;
    }

    static void maxPool2d(Parallel parallel, int planes, int h, int w, int k, int stride, int pad, float[] x, float[] y,
                          float[] indices) {
        int oh = (h + 2 * pad - k) / stride + 1;
        int ow = (w + 2 * pad - k) / stride + 1;
        parallel.forRange(planes, 1, (long) planes * h * w >= PARALLEL_FLOATS, (from, to) -> {
            for (int p = from; p < to; p++) {
                int xb = p * h * w;
                int yb = p * oh * ow;
                if (pad == 0) {
                    maxPlaneUnpadded(x, y, indices, xb, yb, w, oh, ow, k, stride);
                    continue;
                }
                for (int oy = 0; oy < oh; oy++) {
                    int y0 = oy * stride - pad;
                    for (int ox = 0; ox < ow; ox++) {
                        int x0 = ox * stride - pad;
                        float best = Float.NEGATIVE_INFINITY;
                        int at = -1;
                        for (int ky = 0; ky < k; ky++) {
                            int iy = y0 + ky;
                            if (iy < 0 || iy >= h) continue;
                            for (int kx = 0; kx < k; kx++) {
                                int ix = x0 + kx;
                                if (ix < 0 || ix >= w) continue;
                                float v = x[xb + iy * w + ix];
                                if (at < 0 || v > best || (v != v && best == best)) {     // NaN wins, as in PyTorch
                                    best = v;
                                    at = iy * w + ix;
                                }
                            }
                        }
                        y[yb + oy * ow + ox] = best;
                        indices[yb + oy * ow + ox] = at;
                    }
                }
            }
        });
    }

    /** One plane without padding: every window lies inside the image, so no bounds checks. */
    private static void maxPlaneUnpadded(float[] x, float[] y, float[] indices, int xb, int yb, int w, int oh, int ow,
                                         int k, int stride) {
        if (k == 2) {
            maxPlane2x2(x, y, indices, xb, yb, w, oh, ow, stride);
            return;
        }
        for (int oy = 0; oy < oh; oy++) {
            int rowStart = oy * stride * w;
            for (int ox = 0; ox < ow; ox++) {
                int first = rowStart + ox * stride;
                float best = x[xb + first];
                int at = first;
                for (int ky = 0; ky < k; ky++) {
                    int r = first + ky * w;
                    for (int kx = 0; kx < k; kx++) {
                        float v = x[xb + r + kx];
                        if (v > best || (v != v && best == best)) {
                            best = v;
                            at = r + kx;
                        }
                    }
                }
                y[yb + oy * ow + ox] = best;
                indices[yb + oy * ow + ox] = at;
            }
        }
    }

    /**
     * {@link #maxPlaneUnpadded} for 2 x 2 windows: the maximum by {@code Math.max} (no branches), then its
     * position as integer selects from the last candidate to the first, so ties go to the first in window
     * order. Selects on floats were compiled as branches and mispredicted on about half the windows (16 ns
     * an output, 11 ms of a CNN step's 55 on one core); this form takes 3 ns. A window holding NaN yields
     * NaN at the first NaN's position, as PyTorch's max_pool2d and the OpenCL kernel do.
     */
    private static void maxPlane2x2(float[] x, float[] y, float[] indices, int xb, int yb, int w, int oh, int ow, int stride) {
        // the vector path reads 16 floats from each of the window's rows: as far as the input row goes
        int vectorOutputs = VECTOR_POOL && stride == 2 ? w / 16 * 8 : 0;
        int oy = 0;
        if (vectorOutputs > 0) {
            for (; oy + ROWS <= oh; oy += ROWS) {
                int r0 = oy * 2 * w;
                int o = yb + oy * ow;
                for (int ox = 0; ox < vectorOutputs; ox += 8) max2x2Stride2(x, xb, r0 + 2 * ox, w, y, indices, o + ox, ow);
                for (int r = 0; r < ROWS; r++) maxRow2x2(x, y, indices, xb, r0 + r * 2 * w, o + r * ow, vectorOutputs, ow, stride, w);
            }
        }
        for (; oy < oh; oy++) maxRow2x2(x, y, indices, xb, oy * stride * w, yb + oy * ow, 0, ow, stride, w);
    }

    /** Outputs [from, ow) of one output row of {@link #maxPlane2x2}, whose windows start at plane offset r0. */
    private static void maxRow2x2(float[] x, float[] y, float[] indices, int xb, int r0, int o, int from, int ow, int stride, int w) {
        for (int ox = from; ox < ow; ox++) {
            int at = r0 + ox * stride;
            int i = xb + at;
            float a = x[i], b = x[i + 1], c = x[i + w], d = x[i + w + 1];
            float m = Math.max(Math.max(a, b), Math.max(c, d));
            int pos = at + w + 1;
            pos = c == m ? at + w : pos;
            pos = b == m ? at + 1 : pos;
            pos = a == m ? at : pos;
            if (m != m) pos = a != a ? at : b != b ? at + 1 : c != c ? at + w : at + w + 1;   // NaN: the first one
            y[o + ox] = m;
            indices[o + ox] = pos;
        }
    }

    /**
     * 8 windows of {@link #maxPlane2x2} with stride 2 in each of {@link #ROWS} output rows, the first at plane
     * offset {@code at}, written at y[o] (and, for a second row, y[o + ow]): the same maximum and the same
     * position (ties to the first in window order, NaN at the first NaN) lane by lane, positions held as floats
     * (exact below 2^24, as the indices buffer is).
     */
    private static void max2x2Stride2(float[] x, int xb, int at, int w, float[] y, float[] indices, int o, int ow) {
        int i = xb + at;
        int second = ROWS == 1 ? 8 : 2 * w;        // where the lanes past the first vector's end read from
        FloatVector top0 = FloatVector.fromArray(S, x, i), top1 = FloatVector.fromArray(S, x, i + second);
        FloatVector bot0 = FloatVector.fromArray(S, x, i + w), bot1 = FloatVector.fromArray(S, x, i + w + second);
        FloatVector a = top0.rearrange(EVEN, top1), b = top0.rearrange(ODD, top1);
        FloatVector c = bot0.rearrange(EVEN, bot1), d = bot0.rearrange(ODD, bot1);
        FloatVector m = a.max(b).max(c.max(d));
        FloatVector posA = ROWS == 1 ? STEP2.add((float) at) : SECOND_ROW.mul((float) (2 * w - 16)).add(STEP2).add((float) at);
        FloatVector posB = posA.add(1f), posC = posA.add((float) w), posD = posA.add((float) (w + 1));
        FloatVector pos = posD.blend(posC, c.eq(m)).blend(posB, b.eq(m)).blend(posA, a.eq(m));
        VectorMask<Float> nan = m.test(VectorOperators.IS_NAN);
        if (nan.anyTrue()) {
            FloatVector first = posD.blend(posC, c.test(VectorOperators.IS_NAN)).blend(posB, b.test(VectorOperators.IS_NAN))
                    .blend(posA, a.test(VectorOperators.IS_NAN));
            pos = pos.blend(first, nan);
        }
        if (ROWS == 1) {
            m.intoArray(y, o);
            pos.intoArray(indices, o);
        } else {
            m.intoArray(y, o, FIRST_ROW_LANES);
            pos.intoArray(indices, o, FIRST_ROW_LANES);
            m.intoArray(y, o + ow - 8, SECOND_ROW_LANES);
            pos.intoArray(indices, o + ow - 8, SECOND_ROW_LANES);
        }
    }

    static void maxPool2dBackward(Parallel parallel, int planes, int h, int w, int k, int stride, int pad, float[] gy,
                                  float[] indices, float[] gx, boolean accumulate) {
        int oh = (h + 2 * pad - k) / stride + 1;
        int ow = (w + 2 * pad - k) / stride + 1;
        int per = oh * ow;
        parallel.forRange(planes, 1, (long) planes * h * w >= PARALLEL_FLOATS, (from, to) -> {
            for (int p = from; p < to; p++) {
                int xb = p * h * w;
                if (!accumulate) Arrays.fill(gx, xb, xb + h * w, 0f);
                int yb = p * per;
                for (int o = 0; o < per; o++) gx[xb + (int) indices[yb + o]] += gy[yb + o];
            }
        });
    }

    static void avgPool2d(Parallel parallel, int planes, int h, int w, int k, int stride, int pad, float[] x, float[] y) {
        int oh = (h + 2 * pad - k) / stride + 1;
        int ow = (w + 2 * pad - k) / stride + 1;
        float inv = 1f / (k * k);
        parallel.forRange(planes, 1, (long) planes * h * w >= PARALLEL_FLOATS, (from, to) -> {
            for (int p = from; p < to; p++) {
                int xb = p * h * w;
                int yb = p * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        float s = 0f;
                        for (int ky = 0; ky < k; ky++) {
                            int iy = oy * stride - pad + ky;
                            if (iy < 0 || iy >= h) continue;
                            for (int kx = 0; kx < k; kx++) {
                                int ix = ox * stride - pad + kx;
                                if (ix >= 0 && ix < w) s += x[xb + iy * w + ix];
                            }
                        }
                        y[yb + oy * ow + ox] = s * inv;
                    }
                }
            }
        });
    }

    static void avgPool2dBackward(Parallel parallel, int planes, int h, int w, int k, int stride, int pad, float[] gy,
                                  float[] gx, boolean accumulate) {
        int oh = (h + 2 * pad - k) / stride + 1;
        int ow = (w + 2 * pad - k) / stride + 1;
        float inv = 1f / (k * k);
        parallel.forRange(planes, 1, (long) planes * h * w >= PARALLEL_FLOATS, (from, to) -> {
            for (int p = from; p < to; p++) {
                int xb = p * h * w;
                if (!accumulate) Arrays.fill(gx, xb, xb + h * w, 0f);
                int yb = p * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        float g = gy[yb + oy * ow + ox] * inv;
                        for (int ky = 0; ky < k; ky++) {
                            int iy = oy * stride - pad + ky;
                            if (iy < 0 || iy >= h) continue;
                            for (int kx = 0; kx < k; kx++) {
                                int ix = ox * stride - pad + kx;
                                if (ix >= 0 && ix < w) gx[xb + iy * w + ix] += g;
                            }
                        }
                    }
                }
            }
        });
    }
}
