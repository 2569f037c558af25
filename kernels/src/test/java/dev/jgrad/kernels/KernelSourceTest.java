package dev.jgrad.kernels;

import dev.jgrad.spi.BinaryOp;
import dev.jgrad.spi.UnaryOp;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the Java side assumes about the kernel sources: kernel names, op codes and compile-time defaults. */
class KernelSourceTest {
    private static final Pattern DEFINE = Pattern.compile("#define\\s+(\\w+)\\s+(-?\\d+)");
    private static final Pattern KERNEL = Pattern.compile("KERNEL\\s+(?:GROUP_SIZE_HINT\\(\\w+\\)\\s+)?(\\w+)\\s*\\(");
    private static final Pattern CUDA_KERNEL = Pattern.compile("extern \"C\" __global__ void\\s+(?:__launch_bounds__\\([^)]*\\)\\s+)?(\\w+)\\s*\\(");

    private static Map<String, Integer> defines(String text) {
        Map<String, Integer> out = new HashMap<>();
        Matcher m = DEFINE.matcher(text);
        while (m.find()) out.put(m.group(1), Integer.parseInt(m.group(2)));
        return out;
    }

    @Test
    void eachFileDefinesExactlyTheKernelsListedForIt() {
        for (KernelSource.File f : KernelSource.File.values()) {
            Set<String> found = new HashSet<>();
            Matcher m = KERNEL.matcher(KernelSource.text(f.fileName()));
            while (m.find()) found.add(m.group(1));
            // gemm.cl's kernel is named by the GEMM_NAME define, one per tiling
            assertEquals(f == KernelSource.File.GEMM ? Set.of("GEMM_NAME") : Set.copyOf(f.kernels()), found, f.fileName());
        }
    }

    /** nvcc compiles the files build-cuda-kernels.sh lists: every kernel file must be among them. */
    @Test
    void theCudaBuildCompilesEveryKernelFile() throws Exception {
        String script = Files.readString(Path.of("build-cuda-kernels.sh"));
        Matcher m = Pattern.compile("sources=\\(([^)]*)\\)").matcher(script);
        assertTrue(m.find(), "no sources=(...) in build-cuda-kernels.sh");
        Set<String> listed = Set.of(m.group(1).trim().split("\\s+"));
        for (KernelSource.File f : KernelSource.File.values()) {
            if (f != KernelSource.File.GEMM) assertTrue(listed.contains(f.fileName()), f.fileName());
        }
        assertTrue(listed.contains("prelude_cuda.h") && listed.contains("common.h"), listed.toString());
        for (String cudaOnly : KernelSource.CUDA_ONLY.keySet()) assertTrue(listed.contains(cudaOnly), cudaOnly);
        Matcher g = Pattern.compile("gemm_tilings=\\(([^)]*)\\)").matcher(script);
        assertTrue(g.find(), "no gemm_tilings=(...) in build-cuda-kernels.sh");
        assertEquals(GemmTiling.STANDARD, Stream.of(g.group(1).trim().split("\\s+")).map(GemmTiling::parse).toList(),
                "the CUDA build must compile exactly GemmTiling.STANDARD");
    }

    @Test
    void cudaOnlySourcesDefineExactlyTheKernelsListedForThem() {
        for (var e : KernelSource.CUDA_ONLY.entrySet()) {
            Set<String> found = new HashSet<>();
            Matcher m = CUDA_KERNEL.matcher(KernelSource.text(e.getKey()));
            while (m.find()) found.add(m.group(1));
            assertEquals(Set.copyOf(e.getValue()), found, e.getKey());
        }
    }

