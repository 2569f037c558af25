#!/usr/bin/env bash
# Compiles the shared kernel sources as CUDA C++ into one fat binary (SASS for sm_80 and sm_90, plus
# compute_90 PTX that newer GPUs JIT-compile), which the cuda backend loads with cuModuleLoadData.
# Called by Maven (exec-maven-plugin) in generate-resources:  build-cuda-kernels.sh SRC_DIR OUT_DIR
# Without nvcc the build goes on: the cuda backend then reports "built without CUDA kernels".
# NVCC=/path/to/nvcc picks a compiler; NVCC=none builds without CUDA kernels on purpose.
set -euo pipefail
src=$1
out=$2
fatbin=$out/jgrad_kernels.fatbin
sources=(prelude_cuda.h common.h elementwise.cl reduce.cl softmax.cl losses.cl optim.cl conv.cl pool.cl batchnorm.cl dropout.cl gather.cl gemm_vec.cl gemm_tf32.cu)
# gemm_vec.cl is the vectorized 128x128 SGEMM (GemmLaunch); gemm_tf32.cu the CUDA-only TF32 tensor-core GEMM,
# used only behind jgrad.cuda.tf32 / --tf32.
# gemm.cl is compiled once per tiling: tileM,tileN,tileK,wptM,wptN (GemmTiling.STANDARD)
gemm_tilings=(32,32,16,2,2 64,64,16,4,4 128,128,16,8,8)

find_nvcc() {
    if [[ "${NVCC:-}" == none ]]; then return; fi
    if [[ -n "${NVCC:-}" && -x "$NVCC" ]]; then echo "$NVCC"; return; fi
    if command -v nvcc >/dev/null 2>&1; then command -v nvcc; return; fi
    local d
    for d in "${CUDA_HOME:-}" "${CUDA_PATH:-}" /usr/local/cuda $(ls -d /usr/local/cuda-* 2>/dev/null | sort -rV); do
        if [[ -n "$d" && -x "$d/bin/nvcc" ]]; then echo "$d/bin/nvcc"; return; fi
    done
}

nvcc=$(find_nvcc || true)
if [[ -z "$nvcc" ]]; then
    if [[ "${NVCC:-}" == none ]]; then
        echo "[jgrad-kernels] NVCC=none: building without CUDA kernels"
    else
        echo "[jgrad-kernels] nvcc not found (PATH, \$NVCC, \$CUDA_HOME/bin, /usr/local/cuda*/bin): building without CUDA kernels"
    fi
    rm -f "$fatbin"
    exit 0
fi

# Up to date: skip the ~15 s compile when no source changed.
if [[ -f "$fatbin" ]]; then
    stale=0
    for f in "${sources[@]}" gemm.cl; do [[ "$src/$f" -nt "$fatbin" ]] && stale=1; done
    [[ "$0" -nt "$fatbin" ]] && stale=1
    if [[ $stale == 0 ]]; then exit 0; fi
fi

mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unit=$work/jgrad_kernels.cu
{
    for f in "${sources[@]}"; do echo "#include \"$src/$f\""; done
    for t in "${gemm_tilings[@]}"; do
        IFS=, read -r tm tn tk wm wn <<< "$t"
        echo "#define TILE_M $tm"; echo "#define TILE_N $tn"; echo "#define TILE_K $tk"
        echo "#define WPT_M $wm"; echo "#define WPT_N $wn"; echo "#define GEMM_NAME jg_gemm_${tm}x${tn}x${tk}_${wm}x${wn}"
        echo "#include \"$src/gemm.cl\""
    done
} > "$unit"

"$nvcc" -std=c++17 -O3 -fatbin \
    -gencode arch=compute_80,code=sm_80 \
    -gencode arch=compute_90,code=sm_90 \
    -gencode arch=compute_90,code=compute_90 \
    -o "$work/jgrad_kernels.fatbin" "$unit" \
    || { echo "[jgrad-kernels] $nvcc could not compile the CUDA kernels (above); fix that, or build with NVCC=none to go without them" >&2; exit 1; }
mv "$work/jgrad_kernels.fatbin" "$fatbin"
echo "[jgrad-kernels] compiled CUDA kernels with $nvcc for sm_80, sm_90 (+compute_90 PTX): $(stat -c %s "$fatbin") bytes"
