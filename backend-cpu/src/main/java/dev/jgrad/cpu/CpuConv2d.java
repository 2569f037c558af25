package dev.jgrad.cpu;

import dev.jgrad.spi.ConvGeometry;
import dev.jgrad.spi.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Convolution as one small GEMM per image, in the images' own [c, h, w] layout, so nothing is transposed
 * and no batch-sized patch matrix is written to memory. Each thread takes whole images; for each it
 * unfolds the patches into a [c*kh*kw, oh*ow] matrix of its own (Caffe's im2col order, a few hundred KiB
 * at most, so it stays in the L2 cache), then:
 * <ul>
 *   <li>forward: y_b [f, oh*ow] = weight [f, c*kh*kw] · cols_b, then bias and activation while y_b is
 *       still in cache;</li>
 *   <li>backward: gWeightᵀ [c*kh*kw, f] += cols_b · gy_bᵀ (the patches are unfolded again instead of kept
 *       from the forward pass: re-reading x is cheaper than writing and re-reading the patches), gBias +=
 *       gy_b's row sums, and gCols_b = weightᵀ · gy_b folded back into gx_b.</li>
 * </ul>
 * The weights are packed for the GEMM once per call ({@link Sgemm.PackedA}), not once per image.
 * Weight and bias gradients sum over the batch in fixed chunks of {@link #CHUNK} images, each into its own
 * partial sum, added in chunk order at the end: which thread computes a chunk never changes a bit, so the
 * results are identical for any thread count (and every image's forward is computed by one thread alone).
 */
final class CpuConv2d {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Images per partial weight gradient: enough chunks to share among threads, few enough to add up cheaply. */
    static final int CHUNK = 8;

    private final Parallel parallel;
    private final Sgemm sgemm;
    /** Per thread: the unfolded patches of its current image, and the gradient of those patches. */
    private final float[][] cols;
    private final float[][] gradCols;
    /** Per chunk of images: the partial gWeightᵀ [patch, f] followed by the partial gBias [f]. */
    private float[] partials = new float[0];
    /** The weights packed once per call for the GEMMs of every image: as A for the forward pass, as Aᵀ for gCols. */
    private final Sgemm.PackedA packedWeight = new Sgemm.PackedA();

    CpuConv2d(Parallel parallel, Sgemm sgemm) {
        this.parallel = parallel;
        this.sgemm = sgemm;
        this.cols = new float[parallel.threads()][0];
        this.gradCols = new float[parallel.threads()][0];
    }

    void forward(ConvGeometry g, float[] x, float[] weight, float[] bias, UnaryOp act, float actParam, float[] y) {
        int ohw = g.oh() * g.ow(), patch = g.patch(), f = g.f();
        int image = g.c() * g.h() * g.w();
        boolean direct = isPointwise(g);
        Sgemm.PackedA w = packedWeight;
        Sgemm.pack(false, f, patch, weight, 0, w);
        forEachImageRange(g.n(), (long) g.n() * ohw * patch * f, (part, from, to) -> {
            float[] cb = direct ? null : ensure(cols, part, patch * ohw + L);
            for (int b = from; b < to; b++) {
                int yo = b * f * ohw;
                if (direct) {
                    sgemm.gemmOnThread(part, w, false, ohw, x, b * image, y, yo, false);
                } else {
                    unfold(g, x, b * image, cb);
                    sgemm.gemmOnThread(part, w, false, ohw, cb, 0, y, yo, false);
                }
                for (int o = 0; o < f; o++) biasActivate(y, yo + o * ohw, ohw, bias, o, act, actParam);
            }
        });
    }

    void backward(ConvGeometry g, float[] x, float[] weight, float[] gy, float[] gx, boolean accumulateX,
                  float[] gWeight, boolean accumulateWeight, float[] gBias, boolean accumulateBias) {
        int n = g.n(), ohw = g.oh() * g.ow(), patch = g.patch(), f = g.f();
        if (n == 0) {
            if (gWeight != null && !accumulateWeight) Arrays.fill(gWeight, 0, f * patch, 0f);
            if (gBias != null && !accumulateBias) Arrays.fill(gBias, 0, f, 0f);
            return;
        }
        int image = g.c() * g.h() * g.w();
        boolean direct = isPointwise(g);
        boolean params = gWeight != null || gBias != null;
        int chunks = (n + CHUNK - 1) / CHUNK;
        int per = patch * f + f;
        if (params && partials.length < chunks * per) partials = new float[chunks * per];
        float[] sums = partials;
        long work = (long) n * ohw * patch * f * ((gx != null ? 1 : 0) + (params ? 1 : 0));
        int parts = Math.min(parallel.threads(), chunks);
        Sgemm.PackedA wt = packedWeight;
        if (gx != null) Sgemm.pack(true, patch, f, weight, 0, wt);
        Parallel.PartBody body = (part, ps) -> {
            float[] cb = params && !direct ? ensure(cols, part, patch * ohw + L) : null;
            float[] gc = gx != null && !direct ? ensure(gradCols, part, patch * ohw) : null;
            for (int ch = chunks * part / ps; ch < chunks * (part + 1) / ps; ch++) {
                int po = ch * per;
                for (int b = ch * CHUNK; b < Math.min(n, (ch + 1) * CHUNK); b++) {
                    int go = b * f * ohw;
                    boolean first = b == ch * CHUNK;
                    if (params) {
                        float[] colsB = direct ? x : cb;
                        int colsO = direct ? b * image : 0;
                        if (!direct) unfold(g, x, b * image, cb);
                        sgemm.gemmOnThread(part, false, true, patch, f, ohw, colsB, colsO, gy, go, sums, po, !first);
                        for (int o = 0; o < f; o++) {
                            float s = VectorKernels.sum(gy, go + o * ohw, go + (o + 1) * ohw);
                            sums[po + patch * f + o] = first ? s : sums[po + patch * f + o] + s;
                        }
                    }
                    if (gx != null) {
                        if (direct) {
                            sgemm.gemmOnThread(part, wt, false, ohw, gy, go, gx, b * image, accumulateX);
                        } else {
                            sgemm.gemmOnThread(part, wt, false, ohw, gy, go, gc, 0, false);
                            fold(g, gc, gx, b * image, accumulateX);
                        }
                    }
                }
            }
        };
        if (parts <= 1 || work < (1L << 19)) {
            for (int p = 0; p < parts; p++) body.run(p, parts);
        } else {
            parallel.forEachPart(parts, body);
        }
        if (params) reducePartials(chunks, patch, f, gWeight, accumulateWeight, gBias, accumulateBias);
    }

    /**
     * gWeight [f, patch] (+)= the sum over chunks, in chunk order, of the partial gWeightᵀ [patch, f]; gBias
     * likewise. The sum runs along f, contiguous in the partials; the transpose is done row by row.
     */
    private void reducePartials(int chunks, int patch, int f, float[] gWeight, boolean accumulateWeight,
                                float[] gBias, boolean accumulateBias) {
        int per = patch * f + f;
        float[] p = partials;
        for (int ch = 1; ch < chunks; ch++) {
            int o = ch * per;
            int i = 0;
            for (; i <= per - L; i += L) {
                FloatVector.fromArray(S, p, i).add(FloatVector.fromArray(S, p, o + i)).intoArray(p, i);
            }
            for (; i < per; i++) p[i] += p[o + i];
        }
        if (gWeight != null) {
            for (int k = 0; k < patch; k++) {
                for (int o = 0; o < f; o++) {
                    float v = p[k * f + o];
                    gWeight[o * patch + k] = accumulateWeight ? gWeight[o * patch + k] + v : v;
                }
            }
        }
        if (gBias != null) {
            for (int o = 0; o < f; o++) {
                float v = p[patch * f + o];
                gBias[o] = accumulateBias ? gBias[o] + v : v;
            }
        }
    }

    /** A 1x1 convolution with stride 1 and no padding: the image itself is the patch matrix. */
    private static boolean isPointwise(ConvGeometry g) {
        return g.kh() == 1 && g.kw() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 0 && g.padW() == 0;
    }

    private interface ImageRange {
        void run(int part, int from, int to);
    }

    /** Splits the images among the threads in contiguous ranges (one per thread), unless the work is small. */
    private void forEachImageRange(int n, long multiplyAdds, ImageRange body) {
        int parts = Math.min(parallel.threads(), n);
        if (parts <= 1 || multiplyAdds < (1L << 19)) {
            body.run(0, 0, n);
            return;
        }
        parallel.forEachPart(parts, (part, ps) -> body.run(part, n * part / ps, n * (part + 1) / ps));
    }

    private static float[] ensure(float[][] buffers, int part, int length) {
        if (buffers[part].length < length) buffers[part] = new float[length];
        return buffers[part];
    }

    /**
     * cols[(ci*kh + ky)*kw + kx, oy*ow + ox] = x[xo + (ci*h + iy)*w + ix] with iy = oy*sh - ph + ky and
     * ix = ox*sw - pw + kx, or 0 in the padding. With stride 1 each output row is one contiguous copy.
     */
    static void unfold(ConvGeometry g, float[] x, int xo, float[] cols) {
        int h = g.h(), w = g.w(), kh = g.kh(), kw = g.kw(), sh = g.strideH(), sw = g.strideW(), ph = g.padH(), pw = g.padW();
        int oh = g.oh(), ow = g.ow(), ohw = oh * ow;
        if (rowsInOneVector(g)) {
            // each output row is one whole-vector copy, no call and no scalar tail per 11-float row: the lanes
            // past the row land where the next rows go, and those are written after it (o only grows); masks
            // only where a vector would run past the end of x or of cols
            VectorMask<Float> row = VectorMask.fromLong(S, (1L << ow) - 1);
            int xEnd = x.length - L, colsEnd = cols.length - L;
            int r = 0;
            for (int ci = 0; ci < g.c(); ci++) {
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++, r++) {
                        int src = xo + (ci * h + ky) * w + kx;
                        for (int oy = 0, o = r * ohw; oy < oh; oy++, o += ow, src += w) {
                            FloatVector v = src <= xEnd ? FloatVector.fromArray(S, x, src) : FloatVector.fromArray(S, x, src, row);
                            if (o <= colsEnd) v.intoArray(cols, o);
                            else v.intoArray(cols, o, row);
                        }
                    }
                }
            }
            return;
        }
        int r = 0;
        for (int ci = 0; ci < g.c(); ci++) {
            int plane = xo + ci * h * w;
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++, r++) {
                    int ro = r * ohw;
                    // the output columns whose input column lies inside the image: ox in [lo, hi)
                    int lo = Math.max(0, ceilDiv(pw - kx, sw));
                    int hi = Math.min(ow, Math.max(lo, ceilDiv(w + pw - kx, sw)));
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * sh - ph + ky;
                        int o = ro + oy * ow;
                        if (iy < 0 || iy >= h) {
                            Arrays.fill(cols, o, o + ow, 0f);
                            continue;
                        }
                        if (lo > 0) Arrays.fill(cols, o, o + lo, 0f);
                        int src = plane + iy * w + lo * sw - pw + kx;
                        if (sw == 1) {
                            System.arraycopy(x, src, cols, o + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++, src += sw) cols[o + ox] = x[src];
                        }
                        if (hi < ow) Arrays.fill(cols, o + hi, o + ow, 0f);
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #unfold}: x[xo + ...] (+)= every cols entry read from that position. */
    static void fold(ConvGeometry g, float[] cols, float[] x, int xo, boolean accumulate) {
        int h = g.h(), w = g.w(), kh = g.kh(), kw = g.kw(), sh = g.strideH(), sw = g.strideW(), ph = g.padH(), pw = g.padW();
        int oh = g.oh(), ow = g.ow(), ohw = oh * ow;
        if (rowsInOneVector(g)) {
            foldRows(g, cols, x, xo, accumulate);
            return;
        }
        if (!accumulate) Arrays.fill(x, xo, xo + g.c() * h * w, 0f);
        int r = 0;
        for (int ci = 0; ci < g.c(); ci++) {
            int plane = xo + ci * h * w;
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++, r++) {
                    int ro = r * ohw;
                    int lo = Math.max(0, ceilDiv(pw - kx, sw));
                    int hi = Math.min(ow, Math.max(lo, ceilDiv(w + pw - kx, sw)));
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * sh - ph + ky;
                        if (iy < 0 || iy >= h) continue;
                        int o = ro + oy * ow;
                        int dst = plane + iy * w + lo * sw - pw + kx;
                        if (sw == 1) {
                            addInto(cols, o + lo, x, dst, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++, dst += sw) x[dst] += cols[o + ox];
                        }
                    }
                }
            }
        }
    }

    /**
     * Stride 1, no padding, and an image row fits one vector (AVX-512: up to 16 floats): {@link #unfold} and
     * {@link #fold} then move whole rows as single masked vectors.
     */
    private static boolean rowsInOneVector(ConvGeometry g) {
        return L >= 16 && g.w() <= L && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 0 && g.padW() == 0;
    }

    /**
     * {@link #fold} for {@link #rowsInOneVector}: each row of x is summed in a register from the cols rows
     * that read it (each shifted by its kx) and stored once, instead of one read-modify-write of x per cols
     * row. Every element receives its terms in the same order as in the general loop (cols row r
     * ascending, after x's own value or 0), so the sums are the same bit for bit.
     */
    private static void foldRows(ConvGeometry g, float[] cols, float[] x, int xo, boolean accumulate) {
        int h = g.h(), w = g.w(), kh = g.kh(), kw = g.kw();
        int oh = g.oh(), ow = g.ow(), ohw = oh * ow;
        VectorMask<Float> row = S.indexInRange(0, w);
        // lanes 0 .. ow-1, shifted by kx below (indexInRange with a negative offset is not an intrinsic)
        long lanes = (1L << ow) - 1;
        for (int ci = 0; ci < g.c(); ci++) {
            for (int iy = 0; iy < h; iy++) {
                int dst = xo + (ci * h + iy) * w;
                FloatVector acc = accumulate ? FloatVector.fromArray(S, x, dst, row) : FloatVector.zero(S);
                for (int ky = Math.max(0, iy - oh + 1); ky <= Math.min(kh - 1, iy); ky++) {
                    int oy = iy - ky;
                    for (int kx = 0; kx < kw; kx++) {
                        int r = (ci * kh + ky) * kw + kx;
                        // lanes kx .. kx + ow - 1 of the x row take cols row r's output row oy
                        acc = acc.add(FloatVector.fromArray(S, cols, r * ohw + oy * ow - kx, VectorMask.fromLong(S, lanes << kx)));
                    }
                }
                acc.intoArray(x, dst, row);
            }
        }
    }

    /**
     * y[yo, yo + len) += x[xo, xo + len). A plain loop, which C2 vectorizes by itself: the rows are short (an
     * output row: 11 floats for the reference CNN's second convolution), and an 8-float vector for their remainder
     * would be a second vector size beside the machine's own (see {@link CpuPoolKernels}).
     */
    private static void addInto(float[] x, int xo, float[] y, int yo, int len) {
        for (int i = 0; i < len; i++) y[yo + i] += x[xo + i];
    }

    /**
     * y[o, o + len) = act(y + bias[filter]) (no bias when it is null). The bias is added by a plain loop, which
     * C2 vectorizes by itself: as Vector API code this small loop, inlined into the large convolution lambda,
     * was now and then compiled around the Vector API's allocating fallback for good.
     */
    private static void biasActivate(float[] y, int o, int len, float[] bias, int filter, UnaryOp act, float actParam) {
        if (bias != null) {
            float b = bias[filter];
            for (int i = o; i < o + len; i++) y[i] += b;
        }
        if (act != UnaryOp.IDENTITY) VectorKernels.unary(act, actParam, y, y, o, o + len);
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
