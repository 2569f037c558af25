package dev.jgrad.conformance;

import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceUnavailableException;
import dev.jgrad.device.Devices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import dev.jgrad.train.Task;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;

import java.util.stream.Stream;

/**
 * The conformance suite every backend runs: each kernel of the {@code Device} SPI against the CPU
 * reference, the kernels against exact values, every op's gradient against finite differences, and a
 * small training run, all on the device under test. A backend's module subclasses this with
 * {@link #openDevice()}; the CPU reference is found through ServiceLoader, so those modules need
 * jgrad-backend-cpu on their test class path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendConformanceTest {

    /**
     * The device under test; call {@code org.junit.jupiter.api.Assumptions.abort(reason)} when it is
     * unavailable (e.g. no OpenCL runtime), so the tests are reported as skipped with the reason.
     */
    protected abstract Device openDevice();

    private Device device;
    private Device reference;
    private DevicePair pair;
    /** Why the device is unavailable, or null. */
    private TestAbortedException unavailable;

    @BeforeAll
    final void openDevices() {
        try {
            device = openDevice();
        } catch (TestAbortedException e) {
            // an abort here would hide the tests (Surefire reports "Tests run: 0" without the reason),
            // so remember it and skip each test with it instead
            unavailable = e;
            System.out.println(getClass().getSimpleName() + " skipped: " + e.getMessage());
            return;
        }
        try {
            reference = Devices.openSpec("cpu", Devices.backends(), msg -> {});
        } catch (DeviceUnavailableException e) {
            throw new IllegalStateException("the conformance suite compares with the CPU backend, which is not usable here"
                    + " (is jgrad-backend-cpu a test dependency of this module?): " + e.getMessage(), e);
        }
        pair = new DevicePair(device, reference);
    }

    @BeforeEach
    final void skipWhenUnavailable() {
        if (unavailable != null) Assumptions.abort(unavailable.getMessage());
    }

    @AfterAll
    final void closeDevices() {
        for (Device d : new Device[]{device, reference}) {
            if (d == null) continue;
            d.close();
        }
    }

    // ---- kernels against the CPU reference --------------------------------------------------------

    @Test
    void fillAndCopyMatchReference() {
        new ReferenceKernelChecks(pair).fillAndCopy();
    }

    @TestFactory
    Stream<DynamicTest> axpbyMatchesReference() {
        return new ReferenceKernelChecks(pair).axpby();
    }

    @TestFactory
    Stream<DynamicTest> unaryMatchesReference() {
        return new ReferenceKernelChecks(pair).unary();
    }

    @TestFactory
    Stream<DynamicTest> binaryMatchesReference() {
        return new ReferenceKernelChecks(pair).binary();
    }

    @TestFactory
    Stream<DynamicTest> reduceSumAndExpandMatchReference() {
        return new ReferenceKernelChecks(pair).reduceSumAndExpand();
    }

    @TestFactory
    Stream<DynamicTest> gemmMatchesReference() {
        return new ReferenceKernelChecks(pair).gemm();
    }

    @TestFactory
    Stream<DynamicTest> gemmBiasActivationMatchesReference() {
        return new ReferenceKernelChecks(pair).gemmBiasActivation();
    }

    @TestFactory
    Stream<DynamicTest> activationBackwardBiasGradMatchesReference() {
        return new ReferenceKernelChecks(pair).activationBackwardBiasGrad();
    }

    @TestFactory
    Stream<DynamicTest> softmaxMatchesReference() {
        return new ReferenceKernelChecks(pair).softmax();
    }

    @TestFactory
    Stream<DynamicTest> softmaxCrossEntropyMatchesReference() {
        return new ReferenceKernelChecks(pair).softmaxCrossEntropy();
    }

    @TestFactory
    Stream<DynamicTest> bceWithLogitsMatchesReference() {
        return new ReferenceKernelChecks(pair).bceWithLogits();
    }

    @TestFactory
    Stream<DynamicTest> sgdStepMatchesReference() {
        return new ReferenceKernelChecks(pair).sgdStep();
    }

    @TestFactory
    Stream<DynamicTest> adamStepMatchesReference() {
        return new ReferenceKernelChecks(pair).adamStep();
    }

    @TestFactory
    @DisplayName("gatherRows: exactly the rows the host picks, on the device and the CPU reference")
    Stream<DynamicTest> gatherRowsMatchesRowsPickedOnTheHost() {
        return new GatherChecks(pair).matchesRowsPickedOnTheHost();
    }

    // ---- kernels against exact values -------------------------------------------------------------

    @Test
    void memoryRoundTripsWithOffsets() {
        new AnalyticKernelChecks(device).memoryRoundTrip();
    }

    @TestFactory
    Stream<DynamicTest> gemmMatchesExactProduct() {
        return new AnalyticKernelChecks(device).gemmMatchesExactProduct();
    }

    @TestFactory
    Stream<DynamicTest> unaryMatchesDefinition() {
        return new AnalyticKernelChecks(device).unaryMatchesDefinition();
    }

    @TestFactory
    Stream<DynamicTest> reduceSumAndExpandMatchExactSums() {
        return new AnalyticKernelChecks(device).reduceSumAndExpandMatchExactSums();
    }

    @Test
    void softmaxRowsSumToOneAndSurviveLargeLogits() {
        new AnalyticKernelChecks(device).softmaxRowsSumToOne();
    }

    @Test
    @DisplayName("cross-entropy: uniform logits give ln(C), logits of +-1000 stay finite, gradient is p - onehot")
    void crossEntropyKnownValues() {
        new AnalyticKernelChecks(device).crossEntropyKnownValues();
    }

    @Test
    void bceWithLogitsKnownValues() {
        new AnalyticKernelChecks(device).bceKnownValues();
    }

    @Test
    void sgdStepsByHand() {
        new AnalyticKernelChecks(device).sgdByHand();
    }

    @Test
    @DisplayName("Adam's first step moves each parameter by lr*sign(grad); AdamW's decay is decoupled")
    void adamKnownSteps() {
        new AnalyticKernelChecks(device).adamKnownSteps();
    }

    @Test
    @DisplayName("SGD (plain, momentum, Nesterov), Adam and AdamW take their closed-form steps on a constant gradient")
    void optimizersTakeClosedFormSteps() {
        new OptimizerChecks(device).closedFormSteps();
    }

    // ---- autograd against finite differences ------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> gradientsMatchFiniteDifferences() {
        return new GradientChecks(device).all();
    }

    // ---- training ---------------------------------------------------------------------------------

    @Test
    void sgdWithMomentumTrainsLikeTheReference() {
        new TrainingChecks(pair).trainsLikeTheReference("SGD momentum 0.9", TrainingChecks.sgdMomentum());
    }

    @Test
    void adamTrainsLikeTheReference() {
        new TrainingChecks(pair).trainsLikeTheReference("Adam", TrainingChecks.adam());
    }

    @Test
    @DisplayName("training: +-64U rounding noise on every sum moves parameters by under a tenth of the tolerance")
    void roundingNoiseStaysWellWithinTrainingTolerance() {
        TrainingChecks checks = new TrainingChecks(pair);
        checks.roundingNoiseStaysWellWithinTolerance("SGD momentum 0.9", TrainingChecks.sgdMomentum());
        checks.roundingNoiseStaysWellWithinTolerance("Adam", TrainingChecks.adam());
    }

    @Test
    void trainingStepsReuseDeviceMemory() {
        new TrainingChecks(pair).memoryDoesNotGrow();
    }

    // ---- the device's lifetime ---------------------------------------------------------------------

    @Test
    @DisplayName("open, train, close 100 times: close frees every buffer, and the heap stays flat")
    void openTrainCloseRepeatedlyLeavesNothingBehind() {
        LifecycleChecks.openTrainCloseLeavesNothing(this::openDevice);
    }

    // ---- training with the dataset on the device --------------------------------------------------

    @Test
    @DisplayName("dataset on the device: the same losses and parameters, bit for bit, as batches gathered on the host")
    void datasetOnDeviceTrainsBitIdenticallyToHostBatches() {
        new DatasetOnDeviceChecks(device).trainsBitIdenticallyToHostBatches();
    }

    @Test
    @DisplayName("dataset on the device: uploaded once per fit, then only each batch's row numbers; no allocation after epoch 1")
    void datasetOnDeviceUploadsOnceThenOnlyRowNumbers() {
        new DatasetOnDeviceChecks(device).uploadsTheDatasetOnceAndThenOnlyRowNumbers();
    }

    @Test
    @DisplayName("host batches: written row by row (host memory) or staged in one write, the same results bit for bit")
    void hostBatchesStagedOrRowByRow() {
        new DatasetOnDeviceChecks(device).hostBatchesAreTheSameStagedOrRowByRow();
    }

    @Test
    @DisplayName("dataset on the device: a device that cannot hold it falls back to host batches with one note")
    void datasetOnDeviceFallsBackWithANote() {
        new DatasetOnDeviceChecks(device).fallsBackToHostBatchesWithANote();
    }

    // ---- tasks beyond classification -----------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = Task.class, names = {"MULTILABEL", "REGRESS", "AUTOENCODE"})
    @DisplayName("multi-label, regression and autoencoder training: learns, ends within tolerance of the CPU, same metrics")
    void tasksTrainLikeTheReference(Task task) {
        new TaskChecks(pair).trainsLikeTheReference(task);
    }

    @ParameterizedTest
    @EnumSource(value = Task.class, names = {"MULTILABEL", "REGRESS", "AUTOENCODE"})
    @DisplayName("value targets and no targets with the dataset on the device: the same run bit for bit")
    void tasksTrainBitIdenticallyWithTheDatasetOnDevice(Task task) {
        new TaskChecks(pair).datasetOnDeviceIsBitIdentical(task);
    }
}
