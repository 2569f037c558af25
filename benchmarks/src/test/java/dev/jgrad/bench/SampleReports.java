package dev.jgrad.bench;

import dev.jgrad.device.DeviceInfo;

import java.time.Instant;
import java.util.List;

/** A hand-made report with a figure of every kind: timed on two devices, failed, and a missing device. */
final class SampleReports {
    private SampleReports() {}

    static BenchReport mixed() {
        BenchConfig config = BenchConfig.quick();
        return new BenchReport(config, Instant.parse("2026-11-22T14:00:00Z"), "Linux amd64, 2 logical CPUs",
                List.of(new DeviceInfo("cpu", "Test CPU", 1L << 30, "2 threads"), new DeviceInfo("opencl:0", "Test GPU", -1, "")),
                List.of(new UnavailableDevice("cuda", "libcuda.so.1 not found")),
                List.of(
                        new BenchResult("cpu", Suite.GEMM, "square 64", "C[64x64] = A[64x64] B[64x64], k=64", BenchResult.Status.OK,
                                new Stats(20, 18, 21, 3), 0, 1e-4, null),
                        new BenchResult("opencl:0", Suite.GEMM, "square 64", "C[64x64] = A[64x64] B[64x64], k=64", BenchResult.Status.FAILED,
                                null, 0.5, 1e-4, "wrong result: error 0.5 > tolerance 1e-4 at index 3"),
                        new BenchResult("cpu", Suite.TRAIN, "mlp 784-512-256-10", "MLP", BenchResult.Status.OK,
                                new Stats(3000, 2900, 3100, 3), 0, 1e-4, null),
                        new BenchResult("opencl:0", Suite.TRAIN, "mlp 784-512-256-10", "MLP", BenchResult.Status.OK,
                                new Stats(1500, 1400, 1600, 3), 1e-7, 1e-4, null)));
    }
}
