package dev.jgrad.kernels;

import dev.jgrad.device.DeviceConfig.GemmKernel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.jgrad.device.DeviceConfig.GemmKernel.AUTO;
import static dev.jgrad.device.DeviceConfig.GemmKernel.TF32;
import static dev.jgrad.device.DeviceConfig.GemmKernel.TILED;
import static dev.jgrad.device.DeviceConfig.GemmKernel.VECTOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one rule that picks a GEMM kernel (GemmLaunch.choose), for the shapes and devices that matter. */
class GemmLaunchTest {
    private static final List<GemmTiling> GPU = GemmTiling.STANDARD;
    private static final List<GemmTiling> CPU_OPENCL = List.of(GemmTiling.DEFAULT);
    private static final int H100_SMS = 132;

    private static String kernel(GemmKernel mode, List<GemmTiling> tilings, int cus, boolean tf32, boolean ta, boolean tb, int m, int n, int k) {
        return GemmLaunch.choose(mode, tilings, cus, tf32, ta, tb, m, n, k).kernel();
    }

    @Test
    void vectorizableNeedsTheLoadedRowsToBeWholeVectors() {
        assertTrue(GemmLaunch.vectorizable(false, false, 3, 8, 4));      // A [m,k] rows k, B [k,n] rows n
        assertFalse(GemmLaunch.vectorizable(false, false, 4, 8, 6));
        assertFalse(GemmLaunch.vectorizable(false, false, 4, 6, 8));
        assertTrue(GemmLaunch.vectorizable(true, false, 4, 8, 1));       // A stored [k,m]: k is free
        assertFalse(GemmLaunch.vectorizable(true, false, 5, 8, 4));
        assertTrue(GemmLaunch.vectorizable(false, true, 5, 7, 12));      // B stored [n,k]: only k matters
        assertFalse(GemmLaunch.vectorizable(false, true, 4, 4, 10));
        assertTrue(GemmLaunch.vectorizable(true, true, 8, 3, 4));
    }

    @Test
    void autoUsesTheVectorKernelForProductsThatFillAWaveOnDevicesOfferingWideTiles() {
        assertEquals(GemmLaunch.VECTOR_KERNEL, kernel(AUTO, GPU, H100_SMS, false, false, false, 4096, 4096, 4096));
        assertEquals(GemmLaunch.VECTOR_KERNEL, kernel(AUTO, GPU, H100_SMS, false, true, false, 4096, 4096, 4096));
        assertEquals(GemmLaunch.VECTOR_KERNEL, kernel(AUTO, GPU, H100_SMS, false, false, true, 4096, 4096, 4096));
        assertEquals(GemmLaunch.VECTOR_KERNEL, kernel(AUTO, GPU, H100_SMS, false, false, false, 2048, 2048, 2048));  // 256 blocks
        // below a wave: gemm.cl's small tiles (the MLP's batch-128 products)
        assertEquals(GemmTiling.NARROW.kernelName(), kernel(AUTO, GPU, H100_SMS, false, false, false, 1024, 1024, 1024));
        assertEquals(GemmTiling.NARROW.kernelName(), kernel(AUTO, GPU, H100_SMS, false, false, true, 128, 512, 784));
        // not whole vectors: gemm.cl, here its wide tiling
        assertEquals(GemmTiling.WIDE.kernelName(), kernel(AUTO, GPU, H100_SMS, false, false, false, 4096, 4096, 4095));
        // CPU OpenCL runtimes offer only the 64x64 tiling: never the vector kernel unless asked for
        assertEquals(GemmTiling.DEFAULT.kernelName(), kernel(AUTO, CPU_OPENCL, 2, false, false, false, 4096, 4096, 4096));
    }

    @Test
    void geometryCoversTheProductWith128x128BlocksOf256WorkItems() {
        GemmLaunch g = GemmLaunch.choose(VECTOR, CPU_OPENCL, 2, false, false, false, 130, 260, 8);
        assertEquals(new GemmLaunch(GemmLaunch.VECTOR_KERNEL, 3, 2, 256, 1), g);
        GemmLaunch t = GemmLaunch.choose(TF32, GPU, H100_SMS, true, true, true, 1, 129, 3);
        assertEquals(new GemmLaunch(GemmLaunch.TF32_KERNEL, 2, 1, 256, 1), t);
        GemmLaunch w = GemmLaunch.choose(TILED, GPU, H100_SMS, false, false, false, 4096, 4096, 4096);
        assertEquals(new GemmLaunch(GemmTiling.WIDE.kernelName(), 32, 32, 16, 16), w);
    }

    @Test
    void forcedModesForTestsAndTuning() {
        // vector: any size, but only where valid
        assertEquals(GemmLaunch.VECTOR_KERNEL, kernel(VECTOR, CPU_OPENCL, 2, false, false, false, 5, 8, 4));
        assertEquals(GemmTiling.DEFAULT.kernelName(), kernel(VECTOR, CPU_OPENCL, 2, false, false, false, 5, 7, 4));
        // tiled: never the vector or TF32 kernel
        assertEquals(GemmTiling.WIDE.kernelName(), kernel(TILED, GPU, H100_SMS, true, false, false, 4096, 4096, 4096));
    }

    @Test
    void tf32OnlyWhereTheDeviceOptedIn() {
        // opted in: large products of any shape, or every product when forced
        assertEquals(GemmLaunch.TF32_KERNEL, kernel(AUTO, GPU, H100_SMS, true, false, false, 4096, 4096, 4096));
        assertEquals(GemmLaunch.TF32_KERNEL, kernel(AUTO, GPU, H100_SMS, true, true, false, 4095, 4097, 33));
        assertEquals(GemmTiling.NARROW.kernelName(), kernel(AUTO, GPU, H100_SMS, true, false, true, 128, 512, 784));
        assertEquals(GemmLaunch.TF32_KERNEL, kernel(TF32, GPU, H100_SMS, true, false, true, 128, 512, 784));
        // not opted in (every OpenCL device, and CUDA by default): never, whatever the mode
        for (GemmKernel mode : GemmKernel.values()) {
            for (int[] s : new int[][] {{4096, 4096, 4096}, {3, 5, 7}, {128, 512, 784}}) {
                for (List<GemmTiling> tilings : List.of(GPU, CPU_OPENCL)) {
                    String k = kernel(mode, tilings, H100_SMS, false, false, false, s[0], s[1], s[2]);
                    assertFalse(k.equals(GemmLaunch.TF32_KERNEL), mode + " " + k);
                }
            }
        }
        assertEquals(GemmLaunch.VECTOR_KERNEL, kernel(TF32, GPU, H100_SMS, false, false, false, 4096, 4096, 4096));
    }
}
