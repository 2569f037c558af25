package dev.jgrad.cpu;

import dev.jgrad.spi.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Single-precision GEMM, C[m,n] (+)= op(A) op(B) (optionally then act(. + bias)), row-major, in the
 * GotoBLAS scheme: op(B) is packed KC x NC at a time into panels NR columns wide, op(A) MC x KC at a time
 * into panels MR rows high, and a register-blocked micro-kernel computes each MR x NR tile of C with
 * broadcast-FMA into 2*MR vector accumulators. Packing absorbs the four transpose combinations and pads
 * the edges with zeros, so the hot loop has no edge cases; partial tiles go through a small scratch tile.
 *
 * <p>Threads split C into contiguous groups of whole panels (columns, or rows when C is narrow), one
 * group per thread, each with its own pack buffers. Every element of C is summed in the same order
 * whatever the split (k in blocks of a size that depends on k alone), so results are bit-identical for
 * any thread count.
 */
final class Sgemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /**
     * -0, added to each accumulator before it is stored (x + -0 is x, bit for bit). An accumulator leaves its
     * loop as a phi whose class C2 takes from the call profile of {@code FloatVector.intoArray}, shared with
     * every other caller (the 256-bit stores of {@link #transpose8} among them); when that profile was not
     * clean at compile time the store's intrinsic failed, every accumulator was boxed on every call, and the
     * kernel ran about ten times slower for the rest of the run. A sum whose receiver is this constant has an
     * exact class, so the store compiles to a vector store whatever the profile says.
     */
    private static final FloatVector EXACT = FloatVector.broadcast(S, -0f);
    private static final int L = S.length();
    /**
     * 8-float vectors for the transposing packs where they are the machine's own (AVX2): an 8 x 8 block is what
     * their shuffles transpose. With AVX-512 the packs transpose two 8 x 8 blocks at once in 16-float vectors
     * instead ({@link #transposeRows16}, {@link #transposePanel16}, {@link #transposeTileRows16}): a second vector
     * size beside the kernels' gives the Vector API's methods call profiles with two classes, and a kernel that
     * C2 compiles while a profile is mixed can be left boxing an accumulator on every call.
     */
    private static final VectorSpecies<Float> S8 = FloatVector.SPECIES_256;
    /** Where 8-float vectors are narrower than the machine's own (no AVX2), they would be emulated: scalar packs. */
    private static final boolean VECTOR_PACKS = L >= 8;
    /**
     * Micro-tile: MR rows x NR columns. 5 x 2 vectors where there are 16 vector registers (AVX2, see
     * {@link #kernel}); 8 x 2 where there are 32 (AVX-512, {@link #kernel8}): 16 accumulators hide the FMA
     * latency with fewer broadcasts per FMA. The packs handle any MR up to 8.
     */
    static final int MR = L >= 16 ? 8 : 5;
    static final int NR = 2 * L;
    /** A KC x NR panel of B stays in L1: 24 KiB (384 x 16 floats with 8-float vectors, 192 x 32 with 16). */
    private static final int KC = 6144 / NR;
    /** An MC x KC block of A stays in L2. */
    private static final int MC = MR == 8 ? 192 : 190;       // whole panels of MR rows
    /** A KC x NC block of B stays in L3. */
    private static final int NC = 2048;
    /**
     * Below this many multiply-adds the work stays on the calling thread: the reference MLP's training
     * step ran 10-20% faster on 2 threads with 2^19 than with 2^17 (a hand-off costs more than it saves
     * on its 128x10x256 GEMMs, more so on a busy machine where the other thread may have lost its core).
     */
    private static final long PARALLEL_THRESHOLD = 1L << 19;

    /**
     * The most floats of A (m x k, packed whole) for {@link #blockBroadcastingB}: 2 MiB, about what stays near
     * the core while every panel of it is read once per 8 rows of B.
     */
    private static final long BROADCAST_MAX_PACK = 1L << 19;

    private static final int INIT_ZERO = 0, INIT_BIAS = 1, INIT_LOAD = 2;
    private static final float[] ZEROS = new float[NR];

    private final Parallel parallel;
    private final Workspace[] workspaces;
    /** The bias, padded with zeros to whole panels, so the micro-kernel can load it as vectors. */
    private float[] biasPad = new float[0];

    /** One thread's pack buffers and scratch tile, grown on demand and kept between calls. */
    private static final class Workspace {
        float[] packA = new float[0];
        float[] packB = new float[0];
        final float[] tile = new float[MR * NR];
        /** One transposed row pair on its way into C ({@link #storeTransposed}). */
        final float[] rows16 = new float[16];
    }

    /** The operands of one call, shared read-only by the threads. */
    private record Call(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                        float[] c, int cOff, boolean accumulate, boolean hasBias, UnaryOp act, float actParam, int kc) {}

    Sgemm(Parallel parallel) {
        this.parallel = parallel;
        this.workspaces = new Workspace[parallel.threads()];
        for (int t = 0; t < workspaces.length; t++) workspaces[t] = new Workspace();
    }

    /** C[m,n] (+)= op(A) op(B). */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        run(transA, transB, m, n, k, a, b, c, accumulate, null, UnaryOp.IDENTITY, 0f);
    }

    /**
     * C[m,n] (+)= op(A) op(B) with the matrices starting at the given offsets of their arrays, computed on the
     * calling thread with workspace {@code workspace}'s pack buffers: for callers that split a batch of small
     * GEMMs among the threads themselves (part p of {@link Parallel#forEachPart} uses workspace p). The sums
     * are the same as {@link #gemm}'s for the same operands.
     */
    void gemmOnThread(int workspace, boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
                      float[] b, int bOff, float[] c, int cOff, boolean accumulate) {
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * n, cOff + (i + 1) * n, 0f);
            return;
        }
        Call call = new Call(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate, false, UnaryOp.IDENTITY, 0f,
                balancedKc(k));
        block(call, workspaces[workspace], null, 0, m, 0, n);
    }

    /**
     * op(A) [m, k] packed once, for a caller that multiplies it by many matrices (a convolution's weights, by
     * each image's patches): {@link #gemmOnThread(int, PackedA, boolean, int, float[], int, float[], int, boolean)}
     * then skips the packing of A that every call would otherwise repeat. Its contents are a copy: pack again
     * after A changes.
     */
    static final class PackedA {
        private float[] data = new float[0];
        private int m, k, kc;
        private boolean transA;
    }

    /**
     * Packs op(A) [m, k] (A starting at aOff) into {@code into}, as {@link #block} would pack it block by block:
     * k in blocks of {@link #balancedKc}, each holding every row's panels.
     */
    static void pack(boolean transA, int m, int k, float[] a, int aOff, PackedA into) {
        into.m = m;
        into.k = k;
        into.transA = transA;
        if (m == 0 || k == 0) return;                     // nothing to pack; the product is empty or zero
        int kcStd = balancedKc(k);
        int perBlock = roundUp(m, MR) * kcStd;
        int blocks = (k + kcStd - 1) / kcStd;
        if (into.data.length < blocks * perBlock + 8) into.data = new float[blocks * perBlock + 8];   // + 8: packA's overlapping stores
        Call call = new Call(transA, false, m, 0, k, a, aOff, null, 0, null, 0, false, false, UnaryOp.IDENTITY, 0f, kcStd);
        for (int q = 0, pc = 0; pc < k; q++, pc += kcStd) {
            packA(call, into.data, q * perBlock, 0, m, pc, Math.min(kcStd, k - pc));
        }
        into.kc = kcStd;
    }

    /**
     * {@link #gemmOnThread(int, boolean, boolean, int, int, int, float[], int, float[], int, float[], int, boolean)}
     * with op(A) already packed by {@link #pack}: the same sums, bit for bit.
     */
    void gemmOnThread(int workspace, PackedA a, boolean transB, int n, float[] b, int bOff, float[] c, int cOff,
                      boolean accumulate) {
        int m = a.m, k = a.k;
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * n, cOff + (i + 1) * n, 0f);
            return;
        }
        Call call = new Call(a.transA, transB, m, n, k, null, 0, b, bOff, c, cOff, accumulate, false, UnaryOp.IDENTITY, 0f, a.kc);
        block(call, workspaces[workspace], a, 0, m, 0, n);
    }

    /** KC-sized blocks of k, balanced: 784 -> 3 x 262, not 2 x 384 + 16. Depends on k alone. */
    private static int balancedKc(int k) {
        int kBlocks = (k + KC - 1) / KC;
        return (k + kBlocks - 1) / kBlocks;
    }

    /** C[m,n] = act(op(A) op(B) + bias), bias a row of n (or null); act an activation. */
    void gemmBiasActivation(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] bias,
                            UnaryOp act, float actParam, float[] c) {
        run(transA, transB, m, n, k, a, b, c, false, bias, act, actParam);
    }

    private void run(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c,
                     boolean accumulate, float[] bias, UnaryOp act, float actParam) {
        if (m == 0 || n == 0) return;
        if (k == 0) {
            emptyProduct(m, n, c, accumulate, bias, act, actParam);
            return;
        }
        if (bias != null) {
            int padded = roundUp(n, NR);
            if (biasPad.length < padded) biasPad = new float[padded];
            System.arraycopy(bias, 0, biasPad, 0, n);
            Arrays.fill(biasPad, n, padded, 0f);
        }
        Call call = new Call(transA, transB, m, n, k, a, 0, b, 0, c, 0, accumulate, bias != null, act, actParam, balancedKc(k));

        int threads = parallel.threads();
        int nPanels = (n + NR - 1) / NR;
        int mPanels = (m + MR - 1) / MR;
        long work = (long) m * n * k;
        if (threads == 1 || work < PARALLEL_THRESHOLD || Math.max(nPanels, mPanels) == 1) {
            block(call, workspaces[0], null, 0, m, 0, n);
        } else if (nPanels >= 2 * threads || nPanels >= mPanels) {
            int parts = Math.min(threads, nPanels);
            parallel.forEachPart(parts, (part, ps) -> {
                int j0 = (int) ((long) nPanels * part / ps) * NR;
                int j1 = Math.min(n, (int) ((long) nPanels * (part + 1) / ps) * NR);
                block(call, workspaces[part], null, 0, m, j0, j1);
            });
        } else {
            int parts = Math.min(threads, mPanels);
            parallel.forEachPart(parts, (part, ps) -> {
                int i0 = (int) ((long) mPanels * part / ps) * MR;
                int i1 = Math.min(m, (int) ((long) mPanels * (part + 1) / ps) * MR);
                block(call, workspaces[part], null, i0, i1, 0, n);
            });
        }
    }

    /** C = act(accumulate ? C : bias-or-zero), the product of an empty inner dimension. */
    private static void emptyProduct(int m, int n, float[] c, boolean accumulate, float[] bias, UnaryOp act, float actParam) {
        for (int i = 0; i < m; i++) {
            int o = i * n;
            if (!accumulate) {
                if (bias != null) System.arraycopy(bias, 0, c, o, n);
                else Arrays.fill(c, o, o + n, 0f);
            }
            if (act != UnaryOp.IDENTITY) for (int j = 0; j < n; j++) c[o + j] = CpuDevice.apply(act, actParam, c[o + j]);
        }
    }

    /** Computes C rows [i0, i1) x columns [j0, j1) on one thread; op(A) from {@code packed} when it is not null. */
    private void block(Call call, Workspace ws, PackedA packed, int i0, int i1, int j0, int j1) {
        if (packed == null && broadcastsB(call)) {
            blockBroadcastingB(call, ws, i0, i1, j0, j1);
            return;
        }
        int k = call.k;
        int kcStd = call.kc;
        int perBlock = roundUp(call.m, MR) * kcStd;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int q = 0, pc = 0; pc < k; q++, pc += kcStd) {
                int kc = Math.min(kcStd, k - pc);
                int needB = roundUp(nc, NR) * kc;
                if (ws.packB.length < needB) ws.packB = new float[roundUp(Math.min(NC, call.n), NR) * kcStd];
                packB(call, ws.packB, pc, kc, jc, nc);
                int init = pc > 0 || call.accumulate ? INIT_LOAD : call.hasBias ? INIT_BIAS : INIT_ZERO;
                boolean last = pc + kc == k;
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    if (packed != null) {
                        macroKernel(call, ws, packed.data, q * perBlock + ic * kc, ic, mc, jc, nc, kc, init, last);
                        continue;
                    }
                    int needA = roundUp(mc, MR) * kc;
                    if (ws.packA.length < needA + 8) ws.packA = new float[roundUp(Math.min(MC, call.m), MR) * kcStd + 8];   // + 8: packA's overlapping stores
                    packA(call, ws.packA, 0, ic, mc, pc, kc);
                    macroKernel(call, ws, ws.packA, 0, ic, mc, jc, nc, kc, init, last);
                }
            }
        }
    }

    /**
     * Whether to compute C = act(A B^T + bias) through its transpose, C^T = B A^T, reading B's rows straight from
     * memory as the broadcast operand ({@link #blockBroadcastingB}): only A (m x k) is transposed into panels, and
     * C's tiles on the way out (m x n), where the usual scheme transposes B (n x k) and A. For a layer's forward
     * x W^T with a batch m smaller than its inputs k, several times fewer floats pass through transposes. The sums
     * are unchanged (the same fused multiply-adds in the same order), so results are bit for bit those of
     * the usual scheme. AVX-512's 8-row micro-kernel only.
     */
    private static boolean broadcastsB(Call call) {
        return MR == 8 && call.transB && !call.transA && !call.accumulate && call.k > call.m && call.n >= MR
                && (long) roundUp(call.m, NR) * call.k <= BROADCAST_MAX_PACK;
    }

    /**
     * C[i0..i1, j0..j1) of C = act(A B^T + bias) as C^T = B A^T: A's rows packed whole (all of k, so each tile
     * sums all of k at once and C is written once), then for each 8 rows of B, broadcast from B itself, every
     * panel of A; each 8 x NR tile of C^T is transposed into C.
     */
    private void blockBroadcastingB(Call call, Workspace ws, int i0, int i1, int j0, int j1) {
        int k = call.k, n = call.n, rows = j1 - j0, cols = i1 - i0;     // C^T's block: rows of B by rows of A
        int need = roundUp(cols, NR) * k;
        if (ws.packB.length < need) ws.packB = new float[need];
        Call transposed = new Call(false, true, n, call.m, k, call.b, call.bOff, call.a, call.aOff, null, 0, false, false,
                UnaryOp.IDENTITY, 0f, k);
        packB(transposed, ws.packB, 0, k, i0, cols);
        float[] tile = ws.tile;
        for (int r0 = 0; r0 < rows; r0 += MR) {
            int mr = Math.min(MR, rows - r0);
            int row = call.bOff + (j0 + r0) * k;
            // past the block's last row, its first row again: computed, never stored
            int o1 = mr > 1 ? k : 0, o2 = mr > 2 ? 2 * k : 0, o3 = mr > 3 ? 3 * k : 0, o4 = mr > 4 ? 4 * k : 0;
            int o5 = mr > 5 ? 5 * k : 0, o6 = mr > 6 ? 6 * k : 0, o7 = mr > 7 ? 7 * k : 0;
            for (int c0 = 0; c0 < cols; c0 += NR) {
                for (int q = 0; q < MR; q++) {
                    Arrays.fill(tile, q * NR, q * NR + NR, call.hasBias && q < mr ? biasPad[j0 + r0 + q] : 0f);
                }
                kernel8Rows(call.b, row, o1, o2, o3, o4, o5, o6, o7, ws.packB, c0 * k, k, tile);
                storeTransposed(tile, mr, Math.min(NR, cols - c0), call.c, call.cOff + (i0 + c0) * n + j0 + r0, n, ws.rows16);
            }
        }
        if (call.act != UnaryOp.IDENTITY) {
            VectorKernels.activate(call.act, call.actParam, call.c, call.cOff + i0 * n + j0, n, cols, rows);
        }
    }

    /** c[co + t*ldc + q] = tile[q*NR + t] for q < mr, t < nr: a tile of C^T into C. */
    private static void storeTransposed(float[] tile, int mr, int nr, float[] c, int co, int ldc, float[] rows16) {
        int t = 0;
        if (mr == MR && L == 16) {
            for (; t + 16 <= nr; t += 16) transposeTileRows16(tile, t, c, co + t * ldc, ldc, rows16);
        } else if (mr == MR && VECTOR_PACKS) {
            for (; t + 8 <= nr; t += 8) transpose8(tile, t, NR, 5 * NR, 6 * NR, 7 * NR, c, co + t * ldc, ldc);
        }
        for (; t < nr; t++) {
            for (int q = 0; q < mr; q++) c[co + t * ldc + q] = tile[q * NR + t];
        }
    }

    private void macroKernel(Call call, Workspace ws, float[] pa, int aBase, int ic, int mc, int jc, int nc, int kc, int init,
                             boolean last) {
        float[] c = call.c;
        int n = call.n;
        float[] pb = ws.packB;
        boolean epilogue = last && call.act != UnaryOp.IDENTITY;
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bo = jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int ao = aBase + ir * kc;
                int co = call.cOff + (ic + ir) * n + jc + jr;
                if (mr == MR && nr == NR) {
                    if (init != INIT_LOAD) startTile(c, co, n, init == INIT_BIAS ? biasPad : ZEROS, init == INIT_BIAS ? jc + jr : 0);
                    microKernel(pa, ao, pb, bo, kc, c, co, n);
                } else {
                    edgeTile(ws, pa, ao, pb, bo, kc, c, co, n, mr, nr, init, jc + jr);
                }
                if (epilogue) VectorKernels.activate(call.act, call.actParam, c, co, n, mr, nr);
            }
        }
    }

    /** A partial tile: computed whole in the scratch tile, of which the mr x nr corner is copied to C. */
    private void edgeTile(Workspace ws, float[] pa, int ao, float[] pb, int bo, int kc, float[] c, int co, int ldc,
                          int mr, int nr, int init, int biasOffset) {
        float[] t = ws.tile;
        if (init == INIT_LOAD) {
            for (int r = 0; r < mr; r++) System.arraycopy(c, co + r * ldc, t, r * NR, nr);
        } else {
            startTile(t, 0, NR, init == INIT_BIAS ? biasPad : ZEROS, init == INIT_BIAS ? biasOffset : 0);
        }
        microKernel(pa, ao, pb, bo, kc, t, 0, NR);
        for (int r = 0; r < mr; r++) System.arraycopy(t, r * NR, c, co + r * ldc, nr);
    }

    /**
     * Sets each row of the MR x NR tile at co (row stride ldc) to row[from, from + NR). Plain copies, not vectors:
     * a small method of Vector API loads could be compiled before their profiles matured and then call the
     * Vector API's allocating Java fallback on every tile for good (seen in 3 of 4 CNN runs).
     */
    private static void startTile(float[] c, int co, int ldc, float[] row, int from) {
        for (int r = 0; r < MR; r++) System.arraycopy(row, from, c, co + r * ldc, NR);
    }

    /** The micro-kernel for this machine's MR (a constant, so the JIT keeps one branch). */
    private static void microKernel(float[] pa, int ao, float[] pb, int bo, int kc, float[] c, int co, int ldc) {
        if (MR == 8) kernel8(pa, ao, pb, bo, kc, c, co, ldc);
        else kernel(pa, ao, pb, bo, kc, c, co, ldc);
    }

    /** {@link #kernel} with 8 rows, for machines with 32 vector registers (16 accumulators, 2 B vectors, a broadcast). */
    private static void kernel8(float[] pa, int ao, float[] pb, int bo, int kc, float[] c, int co, int ldc) {
        FloatVector c00 = FloatVector.fromArray(S, c, co), c01 = FloatVector.fromArray(S, c, co + L);
        FloatVector c10 = FloatVector.fromArray(S, c, co + ldc), c11 = FloatVector.fromArray(S, c, co + ldc + L);
        FloatVector c20 = FloatVector.fromArray(S, c, co + 2 * ldc), c21 = FloatVector.fromArray(S, c, co + 2 * ldc + L);
        FloatVector c30 = FloatVector.fromArray(S, c, co + 3 * ldc), c31 = FloatVector.fromArray(S, c, co + 3 * ldc + L);
        FloatVector c40 = FloatVector.fromArray(S, c, co + 4 * ldc), c41 = FloatVector.fromArray(S, c, co + 4 * ldc + L);
        FloatVector c50 = FloatVector.fromArray(S, c, co + 5 * ldc), c51 = FloatVector.fromArray(S, c, co + 5 * ldc + L);
        FloatVector c60 = FloatVector.fromArray(S, c, co + 6 * ldc), c61 = FloatVector.fromArray(S, c, co + 6 * ldc + L);
        FloatVector c70 = FloatVector.fromArray(S, c, co + 7 * ldc), c71 = FloatVector.fromArray(S, c, co + 7 * ldc + L);
        for (int p = 0; p < kc; p++) {
            int a = ao + p * 8;
            int b = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, pb, b);
            FloatVector b1 = FloatVector.fromArray(S, pb, b + L);
            FloatVector x = FloatVector.broadcast(S, pa[a]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, pa[a + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, pa[a + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, pa[a + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, pa[a + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, pa[a + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, pa[a + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, pa[a + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        EXACT.add(c00).intoArray(c, co);
        EXACT.add(c01).intoArray(c, co + L);
        EXACT.add(c10).intoArray(c, co + ldc);
        EXACT.add(c11).intoArray(c, co + ldc + L);
        EXACT.add(c20).intoArray(c, co + 2 * ldc);
        EXACT.add(c21).intoArray(c, co + 2 * ldc + L);
        EXACT.add(c30).intoArray(c, co + 3 * ldc);
        EXACT.add(c31).intoArray(c, co + 3 * ldc + L);
        EXACT.add(c40).intoArray(c, co + 4 * ldc);
        EXACT.add(c41).intoArray(c, co + 4 * ldc + L);
        EXACT.add(c50).intoArray(c, co + 5 * ldc);
        EXACT.add(c51).intoArray(c, co + 5 * ldc + L);
        EXACT.add(c60).intoArray(c, co + 6 * ldc);
        EXACT.add(c61).intoArray(c, co + 6 * ldc + L);
        EXACT.add(c70).intoArray(c, co + 7 * ldc);
        EXACT.add(c71).intoArray(c, co + 7 * ldc + L);
    }

    /**
     * {@link #kernel8} with its 8 rows of A read straight from memory, a[a0 + p], a[a0 + o1 + p] .. a[a0 + o7 + p],
     * instead of from a packed panel; the 8 x NR tile c (ldc NR) is loaded, summed into and stored.
     */
    private static void kernel8Rows(float[] a, int a0, int o1, int o2, int o3, int o4, int o5, int o6, int o7, float[] pb, int bo,
                                    int kc, float[] c) {
        int co = 0, ldc = NR;
        FloatVector c00 = FloatVector.fromArray(S, c, co), c01 = FloatVector.fromArray(S, c, co + L);
        FloatVector c10 = FloatVector.fromArray(S, c, co + ldc), c11 = FloatVector.fromArray(S, c, co + ldc + L);
        FloatVector c20 = FloatVector.fromArray(S, c, co + 2 * ldc), c21 = FloatVector.fromArray(S, c, co + 2 * ldc + L);
        FloatVector c30 = FloatVector.fromArray(S, c, co + 3 * ldc), c31 = FloatVector.fromArray(S, c, co + 3 * ldc + L);
        FloatVector c40 = FloatVector.fromArray(S, c, co + 4 * ldc), c41 = FloatVector.fromArray(S, c, co + 4 * ldc + L);
        FloatVector c50 = FloatVector.fromArray(S, c, co + 5 * ldc), c51 = FloatVector.fromArray(S, c, co + 5 * ldc + L);
        FloatVector c60 = FloatVector.fromArray(S, c, co + 6 * ldc), c61 = FloatVector.fromArray(S, c, co + 6 * ldc + L);
        FloatVector c70 = FloatVector.fromArray(S, c, co + 7 * ldc), c71 = FloatVector.fromArray(S, c, co + 7 * ldc + L);
        for (int p = 0; p < kc; p++) {
            int i = a0 + p;
            int b = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, pb, b);
            FloatVector b1 = FloatVector.fromArray(S, pb, b + L);
            FloatVector x = FloatVector.broadcast(S, a[i]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[i + o1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[i + o2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[i + o3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[i + o4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[i + o5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[i + o6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[i + o7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        EXACT.add(c00).intoArray(c, co);
        EXACT.add(c01).intoArray(c, co + L);
        EXACT.add(c10).intoArray(c, co + ldc);
        EXACT.add(c11).intoArray(c, co + ldc + L);
        EXACT.add(c20).intoArray(c, co + 2 * ldc);
        EXACT.add(c21).intoArray(c, co + 2 * ldc + L);
        EXACT.add(c30).intoArray(c, co + 3 * ldc);
        EXACT.add(c31).intoArray(c, co + 3 * ldc + L);
        EXACT.add(c40).intoArray(c, co + 4 * ldc);
        EXACT.add(c41).intoArray(c, co + 4 * ldc + L);
        EXACT.add(c50).intoArray(c, co + 5 * ldc);
        EXACT.add(c51).intoArray(c, co + 5 * ldc + L);
        EXACT.add(c60).intoArray(c, co + 6 * ldc);
        EXACT.add(c61).intoArray(c, co + 6 * ldc + L);
        EXACT.add(c70).intoArray(c, co + 7 * ldc);
        EXACT.add(c71).intoArray(c, co + 7 * ldc + L);
    }

    /**
     * The micro-kernel: C[MR x NR at co, row stride ldc] += sum over kc of packed A column x packed B row.
     * (Starting the accumulators from another array than C, for the bias or zeros, made C2 compile the
     * loop at a third of the speed, so the first K block writes its start values into C instead.) 5 x 2 vectors is the largest tile
     * whose 10 accumulators, 2 B vectors and the broadcast (with its scalar) fit in AVX2's 16 registers:
     * at 6 x 2, C2 spills and the kernel runs at half speed (measured: 43 vs 95 GFLOP/s per core).
     */
    private static void kernel(float[] pa, int ao, float[] pb, int bo, int kc, float[] c, int co, int ldc) {
        FloatVector c00 = FloatVector.fromArray(S, c, co), c01 = FloatVector.fromArray(S, c, co + L);
        FloatVector c10 = FloatVector.fromArray(S, c, co + ldc), c11 = FloatVector.fromArray(S, c, co + ldc + L);
        FloatVector c20 = FloatVector.fromArray(S, c, co + 2 * ldc), c21 = FloatVector.fromArray(S, c, co + 2 * ldc + L);
        FloatVector c30 = FloatVector.fromArray(S, c, co + 3 * ldc), c31 = FloatVector.fromArray(S, c, co + 3 * ldc + L);
        FloatVector c40 = FloatVector.fromArray(S, c, co + 4 * ldc), c41 = FloatVector.fromArray(S, c, co + 4 * ldc + L);
        for (int p = 0; p < kc; p++) {
            int a = ao + p * MR;
            int b = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, pb, b);
            FloatVector b1 = FloatVector.fromArray(S, pb, b + L);
            FloatVector x = FloatVector.broadcast(S, pa[a]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, pa[a + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, pa[a + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, pa[a + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, pa[a + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
        }
        EXACT.add(c00).intoArray(c, co);
        EXACT.add(c01).intoArray(c, co + L);
        EXACT.add(c10).intoArray(c, co + ldc);
        EXACT.add(c11).intoArray(c, co + ldc + L);
        EXACT.add(c20).intoArray(c, co + 2 * ldc);
        EXACT.add(c21).intoArray(c, co + 2 * ldc + L);
        EXACT.add(c30).intoArray(c, co + 3 * ldc);
        EXACT.add(c31).intoArray(c, co + 3 * ldc + L);
        EXACT.add(c40).intoArray(c, co + 4 * ldc);
        EXACT.add(c41).intoArray(c, co + 4 * ldc + L);
    }

    /**
     * Packs op(A)[ic..ic+mc, pc..pc+kc) as panels of MR rows, each stored p-major: pa[panel + p*MR + r].
     * The vector paths store 8 floats per p, MR apart, in increasing p: the 8 - MR extra floats of each
     * store land in the next p's slots, which the next store (or the scalar tail) overwrites; the last
     * store of the block spills into the array's 8 floats of padding.
     */
    private static void packA(Call call, float[] pa, int paOff, int ic, int mc, int pc, int kc) {
        float[] a = call.a;
        int aOff = call.aOff;
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = paOff + ir * kc;
            if (call.transA) {                      // A stored [k, m]: each p holds MR consecutive floats
                int m = call.m;
                int p = 0;
                if (mr == MR && VECTOR_PACKS) {
                    // one 8-float copy per p (the MR - 8 extra floats land where the next p goes), as long as it
                    // stays inside the array
                    int last = Math.min(kc, Math.floorDiv(a.length - 8 - aOff - ic - ir, m) - pc + 1);
                    for (; p < last; p++) {
                        System.arraycopy(a, aOff + (pc + p) * m + ic + ir, pa, base + p * MR, 8);
                    }
                }
                for (; p < kc; p++) {
                    int src = aOff + (pc + p) * m + ic + ir;
                    int dst = base + p * MR;
                    for (int r = 0; r < mr; r++) pa[dst + r] = a[src + r];
                    for (int r = mr; r < MR; r++) pa[dst + r] = 0f;
                }
            } else {                                // A stored [m, k]: read each row in order
                int k = call.k;
                if (mr == MR && VECTOR_PACKS) {
                    packRowsTransposed(a, aOff + (ic + ir) * k + pc, k, call.m - (ic + ir), kc, pa, base);
                    continue;
                }
                for (int r = 0; r < mr; r++) {
                    int src = aOff + (ic + ir + r) * k + pc;
                    for (int p = 0; p < kc; p++) pa[base + p * MR + r] = a[src + p];
                }
                for (int r = mr; r < MR; r++) {
                    for (int p = 0; p < kc; p++) pa[base + p * MR + r] = 0f;
                }
            }
        }
    }

    /**
     * pa[base + p*MR + r] = a[src + r*lda + p] for the MR rows at src (r < MR ≤ rowsLeft), p < kc: 8 x 8
     * blocks transposed in registers ({@link #transpose8}), of which rows MR..7 are filler
     * (the following rows of A where they exist, else row 0 again) that the overlapping stores discard.
     */
    private static void packRowsTransposed(float[] a, int src, int lda, int rowsLeft, int kc, float[] pa, int base) {
        int o5 = (rowsLeft > 5 ? 5 : 0) * lda, o6 = (rowsLeft > 6 ? 6 : 0) * lda, o7 = (rowsLeft > 7 ? 7 : 0) * lda;
        int p = 0;
        if (L == 16) {
            for (; p + 16 <= kc; p += 16) transposeRows16(a, src + p, lda, o5, o6, o7, pa, base + p * MR);
        } else {
            for (; p + 8 <= kc; p += 8) transpose8(a, src + p, lda, o5, o6, o7, pa, base + p * MR, MR);
        }
        for (; p < kc; p++) {
            int dst = base + p * MR;
            for (int r = 0; r < MR; r++) pa[dst + r] = a[src + r * lda + p];
        }
    }

    /** Packs op(B)[pc..pc+kc, jc..jc+nc) as panels of NR columns, each stored p-major: pb[panel + p*NR + j]. */
    private static void packB(Call call, float[] pb, int pc, int kc, int jc, int nc) {
        float[] b = call.b;
        int bOff = call.bOff;
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = jr * kc;
            if (call.transB) {                      // B stored [n, k]: read each row of B (a column of op(B)) in order
                int k = call.k;
                if (nr == NR && VECTOR_PACKS) {
                    packTransposedPanel(b, bOff + (jc + jr) * k + pc, k, kc, pb, base);
                    continue;
                }
                for (int j = 0; j < nr; j++) {
                    int src = bOff + (jc + jr + j) * k + pc;
                    for (int p = 0; p < kc; p++) pb[base + p * NR + j] = b[src + p];
                }
                for (int j = nr; j < NR; j++) {
                    for (int p = 0; p < kc; p++) pb[base + p * NR + j] = 0f;
                }
            } else {                                // B stored [k, n]: each p holds NR consecutive floats
                int n = call.n;
                if (nr == NR) {
                    for (int p = 0; p < kc; p++) {
                        int src = bOff + (pc + p) * n + jc + jr;
                        int dst = base + p * NR;
                        FloatVector.fromArray(S, b, src).intoArray(pb, dst);
                        FloatVector.fromArray(S, b, src + L).intoArray(pb, dst + L);
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int src = bOff + (pc + p) * n + jc + jr;
                        int dst = base + p * NR;
                        System.arraycopy(b, src, pb, dst, nr);
                        Arrays.fill(pb, dst + nr, dst + NR, 0f);
                    }
                }
            }
        }
    }

    /**
     * One full panel of transposed B: pb[base + p*NR + j] = b[src + j*ldb + p] for j < NR, p < kc, as 8 x 8
     * blocks transposed in registers ({@link #transpose8}) instead of 64 scalar loads and strided stores
     * each: the scalar loop made packing 9% of a training step.
     */
    private static void packTransposedPanel(float[] b, int src, int ldb, int kc, float[] pb, int base) {
        int whole = kc & ~7;
        if (L == 16) {
            // sixteen rows at a time; the 16-float loads past a row's 8 columns stay inside the array, since the
            // panel's later rows follow (ldb >= kc >= 8 wherever whole > 0)
            for (int j0 = 0; j0 < NR; j0 += 16) {
                for (int p = 0; p < whole; p += 8) transposePanel16(b, src + j0 * ldb + p, ldb, pb, base + p * NR + j0);
            }
        } else {
            // eight rows at a time, each read in order: 8 streams for the prefetchers rather than NR
            for (int j0 = 0; j0 < NR; j0 += 8) {
                for (int p = 0; p < whole; p += 8) {
                    transpose8(b, src + j0 * ldb + p, ldb, 5 * ldb, 6 * ldb, 7 * ldb, pb, base + p * NR + j0, NR);
                }
            }
        }
        for (int p = whole; p < kc; p++) {
            int dst = base + p * NR;
            for (int j = 0; j < NR; j++) pb[dst + j] = b[src + j * ldb + p];
        }
    }

    /**
     * Transposes the 8 x 8 block whose rows start at src + r*ld (r < 5) and src + o5, o6, o7 (rows 5-7, given
     * apart so that a caller can repeat a row as filler): out[dst + p*stride + r] = row r's element p. The
     * rows are stored in increasing p, so with stride < 8 each store's tail is overwritten by the next one.
     * Three rounds pair vectors and swap their off-diagonal 1x1, 2x2 then 4x4 blocks, each by a lane shift
     * and a blend. The vectors never leave this method, so C2 keeps them in registers whether or not it
     * inlines it (a vector passed to a call that is not inlined is boxed).
     */
    private static void transpose8(float[] a, int src, int ld, int o5, int o6, int o7, float[] out, int dst, int stride) {
        FloatVector r0 = FloatVector.fromArray(S8, a, src), r1 = FloatVector.fromArray(S8, a, src + ld);
        FloatVector r2 = FloatVector.fromArray(S8, a, src + 2 * ld), r3 = FloatVector.fromArray(S8, a, src + 3 * ld);
        FloatVector r4 = FloatVector.fromArray(S8, a, src + 4 * ld), r5 = FloatVector.fromArray(S8, a, src + o5);
        FloatVector r6 = FloatVector.fromArray(S8, a, src + o6), r7 = FloatVector.fromArray(S8, a, src + o7);
        FloatVector t0 = r0.blend(r1.rearrange(UP1), BIT1), t1 = r0.rearrange(DOWN1).blend(r1, BIT1);
        FloatVector t2 = r2.blend(r3.rearrange(UP1), BIT1), t3 = r2.rearrange(DOWN1).blend(r3, BIT1);
        FloatVector t4 = r4.blend(r5.rearrange(UP1), BIT1), t5 = r4.rearrange(DOWN1).blend(r5, BIT1);
        FloatVector t6 = r6.blend(r7.rearrange(UP1), BIT1), t7 = r6.rearrange(DOWN1).blend(r7, BIT1);
        FloatVector u0 = t0.blend(t2.rearrange(UP2), BIT2), u2 = t0.rearrange(DOWN2).blend(t2, BIT2);
        FloatVector u1 = t1.blend(t3.rearrange(UP2), BIT2), u3 = t1.rearrange(DOWN2).blend(t3, BIT2);
        FloatVector u4 = t4.blend(t6.rearrange(UP2), BIT2), u6 = t4.rearrange(DOWN2).blend(t6, BIT2);
        FloatVector u5 = t5.blend(t7.rearrange(UP2), BIT2), u7 = t5.rearrange(DOWN2).blend(t7, BIT2);
        u0.blend(u4.rearrange(UP4), BIT4).intoArray(out, dst);
        u1.blend(u5.rearrange(UP4), BIT4).intoArray(out, dst + stride);
        u2.blend(u6.rearrange(UP4), BIT4).intoArray(out, dst + 2 * stride);
        u3.blend(u7.rearrange(UP4), BIT4).intoArray(out, dst + 3 * stride);
        u0.rearrange(DOWN4).blend(u4, BIT4).intoArray(out, dst + 4 * stride);
        u1.rearrange(DOWN4).blend(u5, BIT4).intoArray(out, dst + 5 * stride);
        u2.rearrange(DOWN4).blend(u6, BIT4).intoArray(out, dst + 6 * stride);
        u3.rearrange(DOWN4).blend(u7, BIT4).intoArray(out, dst + 7 * stride);
    }

    /*
     * With 16-float vectors (AVX-512) the three rounds of transpose8 run in each 8-lane half at once (shifts by 1,
     * 2 and 4 never take a lane from the other half), transposing two 8 x 8 blocks per vector: w_q holds row q of
     * both. Each method below loads, transposes and stores in one body with no masks (C1 could not compile a
     * version with masked loads and stores, and a vector handed to another method that C2 did not inline is
     * boxed), and lays out its loads so that what it stores is whole 16-float vectors.
     */

    /**
     * {@link #packRowsTransposed} for 16 columns: out[dst + p*8 + r] = row r's element p, p < 16, rows at src +
     * r*ld (r < 5) and src + o5, o6, o7. Rows of 16 give w_q = [element q | element 8 + q] of the 8 rows; two of
     * them make one 16-float store of two consecutive p.
     */
    private static void transposeRows16(float[] a, int src, int ld, int o5, int o6, int o7, float[] out, int dst) {
        FloatVector r0 = FloatVector.fromArray(S, a, src), r1 = FloatVector.fromArray(S, a, src + ld);
        FloatVector r2 = FloatVector.fromArray(S, a, src + 2 * ld), r3 = FloatVector.fromArray(S, a, src + 3 * ld);
        FloatVector r4 = FloatVector.fromArray(S, a, src + 4 * ld), r5 = FloatVector.fromArray(S, a, src + o5);
        FloatVector r6 = FloatVector.fromArray(S, a, src + o6), r7 = FloatVector.fromArray(S, a, src + o7);
        FloatVector t0 = r0.blend(r1.rearrange(UP1W), BIT1W), t1 = r0.rearrange(DOWN1W).blend(r1, BIT1W);
        FloatVector t2 = r2.blend(r3.rearrange(UP1W), BIT1W), t3 = r2.rearrange(DOWN1W).blend(r3, BIT1W);
        FloatVector t4 = r4.blend(r5.rearrange(UP1W), BIT1W), t5 = r4.rearrange(DOWN1W).blend(r5, BIT1W);
        FloatVector t6 = r6.blend(r7.rearrange(UP1W), BIT1W), t7 = r6.rearrange(DOWN1W).blend(r7, BIT1W);
        FloatVector u0 = t0.blend(t2.rearrange(UP2W), BIT2W), u2 = t0.rearrange(DOWN2W).blend(t2, BIT2W);
        FloatVector u1 = t1.blend(t3.rearrange(UP2W), BIT2W), u3 = t1.rearrange(DOWN2W).blend(t3, BIT2W);
        FloatVector u4 = t4.blend(t6.rearrange(UP2W), BIT2W), u6 = t4.rearrange(DOWN2W).blend(t6, BIT2W);
        FloatVector u5 = t5.blend(t7.rearrange(UP2W), BIT2W), u7 = t5.rearrange(DOWN2W).blend(t7, BIT2W);
        FloatVector w0 = u0.blend(u4.rearrange(UP4W), BIT4W), w1 = u1.blend(u5.rearrange(UP4W), BIT4W);
        FloatVector w2 = u2.blend(u6.rearrange(UP4W), BIT4W), w3 = u3.blend(u7.rearrange(UP4W), BIT4W);
        FloatVector w4 = u0.rearrange(DOWN4W).blend(u4, BIT4W), w5 = u1.rearrange(DOWN4W).blend(u5, BIT4W);
        FloatVector w6 = u2.rearrange(DOWN4W).blend(u6, BIT4W), w7 = u3.rearrange(DOWN4W).blend(u7, BIT4W);
        w0.blend(w1.rearrange(UP8), HIGH8).intoArray(out, dst);
        w2.blend(w3.rearrange(UP8), HIGH8).intoArray(out, dst + 16);
        w4.blend(w5.rearrange(UP8), HIGH8).intoArray(out, dst + 32);
        w6.blend(w7.rearrange(UP8), HIGH8).intoArray(out, dst + 48);
        w0.rearrange(DOWN8).blend(w1, HIGH8).intoArray(out, dst + 64);
        w2.rearrange(DOWN8).blend(w3, HIGH8).intoArray(out, dst + 80);
        w4.rearrange(DOWN8).blend(w5, HIGH8).intoArray(out, dst + 96);
        w6.rearrange(DOWN8).blend(w7, HIGH8).intoArray(out, dst + 112);
    }

    /**
     * {@link #packTransposedPanel} for 16 rows and 8 columns: out[dst + p*NR + j] = b[src + j*ld + p], j < 16,
     * p < 8. Rows j and j + 8 share a vector (16 floats of each loaded, row j + 8's from 8 before it, blended),
     * so w_q = elements q of rows 0..15, one 16-float store. Reads 8 floats past the 8 columns of rows 0..7.
     */
    private static void transposePanel16(float[] b, int src, int ld, float[] out, int dst) {
        int up = src + 8 * ld - 8;
        FloatVector r0 = FloatVector.fromArray(S, b, src).blend(FloatVector.fromArray(S, b, up), HIGH8);
        FloatVector r1 = FloatVector.fromArray(S, b, src + ld).blend(FloatVector.fromArray(S, b, up + ld), HIGH8);
        FloatVector r2 = FloatVector.fromArray(S, b, src + 2 * ld).blend(FloatVector.fromArray(S, b, up + 2 * ld), HIGH8);
        FloatVector r3 = FloatVector.fromArray(S, b, src + 3 * ld).blend(FloatVector.fromArray(S, b, up + 3 * ld), HIGH8);
        FloatVector r4 = FloatVector.fromArray(S, b, src + 4 * ld).blend(FloatVector.fromArray(S, b, up + 4 * ld), HIGH8);
        FloatVector r5 = FloatVector.fromArray(S, b, src + 5 * ld).blend(FloatVector.fromArray(S, b, up + 5 * ld), HIGH8);
        FloatVector r6 = FloatVector.fromArray(S, b, src + 6 * ld).blend(FloatVector.fromArray(S, b, up + 6 * ld), HIGH8);
        FloatVector r7 = FloatVector.fromArray(S, b, src + 7 * ld).blend(FloatVector.fromArray(S, b, up + 7 * ld), HIGH8);
        FloatVector t0 = r0.blend(r1.rearrange(UP1W), BIT1W), t1 = r0.rearrange(DOWN1W).blend(r1, BIT1W);
        FloatVector t2 = r2.blend(r3.rearrange(UP1W), BIT1W), t3 = r2.rearrange(DOWN1W).blend(r3, BIT1W);
        FloatVector t4 = r4.blend(r5.rearrange(UP1W), BIT1W), t5 = r4.rearrange(DOWN1W).blend(r5, BIT1W);
        FloatVector t6 = r6.blend(r7.rearrange(UP1W), BIT1W), t7 = r6.rearrange(DOWN1W).blend(r7, BIT1W);
        FloatVector u0 = t0.blend(t2.rearrange(UP2W), BIT2W), u2 = t0.rearrange(DOWN2W).blend(t2, BIT2W);
        FloatVector u1 = t1.blend(t3.rearrange(UP2W), BIT2W), u3 = t1.rearrange(DOWN2W).blend(t3, BIT2W);
        FloatVector u4 = t4.blend(t6.rearrange(UP2W), BIT2W), u6 = t4.rearrange(DOWN2W).blend(t6, BIT2W);
        FloatVector u5 = t5.blend(t7.rearrange(UP2W), BIT2W), u7 = t5.rearrange(DOWN2W).blend(t7, BIT2W);
        FloatVector w0 = u0.blend(u4.rearrange(UP4W), BIT4W), w1 = u1.blend(u5.rearrange(UP4W), BIT4W);
        FloatVector w2 = u2.blend(u6.rearrange(UP4W), BIT4W), w3 = u3.blend(u7.rearrange(UP4W), BIT4W);
        FloatVector w4 = u0.rearrange(DOWN4W).blend(u4, BIT4W), w5 = u1.rearrange(DOWN4W).blend(u5, BIT4W);
        FloatVector w6 = u2.rearrange(DOWN4W).blend(u6, BIT4W), w7 = u3.rearrange(DOWN4W).blend(u7, BIT4W);
        w0.intoArray(out, dst);
        w1.intoArray(out, dst + NR);
        w2.intoArray(out, dst + 2 * NR);
        w3.intoArray(out, dst + 3 * NR);
        w4.intoArray(out, dst + 4 * NR);
        w5.intoArray(out, dst + 5 * NR);
        w6.intoArray(out, dst + 6 * NR);
        w7.intoArray(out, dst + 7 * NR);
    }

    /**
     * {@link #storeTransposed} for 16 columns of a full tile: c[co + t*ldc + q] = tile[q*NR + from + t], t < 16.
     * w_q = [C row q | C row 8 + q]; each goes through {@code rows16} into C 8 floats at a time (a 16-float store
     * into C would spill into columns that another thread may be writing).
     */
    private static void transposeTileRows16(float[] tile, int from, float[] c, int co, int ldc, float[] rows16) {
        FloatVector r0 = FloatVector.fromArray(S, tile, from), r1 = FloatVector.fromArray(S, tile, from + NR);
        FloatVector r2 = FloatVector.fromArray(S, tile, from + 2 * NR), r3 = FloatVector.fromArray(S, tile, from + 3 * NR);
        FloatVector r4 = FloatVector.fromArray(S, tile, from + 4 * NR), r5 = FloatVector.fromArray(S, tile, from + 5 * NR);
        FloatVector r6 = FloatVector.fromArray(S, tile, from + 6 * NR), r7 = FloatVector.fromArray(S, tile, from + 7 * NR);
        FloatVector t0 = r0.blend(r1.rearrange(UP1W), BIT1W), t1 = r0.rearrange(DOWN1W).blend(r1, BIT1W);
        FloatVector t2 = r2.blend(r3.rearrange(UP1W), BIT1W), t3 = r2.rearrange(DOWN1W).blend(r3, BIT1W);
        FloatVector t4 = r4.blend(r5.rearrange(UP1W), BIT1W), t5 = r4.rearrange(DOWN1W).blend(r5, BIT1W);
        FloatVector t6 = r6.blend(r7.rearrange(UP1W), BIT1W), t7 = r6.rearrange(DOWN1W).blend(r7, BIT1W);
        FloatVector u0 = t0.blend(t2.rearrange(UP2W), BIT2W), u2 = t0.rearrange(DOWN2W).blend(t2, BIT2W);
        FloatVector u1 = t1.blend(t3.rearrange(UP2W), BIT2W), u3 = t1.rearrange(DOWN2W).blend(t3, BIT2W);
        FloatVector u4 = t4.blend(t6.rearrange(UP2W), BIT2W), u6 = t4.rearrange(DOWN2W).blend(t6, BIT2W);
        FloatVector u5 = t5.blend(t7.rearrange(UP2W), BIT2W), u7 = t5.rearrange(DOWN2W).blend(t7, BIT2W);
        FloatVector w0 = u0.blend(u4.rearrange(UP4W), BIT4W), w1 = u1.blend(u5.rearrange(UP4W), BIT4W);
        FloatVector w2 = u2.blend(u6.rearrange(UP4W), BIT4W), w3 = u3.blend(u7.rearrange(UP4W), BIT4W);
        FloatVector w4 = u0.rearrange(DOWN4W).blend(u4, BIT4W), w5 = u1.rearrange(DOWN4W).blend(u5, BIT4W);
        FloatVector w6 = u2.rearrange(DOWN4W).blend(u6, BIT4W), w7 = u3.rearrange(DOWN4W).blend(u7, BIT4W);
        int c8 = co + 8 * ldc;
        w0.intoArray(rows16, 0);
        System.arraycopy(rows16, 0, c, co, 8);
        System.arraycopy(rows16, 8, c, c8, 8);
        w1.intoArray(rows16, 0);
        System.arraycopy(rows16, 0, c, co + ldc, 8);
        System.arraycopy(rows16, 8, c, c8 + ldc, 8);
        w2.intoArray(rows16, 0);
        System.arraycopy(rows16, 0, c, co + 2 * ldc, 8);
        System.arraycopy(rows16, 8, c, c8 + 2 * ldc, 8);
        w3.intoArray(rows16, 0);
        System.arraycopy(rows16, 0, c, co + 3 * ldc, 8);
        System.arraycopy(rows16, 8, c, c8 + 3 * ldc, 8);
        w4.intoArray(rows16, 0);
        System.arraycopy(rows16, 0, c, co + 4 * ldc, 8);
        System.arraycopy(rows16, 8, c, c8 + 4 * ldc, 8);
        w5.intoArray(rows16, 0);
        System.arraycopy(rows16, 0, c, co + 5 * ldc, 8);
        System.arraycopy(rows16, 8, c, c8 + 5 * ldc, 8);
        w6.intoArray(rows16, 0);
        System.arraycopy(rows16, 0, c, co + 6 * ldc, 8);
        System.arraycopy(rows16, 8, c, c8 + 6 * ldc, 8);
        w7.intoArray(rows16, 0);
        System.arraycopy(rows16, 0, c, co + 7 * ldc, 8);
        System.arraycopy(rows16, 8, c, c8 + 7 * ldc, 8);
    }

    // The same lane shifts and blend masks for S itself (16 lanes with AVX-512), and the moves between halves.
    private static final VectorShuffle<Float> UP1W = VectorShuffle.iota(S, -1, 1, true);
    private static final VectorShuffle<Float> UP2W = VectorShuffle.iota(S, -2, 1, true);
    private static final VectorShuffle<Float> UP4W = VectorShuffle.iota(S, -4, 1, true);
    private static final VectorShuffle<Float> DOWN1W = VectorShuffle.iota(S, 1, 1, true);
    private static final VectorShuffle<Float> DOWN2W = VectorShuffle.iota(S, 2, 1, true);
    private static final VectorShuffle<Float> DOWN4W = VectorShuffle.iota(S, 4, 1, true);
    private static final VectorMask<Float> BIT1W = laneBitMask(S, 1);
    private static final VectorMask<Float> BIT2W = laneBitMask(S, 2);
    private static final VectorMask<Float> BIT4W = laneBitMask(S, 4);
    private static final VectorShuffle<Float> UP8 = VectorShuffle.iota(S, -8, 1, true);
    private static final VectorShuffle<Float> DOWN8 = VectorShuffle.iota(S, 8, 1, true);
    /** Lanes 8 and up. */
    private static final VectorMask<Float> HIGH8 = S.indexInRange(-8, L - 8);

    // Lane shifts by 1, 2 and 4 (the lanes they wrap into are never selected by the blends) and the
    // blend masks that pick the lanes whose index has that bit set.
    private static final VectorShuffle<Float> UP1 = VectorShuffle.iota(S8, -1, 1, true);
    private static final VectorShuffle<Float> UP2 = VectorShuffle.iota(S8, -2, 1, true);
    private static final VectorShuffle<Float> UP4 = VectorShuffle.iota(S8, -4, 1, true);
    private static final VectorShuffle<Float> DOWN1 = VectorShuffle.iota(S8, 1, 1, true);
    private static final VectorShuffle<Float> DOWN2 = VectorShuffle.iota(S8, 2, 1, true);
    private static final VectorShuffle<Float> DOWN4 = VectorShuffle.iota(S8, 4, 1, true);
    private static final VectorMask<Float> BIT1 = laneBitMask(S8, 1);
    private static final VectorMask<Float> BIT2 = laneBitMask(S8, 2);
    private static final VectorMask<Float> BIT4 = laneBitMask(S8, 4);

    /** The lanes of {@code species} whose index has {@code bit} set. */
    private static VectorMask<Float> laneBitMask(VectorSpecies<Float> species, int bit) {
        boolean[] set = new boolean[species.length()];
        for (int i = 0; i < set.length; i++) set[i] = (i & bit) != 0;
        return VectorMask.fromArray(species, set, 0);
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }
}
