/* Maps jgrad's kernel dialect onto OpenCL C 1.2. Every kernel file is written in that dialect, so the
 * same text compiles here at run time (clBuildProgram) and under prelude_cuda.h ahead of time (nvcc). */
#define KERNEL          __kernel void
#define GLOBAL          __global
#define LOCAL_MEM       __local
#define LOCAL_PTR       __local
#define DEVICE_FN
#define RESTRICT        restrict
#define BARRIER()       barrier(CLK_LOCAL_MEM_FENCE)
#define GLOBAL_ID(d)    ((int) get_global_id(d))
#define LOCAL_ID(d)     ((int) get_local_id(d))
#define GROUP_ID(d)     ((int) get_group_id(d))
#define LOCAL_SIZE(d)   ((int) get_local_size(d))
#define GLOBAL_SIZE(d)  ((int) get_global_size(d))
#define JG_U32          uint
#define JG_U64          ulong
#define MUL_HI_U32(a, b) mul_hi((uint) (a), (uint) (b))
/* A 4-float vector, loaded and stored from a float pointer 16-byte aligned in CUDA (vload4/vstore4 need
 * only float alignment here); ALIGN16 asks for that alignment on a local array. Components: .x .y .z .w */
#define JG_FLOAT4       float4
#define MAKE_FLOAT4(x, y, z, w) ((float4) ((x), (y), (z), (w)))
#define LOAD4(p)        vload4(0, (p))
#define STORE4(v, p)    vstore4((v), 0, (p))
#define ALIGN16
/* The work-group size a kernel is always launched with: a register budget for nvcc, nothing here. */
#define GROUP_SIZE_HINT(n)
