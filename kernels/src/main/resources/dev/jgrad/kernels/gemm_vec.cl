/* C[m, n] = epilogue(op(A) op(B)) for large products: the same contract as gemm.cl (transA, transB,
 * accumulate, bias, activation), built for throughput rather than for every shape.
 *
 * - A work-group of 256 work-items computes a 128 x 128 block of C in K-slices of 8; each work-item keeps
 *   an 8 x 8 block of C in registers: rows ty*4 + {0..3} and 64 + ty*4 + {0..3}, columns likewise with
 *   tx (tx = lid % 16, ty = lid / 16), so its operands are two contiguous 4-float vectors of A and of B.
 * - Global loads are 4-float vectors: per slice each work-item loads one vector of A and one of B. That
 *   needs the rows being loaded to be a whole number of vectors: (transA ? m : k) % 4 == 0 and
 *   (transB ? k : n) % 4 == 0, with buffers 16-byte aligned (every device buffer starts aligned).
 *   A vector is then either wholly inside the matrix or wholly outside (loaded as zeros), so the edges
 *   of m, n and k need no other care. KernelDevice (GemmLaunch.vectorizable) falls back to gemm.cl otherwise.
 * - Local memory holds the slices k-major: As[p][row] (A transposed when stored row-major) and Bs[p][col],
 *   so the inner loop reads contiguous vectors of both. Rows are padded by 4 floats: vectors stay aligned,
 *   and the transposing stores of two half-warps fall into different banks.
 * - Double buffering: while slice t is multiplied out of one local buffer, slice t+1 is loaded from global
 *   memory into registers, then stored into the other buffer; one barrier per slice. (A work-item writes
 *   buffer t+1 only after the barrier that ended slice t-1, the last reader of that buffer.)
 *
 * Epilogue, in this order: + C (accumulate), + bias[col] (hasBias), act (jg_apply). */

#define VG_BM 128
#define VG_BN 128
#define VG_BK 8
#define VG_THREADS 256
#define VG_PAD 4

/* The 4-vector at (row, col) of a rows x cols row-major matrix whose cols is a multiple of 4 (col is
 * too), or zeros outside it. */
DEVICE_FN JG_FLOAT4 jg_vg_load(GLOBAL const float* RESTRICT p, int row, int col, int rows, int cols) {
    if (row < rows && col < cols) return LOAD4(p + row * cols + col);
    return MAKE_FLOAT4(0.0f, 0.0f, 0.0f, 0.0f);
}

/* One output: + old C, + bias, activation. */
DEVICE_FN float jg_vg_out(float v, int accumulate, float old, int hasBias, float b, int act, float actParam) {
    if (accumulate) v += old;
    if (hasBias) v += b;
    return jg_apply(act, actParam, v);
}

