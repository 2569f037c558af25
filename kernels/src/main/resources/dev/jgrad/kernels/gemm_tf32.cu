/* C[m, n] = epilogue(op(A) op(B)) on tensor cores with TF32 inputs: CUDA only (sm_80 and newer), used only
 * where the CUDA device was opened with the explicit opt-in (jgrad.cuda.tf32=true, the CLI's --tf32),
 * never by the OpenCL or CPU backends. Same contract as gemm.cl: transA, transB, accumulate, bias, act.
 *
 * TF32 keeps 10 explicit mantissa bits: each input is rounded to nearest (ties away from zero, as
 * cvt.rna.tf32.f32 does) with relative error <= 2^-11, products and sums are float32. The tolerance this
 * gives, and the test of it, are in backend-cuda/README.md ("TF32").
 *
 * - A block of 256 threads (8 warps, 2 x 4) computes a 128 x 128 block of C in K-slices of 32; each warp
 *   a 64 x 32 block as 4 x 2 WMMA accumulators of 16 x 16 (m16n16k8, precision::tf32).
 * - Slices are staged in shared memory by scalar loads, each guarded (zeros outside the matrices), so every
 *   shape and both transposes work; consecutive threads read consecutive addresses of the stored layout.
 *   Values are rounded to TF32 once, as they are stored. Rows are padded by 4 floats (WMMA wants a leading
 *   dimension that is a multiple of 4 floats and 32-byte aligned fragment pointers, which this keeps).
 * - The epilogue goes through a per-warp 16 x 16 scratch tile, so the guards, bias and activation are
 *   applied per element exactly as in gemm.cl.
 */
#include <mma.h>

#define T32_BM 128
#define T32_BN 128
#define T32_BK 32
#define T32_THREADS 256
#define T32_LDA (T32_BK + 4)
#define T32_LDB (T32_BN + 4)
#define T32_FRAG 16

extern "C" __global__ void __launch_bounds__(T32_THREADS, 2) jg_tf32_gemm_128x128x32(int transA, int transB, int m, int n, int k,
        const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c,
        int accumulate, int hasBias, const float* __restrict__ bias, int act, float actParam) {
    using namespace nvcuda;
    __shared__ __align__(128) float As[T32_BM * T32_LDA];              /* As[row][p]: op(A), row-major */
    __shared__ __align__(128) float Bs[T32_BK * T32_LDB];              /* Bs[p][col]: op(B), row-major */
    __shared__ __align__(128) float Cs[T32_THREADS / 32][T32_FRAG * T32_FRAG];

    const int tid = threadIdx.x;
    const int warp = tid / 32, lane = tid % 32;
    const int wm = warp / 4, wn = warp % 4;            /* the warp's 64 x 32 block: rows wm*64, columns wn*32 */
    const int m0 = blockIdx.y * T32_BM, n0 = blockIdx.x * T32_BN;

    wmma::fragment<wmma::accumulator, 16, 16, 8, float> acc[4][2];
#pragma unroll
    for (int i = 0; i < 4; i++)
#pragma unroll
        for (int j = 0; j < 2; j++) wmma::fill_fragment(acc[i][j], 0.0f);

    for (int k0 = 0; k0 < k; k0 += T32_BK) {
#pragma unroll 2
        for (int l = tid; l < T32_BM * T32_BK; l += T32_THREADS) {
            int row, p;
            if (transA) { row = l % T32_BM; p = l / T32_BM; }   /* A stored [k, m] */
            else        { p = l % T32_BK; row = l / T32_BK; }   /* A stored [m, k] */
            int gr = m0 + row, gp = k0 + p;
            float v = 0.0f;
            if (gr < m && gp < k) v = transA ? a[gp * m + gr] : a[gr * k + gp];
            As[row * T32_LDA + p] = wmma::__float_to_tf32(v);
        }
#pragma unroll 2
        for (int l = tid; l < T32_BK * T32_BN; l += T32_THREADS) {
            int col, p;
            if (transB) { p = l % T32_BK; col = l / T32_BK; }   /* B stored [n, k] */
            else        { col = l % T32_BN; p = l / T32_BN; }   /* B stored [k, n] */
            int gc = n0 + col, gp = k0 + p;
            float v = 0.0f;
            if (gc < n && gp < k) v = transB ? b[gc * k + gp] : b[gp * n + gc];
            Bs[p * T32_LDB + col] = wmma::__float_to_tf32(v);
        }
        __syncthreads();

#pragma unroll 1
        for (int kk = 0; kk < T32_BK; kk += 8) {
            wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::row_major> fa[4];
            wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, wmma::row_major> fb[2];
#pragma unroll
            for (int i = 0; i < 4; i++) wmma::load_matrix_sync(fa[i], As + (wm * 64 + i * 16) * T32_LDA + kk, T32_LDA);
#pragma unroll
            for (int j = 0; j < 2; j++) wmma::load_matrix_sync(fb[j], Bs + kk * T32_LDB + wn * 32 + j * 16, T32_LDB);
#pragma unroll
            for (int i = 0; i < 4; i++)
#pragma unroll
                for (int j = 0; j < 2; j++) wmma::mma_sync(acc[i][j], fa[i], fb[j], acc[i][j]);
        }
        __syncthreads();
    }

    float* scratch = Cs[warp];
#pragma unroll
    for (int i = 0; i < 4; i++) {
#pragma unroll
        for (int j = 0; j < 2; j++) {
            wmma::store_matrix_sync(scratch, acc[i][j], T32_FRAG, wmma::mem_row_major);
            __syncwarp();
            for (int e = lane; e < T32_FRAG * T32_FRAG; e += 32) {
                int row = m0 + wm * 64 + i * 16 + e / T32_FRAG;
                int col = n0 + wn * 32 + j * 16 + e % T32_FRAG;
                if (row < m && col < n) {
                    float v = scratch[e];
                    if (accumulate) v += c[row * n + col];
                    if (hasBias) v += bias[col];
                    c[row * n + col] = jg_apply(act, actParam, v);
                }
            }
            __syncwarp();
        }
    }
}

#undef T32_BM
#undef T32_BN
#undef T32_BK
#undef T32_THREADS
#undef T32_LDA
#undef T32_LDB
#undef T32_FRAG
