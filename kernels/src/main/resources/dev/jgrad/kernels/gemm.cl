/* C[m, n] = epilogue(op(A) op(B)): a tiled SGEMM. A work-group computes a TILE_M x TILE_N block of C,
 * staging TILE_K-deep slices of op(A) and op(B) in local memory; each work-item keeps a WPT_M x WPT_N
 * block of C in registers, its rows RTS_M apart and its columns RTS_N apart so that neighbouring
 * work-items touch neighbouring local-memory words. Work-group: RTS_N x RTS_M (dimension 0 along n).
 * Edges are handled by loading zeros outside the matrices and not storing outside C, so every shape works.
 *
 * Epilogue, in this order: + C (accumulate), + bias[col] (hasBias), act. Plain GEMM passes OP_IDENTITY.
 *
 * Each tiling is a kernel of its own, named GEMM_NAME (jg_gemm_<tileM>x<tileN>x<tileK>_<wptM>x<wptN>,
 * GemmTiling.kernelName()); the CUDA build includes this file once per tiling, hence the #undefs at the end. */

#ifndef TILE_M
#define TILE_M 64
#endif
#ifndef TILE_N
#define TILE_N 64
#endif
#ifndef TILE_K
#define TILE_K 16
#endif
#ifndef WPT_M
#define WPT_M 4
#endif
#ifndef WPT_N
#define WPT_N 4
#endif

#ifndef GEMM_NAME
#define GEMM_NAME jg_gemm_64x64x16_4x4
#endif

#define RTS_M (TILE_M / WPT_M)
#define RTS_N (TILE_N / WPT_N)
#define GEMM_THREADS (RTS_M * RTS_N)

/* One extra column keeps the transposed stores of a tile from all hitting the same bank. */
#define TILE_PAD 1

KERNEL GEMM_NAME(int transA, int transB, int m, int n, int k,
               GLOBAL const float* RESTRICT a, GLOBAL const float* RESTRICT b, GLOBAL float* RESTRICT c,
               int accumulate, int hasBias, GLOBAL const float* RESTRICT bias, int act, float actParam) {
    LOCAL_MEM float As[TILE_K][TILE_M + TILE_PAD];
    LOCAL_MEM float Bs[TILE_K][TILE_N + TILE_PAD];

    int tx = LOCAL_ID(0);
    int ty = LOCAL_ID(1);
    int tid = ty * RTS_N + tx;
    int m0 = GROUP_ID(1) * TILE_M;
    int n0 = GROUP_ID(0) * TILE_N;

    /* every loop over the register block is unrolled, so acc stays in registers (indexed, it would spill) */
    float acc[WPT_M][WPT_N];
#pragma unroll
    for (int i = 0; i < WPT_M; i++)
#pragma unroll
        for (int j = 0; j < WPT_N; j++) acc[i][j] = 0.0f;

    for (int k0 = 0; k0 < k; k0 += TILE_K) {
        /* Consecutive work-items read consecutive addresses of whichever layout A and B are stored in. */
        for (int l = tid; l < TILE_M * TILE_K; l += GEMM_THREADS) {
            int row, p;
            if (transA) { row = l % TILE_M; p = l / TILE_M; }   /* A stored [k, m] */
            else        { p = l % TILE_K; row = l / TILE_K; }   /* A stored [m, k] */
            int gr = m0 + row, gp = k0 + p;
            float v = 0.0f;
            if (gr < m && gp < k) v = transA ? a[gp * m + gr] : a[gr * k + gp];
            As[p][row] = v;
        }
        for (int l = tid; l < TILE_K * TILE_N; l += GEMM_THREADS) {
            int col, p;
            if (transB) { p = l % TILE_K; col = l / TILE_K; }   /* B stored [n, k] */
            else        { col = l % TILE_N; p = l / TILE_N; }   /* B stored [k, n] */
            int gc = n0 + col, gp = k0 + p;
            float v = 0.0f;
            if (gc < n && gp < k) v = transB ? b[gc * k + gp] : b[gp * n + gc];
            Bs[p][col] = v;
        }
        BARRIER();

        for (int p = 0; p < TILE_K; p++) {
            float areg[WPT_M];
            float breg[WPT_N];
#pragma unroll
            for (int i = 0; i < WPT_M; i++) areg[i] = As[p][ty + i * RTS_M];
#pragma unroll
            for (int j = 0; j < WPT_N; j++) breg[j] = Bs[p][tx + j * RTS_N];
#pragma unroll
            for (int i = 0; i < WPT_M; i++)
#pragma unroll
                for (int j = 0; j < WPT_N; j++) acc[i][j] += areg[i] * breg[j];
        }
        BARRIER();
    }

#pragma unroll
    for (int i = 0; i < WPT_M; i++) {
        int row = m0 + ty + i * RTS_M;
        if (row >= m) continue;
#pragma unroll
        for (int j = 0; j < WPT_N; j++) {
            int col = n0 + tx + j * RTS_N;
            if (col >= n) continue;
            float v = acc[i][j];
            if (accumulate) v += c[row * n + col];
            if (hasBias) v += bias[col];
            c[row * n + col] = jg_apply(act, actParam, v);
        }
    }
}

#undef TILE_M
#undef TILE_N
#undef TILE_K
#undef WPT_M
#undef WPT_N
#undef GEMM_NAME
#undef RTS_M
#undef RTS_N
#undef GEMM_THREADS
#undef TILE_PAD