KERNEL GROUP_SIZE_HINT(VG_THREADS) jg_gemm_vec_128x128x8(int transA, int transB, int m, int n, int k,
        GLOBAL const float* RESTRICT a, GLOBAL const float* RESTRICT b, GLOBAL float* RESTRICT c,
        int accumulate, int hasBias, GLOBAL const float* RESTRICT bias, int act, float actParam) {
    LOCAL_MEM ALIGN16 float As[2][VG_BK][VG_BM + VG_PAD];
    LOCAL_MEM ALIGN16 float Bs[2][VG_BK][VG_BN + VG_PAD];

    int lid = LOCAL_ID(0);
    int tx = lid % 16;
    int ty = lid / 16;
    int m0 = GROUP_ID(1) * VG_BM;
    int n0 = GROUP_ID(0) * VG_BN;

    /* Which vector this work-item loads in a slice, in the stored layout. Stored [k, m] (transA) or
     * [k, n] (B plain): slice row lid / 32, columns (lid % 32) * 4. Stored [m, k] or [n, k]: row lid / 2
     * of the tile, slice columns (lid % 2) * 4. Either way consecutive work-items read consecutive vectors. */
    int wideRow = lid / 32, wideCol = (lid % 32) * 4;
    int tallRow = lid / 2, tallCol = (lid % 2) * 4;

    float acc[8][8];
#pragma unroll
    for (int i = 0; i < 8; i++)
#pragma unroll
        for (int j = 0; j < 8; j++) acc[i][j] = 0.0f;

    int slices = (k + VG_BK - 1) / VG_BK;
    JG_FLOAT4 ra, rb;

    /* slice 0 into buffer 0 (k == 0 loads zeros, and the loop below does not run) */
    ra = transA ? jg_vg_load(a, wideRow, m0 + wideCol, k, m) : jg_vg_load(a, m0 + tallRow, tallCol, m, k);
    rb = transB ? jg_vg_load(b, n0 + tallRow, tallCol, n, k) : jg_vg_load(b, wideRow, n0 + wideCol, k, n);
    if (transA) {
        STORE4(ra, &As[0][wideRow][wideCol]);
    } else {
        As[0][tallCol + 0][tallRow] = ra.x; As[0][tallCol + 1][tallRow] = ra.y;
        As[0][tallCol + 2][tallRow] = ra.z; As[0][tallCol + 3][tallRow] = ra.w;
    }
    if (transB) {
        Bs[0][tallCol + 0][tallRow] = rb.x; Bs[0][tallCol + 1][tallRow] = rb.y;
        Bs[0][tallCol + 2][tallRow] = rb.z; Bs[0][tallCol + 3][tallRow] = rb.w;
    } else {
        STORE4(rb, &Bs[0][wideRow][wideCol]);
    }
    BARRIER();

    for (int t = 0; t < slices; t++) {
        int cur = t & 1;
        int more = t + 1 < slices;
        if (more) {
            int k1 = (t + 1) * VG_BK;
            ra = transA ? jg_vg_load(a, k1 + wideRow, m0 + wideCol, k, m) : jg_vg_load(a, m0 + tallRow, k1 + tallCol, m, k);
            rb = transB ? jg_vg_load(b, n0 + tallRow, k1 + tallCol, n, k) : jg_vg_load(b, k1 + wideRow, n0 + wideCol, k, n);
        }

#pragma unroll
        for (int p = 0; p < VG_BK; p++) {
            JG_FLOAT4 a0 = LOAD4(&As[cur][p][ty * 4]);
            JG_FLOAT4 a1 = LOAD4(&As[cur][p][64 + ty * 4]);
            JG_FLOAT4 b0 = LOAD4(&Bs[cur][p][tx * 4]);
            JG_FLOAT4 b1 = LOAD4(&Bs[cur][p][64 + tx * 4]);
            float av[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
            float bv[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
#pragma unroll
            for (int i = 0; i < 8; i++)
#pragma unroll
                for (int j = 0; j < 8; j++) acc[i][j] += av[i] * bv[j];
        }

        if (more) {
            int nxt = cur ^ 1;
            if (transA) {
                STORE4(ra, &As[nxt][wideRow][wideCol]);
            } else {
                As[nxt][tallCol + 0][tallRow] = ra.x; As[nxt][tallCol + 1][tallRow] = ra.y;
                As[nxt][tallCol + 2][tallRow] = ra.z; As[nxt][tallCol + 3][tallRow] = ra.w;
            }
            if (transB) {
                Bs[nxt][tallCol + 0][tallRow] = rb.x; Bs[nxt][tallCol + 1][tallRow] = rb.y;
                Bs[nxt][tallCol + 2][tallRow] = rb.z; Bs[nxt][tallCol + 3][tallRow] = rb.w;
            } else {
                STORE4(rb, &Bs[nxt][wideRow][wideCol]);
            }
        }
        BARRIER();
    }

    /* Vectors of C where n is a multiple of 4 (then a vector starting inside a row ends inside it), else scalars. */
    int vecC = (n & 3) == 0;
#pragma unroll
    for (int i = 0; i < 8; i++) {
        int row = m0 + (i >> 2) * 64 + ty * 4 + (i & 3);
        if (row >= m) continue;
#pragma unroll
        for (int h = 0; h < 2; h++) {
            int col = n0 + h * 64 + tx * 4;
            if (col >= n) continue;
            GLOBAL float* out = c + row * n + col;
            if (vecC) {
                JG_FLOAT4 old = accumulate ? LOAD4(out) : MAKE_FLOAT4(0.0f, 0.0f, 0.0f, 0.0f);
                JG_FLOAT4 bb = hasBias ? LOAD4(bias + col) : MAKE_FLOAT4(0.0f, 0.0f, 0.0f, 0.0f);
                JG_FLOAT4 r = MAKE_FLOAT4(jg_vg_out(acc[i][h * 4 + 0], accumulate, old.x, hasBias, bb.x, act, actParam),
                                          jg_vg_out(acc[i][h * 4 + 1], accumulate, old.y, hasBias, bb.y, act, actParam),
                                          jg_vg_out(acc[i][h * 4 + 2], accumulate, old.z, hasBias, bb.z, act, actParam),
                                          jg_vg_out(acc[i][h * 4 + 3], accumulate, old.w, hasBias, bb.w, act, actParam));
                STORE4(r, out);
            } else {
#pragma unroll
                for (int j = 0; j < 4; j++) {
                    if (col + j < n) {
                        out[j] = jg_vg_out(acc[i][h * 4 + j], accumulate, accumulate ? out[j] : 0.0f,
                                           hasBias, hasBias ? bias[col + j] : 0.0f, act, actParam);
                    }
                }
            }
        }
    }
}
