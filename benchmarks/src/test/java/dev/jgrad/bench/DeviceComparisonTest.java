package dev.jgrad.bench;

import dev.jgrad.device.DeviceConfig;
import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceInfo;
import dev.jgrad.device.DeviceUnavailableException;
import dev.jgrad.device.Devices;
import dev.jgrad.spi.UnaryOp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceComparisonTest {
    private static Device reference;

    @BeforeAll
    static void openReference() {
        reference = openCpu();
    }

    @AfterAll
    static void closeReference() {
        reference.close();
    }

    static Device openCpu() {
        return Devices.openSpec("cpu", Devices.backends(), m -> {});
    }

    /** Tiny sizes: the figures mean nothing, the test is about what is checked and what is timed. */
    static BenchConfig tiny(Suite... suites) {
        return new BenchConfig(EnumSet.of(suites[0], suites), List.of(16, 33), 2, 0.002, 0.01, 4096, 4096, 7);
    }

    @Test
    void aWrongGemmIsReportedFailedAndNeverTimedWhileItsOtherKernelsAreBenched() {
        BenchConfig config = tiny(Suite.GEMM, Suite.ELEMENTWISE);
        WrongGemmDevice[] wrong = new WrongGemmDevice[1];
        List<DeviceComparison.Candidate> candidates = List.of(
                new DeviceComparison.Candidate("cpu", DeviceComparisonTest::openCpu),
                new DeviceComparison.Candidate("wrong", () -> Device.of(wrong[0] = new WrongGemmDevice(openCpu()), DeviceConfig.standard())));
        List<String> log = new ArrayList<>();
        BenchReport report = DeviceComparison.run(candidates, List.of(), reference, config, log::add);

        long gemmCases = DeviceBench.cases(config).stream().filter(c -> c.suite() == Suite.GEMM).count();
        assertEquals(8, gemmCases, "2 square sizes and 6 MLP shapes");
        // one call per case, the check: a device that failed it is not warmed up or timed
        assertEquals(gemmCases, wrong[0].gemmCalls);
        List<BenchResult> wrongGemm = results(report, "wrong:0", Suite.GEMM);
        assertEquals(gemmCases, wrongGemm.size());
        for (BenchResult r : wrongGemm) {
            assertEquals(BenchResult.Status.FAILED, r.status(), r.caseName());
            assertNull(r.stats());
            assertTrue(r.maxError() > r.tolerance());
            assertTrue(r.reason().startsWith("wrong result"), r.reason());
        }
        for (BenchResult r : results(report, "wrong:0", Suite.ELEMENTWISE)) assertEquals(BenchResult.Status.OK, r.status());
        for (BenchResult r : results(report, "cpu", null)) {
            assertEquals(BenchResult.Status.OK, r.status(), r.caseName() + ": " + r.reason());
            assertEquals(2, r.stats().repeats());
            assertTrue(r.stats().min() > 0 && r.stats().min() <= r.stats().median() && r.stats().median() <= r.stats().max());
        }
        assertTrue(report.anyFailed());
        String table = ResultTable.format(report);
        assertTrue(table.contains("FAILED"), table);
        assertTrue(table.contains("wrong:0 gemm square 16 FAILED (not timed): wrong result"), table);
        assertTrue(log.stream().anyMatch(l -> l.contains("gemm fc1 fwd 128x512x784: FAILED, not timed")), String.join("\n", log));
    }

    @Test
    void aDeviceThatCannotBeOpenedIsNamedWithItsReasonAndTheRestAreBenched() {
        BenchConfig config = tiny(Suite.TRANSFER);
        List<DeviceComparison.Candidate> candidates = List.of(
                new DeviceComparison.Candidate("cuda", () -> {
                    throw new DeviceUnavailableException("device 'cuda' is unavailable: libcuda.so not found");
                }),
                new DeviceComparison.Candidate("cpu", DeviceComparisonTest::openCpu));
        List<String> log = new ArrayList<>();
        BenchReport report = DeviceComparison.run(candidates, List.of(new UnavailableDevice("opencl", "no platform")),
                reference, config, log::add);
        assertEquals(List.of("cpu"), report.devices().stream().map(DeviceInfo::id).toList());
        assertEquals(List.of(new UnavailableDevice("opencl", "no platform"),
                new UnavailableDevice("cuda", "device 'cuda' is unavailable: libcuda.so not found")), report.unavailable());
        assertTrue(log.contains("skipping opencl: no platform"), String.join("\n", log));
        assertTrue(log.contains("skipping cuda: device 'cuda' is unavailable: libcuda.so not found"), String.join("\n", log));
        assertEquals(2, report.results().size());
        assertTrue(report.results().stream().allMatch(BenchResult::ok));
        assertTrue(ResultTable.format(report).contains("not benched: cuda: device 'cuda' is unavailable"));
    }

    @Test
    void theTrainingStepIsCheckedAgainstTheReferenceBeforeItIsTimed() {
        DeviceBench bench = new DeviceBench(reference, tiny(Suite.TRAIN));
        TrainCase train = new TrainCase(TrainCase.Network.MLP, 7);
        try (Device cpu = openCpu()) {
            for (TrainCase.Network network : TrainCase.Network.values()) {
                BenchResult ok = bench.run(new TrainCase(network, 7), cpu);
                assertEquals(BenchResult.Status.OK, ok.status(), network + ": " + ok.reason());
                assertTrue(ok.maxError() <= TrainCase.TOLERANCE);
                assertTrue(ok.stats().median() > 0);
                assertEquals("samples/s", ok.unit());
            }
        }
        // a forward kernel that is off by 0.5 in one logit moves the loss by far more than the tolerance
        try (Device broken = Device.of(new DelegatingDevice(openCpu()) {
            @Override
            public DeviceInfo info() {
                return new DeviceInfo("broken:0", "wrong forward", -1, "");
            }

            @Override
            public void gemmBiasActivation(boolean ta, boolean tb, int m, int n, int k, Buffer a, Buffer b, Buffer bias,
                                           UnaryOp act, float actParam, Buffer c) {
                delegate.gemmBiasActivation(ta, tb, m, n, k, a, b, bias, act, actParam, c);
                float[] v = new float[1];
                delegate.read(c, 0, v, 0, 1);
                v[0] += 0.5f;
                delegate.write(v, 0, c, 0, 1);
            }
        }, DeviceConfig.standard())) {
            BenchResult failed = bench.run(train, broken);
            assertEquals(BenchResult.Status.FAILED, failed.status());
            assertNull(failed.stats());
        }
    }

    @Test
    void aKernelThatThrowsIsAnErrorNotACrash() {
        DeviceBench bench = new DeviceBench(reference, tiny(Suite.ELEMENTWISE));
        try (Device lacking = Device.of(new DelegatingDevice(openCpu()) {
            @Override
            public void axpby(int n, float alpha, Buffer x, float beta, Buffer y) {
                throw new UnsupportedOperationException("axpby is not implemented on lacking:0");
            }
        }, DeviceConfig.standard())) {
            List<BenchResult> results = bench.run(lacking, r -> {});
            BenchResult axpby = results.stream().filter(r -> r.caseName().equals("axpby")).findFirst().orElseThrow();
            assertEquals(BenchResult.Status.ERROR, axpby.status());
            assertTrue(axpby.reason().contains("axpby is not implemented"), axpby.reason());
            assertTrue(results.stream().filter(r -> r.caseName().equals("add")).allMatch(BenchResult::ok));
        }
    }

    @Test
    void ratiosAreAgainstTheCpuDevicesMedian() {
        Stats cpu = new Stats(10, 9, 11, 3);
        Stats other = new Stats(25, 20, 30, 3);
        BenchResult a = new BenchResult("cpu", Suite.GEMM, "square 64", "", BenchResult.Status.OK, cpu, 0, 1e-4, null);
        BenchResult b = new BenchResult("opencl:0", Suite.GEMM, "square 64", "", BenchResult.Status.OK, other, 0, 1e-4, null);
        BenchReport report = new BenchReport(BenchConfig.quick(), java.time.Instant.EPOCH, "test", List.of(), List.of(), List.of(a, b));
        assertEquals(2.5, report.ratioToCpu(b).orElseThrow(), 1e-12);
        assertEquals(1.0, report.ratioToCpu(a).orElseThrow(), 1e-12);
        String table = ResultTable.format(report);
        assertTrue(table.contains("2.50x") && table.contains("1.00x"), table);
    }

    private static List<BenchResult> results(BenchReport report, String device, Suite suite) {
        return report.results().stream().filter(r -> r.device().equals(device) && (suite == null || r.suite() == suite)).toList();
    }
}
