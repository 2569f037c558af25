/* Maps jgrad's kernel dialect onto CUDA C++ (see prelude_opencl.h). Kernels are extern "C" so the
 * driver API finds them by their plain names; dimension 0 is x, 1 is y, 2 is z, as in OpenCL. */
#define KERNEL          extern "C" __global__ void
#define GLOBAL
#define LOCAL_MEM       __shared__
#define LOCAL_PTR
#define DEVICE_FN       __device__ __forceinline__
#define RESTRICT        __restrict__
#define BARRIER()       __syncthreads()
#define JG_U32          unsigned int
#define JG_U64          unsigned long long
#define MUL_HI_U32(a, b) __umulhi((unsigned int) (a), (unsigned int) (b))

__device__ __forceinline__ int jg_dim(const uint3 v, int d) { return d == 0 ? (int) v.x : d == 1 ? (int) v.y : (int) v.z; }
__device__ __forceinline__ int jg_dim(const dim3 v, int d) { return d == 0 ? (int) v.x : d == 1 ? (int) v.y : (int) v.z; }

#define LOCAL_ID(d)     jg_dim(threadIdx, d)
#define GROUP_ID(d)     jg_dim(blockIdx, d)
#define LOCAL_SIZE(d)   jg_dim(blockDim, d)
#define GLOBAL_ID(d)    (GROUP_ID(d) * LOCAL_SIZE(d) + LOCAL_ID(d))
#define GLOBAL_SIZE(d)  (jg_dim(gridDim, d) * LOCAL_SIZE(d))

#ifndef INFINITY
#define INFINITY __int_as_float(0x7f800000)
#endif
#ifndef NAN
#define NAN __int_as_float(0x7fffffff)
#endif

/* A 4-float vector (see prelude_opencl.h): one 16-byte load or store, so the pointer must be 16-byte aligned. */
#define JG_FLOAT4       float4
#define MAKE_FLOAT4(x, y, z, w) make_float4((x), (y), (z), (w))
#define LOAD4(p)        (*reinterpret_cast<const float4*>(p))
#define STORE4(v, p)    (*reinterpret_cast<float4*>(p) = (v))
#define ALIGN16         __align__(16)
#define GROUP_SIZE_HINT(n) __launch_bounds__(n)
