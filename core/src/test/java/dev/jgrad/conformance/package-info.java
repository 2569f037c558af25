/**
 * The backend conformance suite, shipped in core's test-jar so that every backend runs the same tests.
 *
 * <p>A backend module adds jgrad-core's test-jar and jgrad-backend-cpu (the reference) as test
 * dependencies and subclasses {@link dev.jgrad.conformance.BackendConformanceTest} with an
 * {@code openDevice()} that returns its device (wrapped with {@code Devices.open(backend, index, config)}), or calls {@code Assumptions.abort(reason)} when the
 * device is unavailable (each test is then reported skipped with the reason).
 *
 * <p>What it checks, on the device under test:
 * <ul>
 * <li>every kernel of the {@code DeviceKernels} SPI against the CPU reference ({@code ReferenceKernelChecks}),
 *     within per-family float32 tolerances whose reasoning is in {@code KernelTolerances};</li>
 * <li>kernels against exact values or closed forms ({@code AnalyticKernelChecks}), and the optimizer
 *     classes against closed-form trajectories ({@code OptimizerChecks}), so the CPU is checked too;</li>
 * <li>every op's autograd gradient against central finite differences ({@code GradientChecks},
 *     error budget in {@code FiniteDifferences});</li>
 * <li>a small MLP trained with SGD+momentum and Adam: the loss falls, parameters end where the CPU's do,
 *     and steps after the first allocate no device memory ({@code TrainingChecks});</li>
 * <li>the device opened, trained on and closed 100 times: close frees every buffer the backend
 *     allocated, and the heap stays flat ({@code LifecycleChecks}).</li>
 * </ul>
 * Inputs come from seeded generators, so every failure reproduces; outputs a kernel must overwrite start
 * as NaN.
 */
package dev.jgrad.conformance;