    /** The block, slice and work-group sizes GemmLaunch launches the 128x128 kernels with are the ones they are written for. */
    @Test
    void vectorAndTf32KernelsAreWrittenForTheGeometryGemmLaunchUses() {
        Map<String, Integer> vec = defines(KernelSource.text("gemm_vec.cl"));
        assertEquals(GemmLaunch.BLOCK, vec.get("VG_BM"));
        assertEquals(GemmLaunch.BLOCK, vec.get("VG_BN"));
        assertEquals(GemmLaunch.THREADS, vec.get("VG_THREADS"));
        // 8x8 results per work-item: 256 work-items cover 128x128
        assertEquals(GemmLaunch.BLOCK * GemmLaunch.BLOCK, GemmLaunch.THREADS * 64);
        Map<String, Integer> tf32 = defines(KernelSource.text("gemm_tf32.cu"));
        assertEquals(GemmLaunch.BLOCK, tf32.get("T32_BM"));
        assertEquals(GemmLaunch.BLOCK, tf32.get("T32_BN"));
        assertEquals(GemmLaunch.THREADS, tf32.get("T32_THREADS"));
        assertEquals(KernelSource.File.GEMM_VEC, KernelSource.File.defining(GemmLaunch.VECTOR_KERNEL));
        assertEquals(KernelSource.File.GEMM, KernelSource.File.defining(GemmTiling.WIDE.kernelName()));
    }

    @Test
    void unaryAndBinaryCodesMatchTheDefinesTheKernelsUse() {
        Map<String, Integer> common = defines(KernelSource.text("common.h"));
        for (UnaryOp op : UnaryOp.values()) assertEquals(common.get("OP_" + op.name()), KernelCodes.unary(op), op.name());
        Map<String, Integer> elementwise = defines(KernelSource.text("elementwise.cl"));
        for (BinaryOp op : BinaryOp.values()) assertEquals(elementwise.get("BIN_" + op.name()), KernelCodes.binary(op), op.name());
    }

    @Test
    void defaultTilingAndRowGroupAreTheOnesWrittenInTheSources() {
        Map<String, Integer> gemm = defines(KernelSource.text("gemm.cl"));
        GemmTiling t = GemmTiling.DEFAULT;
        assertEquals(new GemmTiling(gemm.get("TILE_M"), gemm.get("TILE_N"), gemm.get("TILE_K"), gemm.get("WPT_M"), gemm.get("WPT_N")), t);
        assertTrue(KernelSource.text("gemm.cl").contains("#define GEMM_NAME " + t.kernelName() + "\n"), "gemm.cl's default GEMM_NAME");
        for (String file : new String[] {"reduce.cl", "softmax.cl", "batchnorm.cl"}) {
            assertEquals(KernelSource.ROW_GROUP, defines(KernelSource.text(file)).get("ROW_GROUP"), file);
        }
        assertEquals(KernelSource.ROW_GROUP, Integer.highestOneBit(KernelSource.ROW_GROUP), "ROW_GROUP must be a power of two");
    }

    @Test
    void openClProgramsStartWithThePreludeAndRestartLineNumbersAtTheFile() {
        String program = KernelSource.openClProgram(KernelSource.File.GEMM);
        assertTrue(program.startsWith(KernelSource.text("prelude_opencl.h")));
        assertTrue(program.contains("\n#line 1\n" + KernelSource.text("gemm.cl")));
    }

    /** Where the build found nvcc, the CUDA fat binary must have been packaged. */
    @Test
    void theFatBinaryIsPackagedWhenNvccExists() throws Exception {
        boolean nvcc = Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "nvcc")))
                || Files.isExecutable(Path.of("/usr/local/cuda/bin/nvcc"));
        if (nvcc) {
            byte[] fatbin = KernelSource.cudaFatbin().orElseThrow(() -> new AssertionError("nvcc exists but no fat binary was packaged"));
            // a fat binary starts with its magic number 0xBA55ED50, little-endian
            assertEquals(0x50, fatbin[0] & 0xff);
            assertEquals(0xED, fatbin[1] & 0xff);
            assertEquals(0x55, fatbin[2] & 0xff);
            assertEquals(0xBA, fatbin[3] & 0xff);
        }
    }
}
