package dev.jgrad.train;

import dev.jgrad.data.Dataset;
import dev.jgrad.data.Targets;
import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.Devices;
import dev.jgrad.io.ModelCard;
import dev.jgrad.nn.Module;
import dev.jgrad.ops.Loss;
import dev.jgrad.optim.OptimizerSpec;
import dev.jgrad.spi.Backend;

import java.util.List;
import java.util.Objects;

/**
 * Trains a throwaway copy of a model on synthetic data in a background thread, so that the JIT compiler has
 * compiled the device's kernels (and the step's Java code) before the real run's first step. Start it as soon
 * as the model's shape is known and do other work meanwhile (loading the data, typically); {@link #close()}
 * it before training.
 *
 * <pre>{@code
 * try (Device device = Devices.open("cpu")) {
 *     JitWarmup warmup = JitWarmup.start(device, ModelCard.of("mlp:512,256", new int[]{784}, 10),
 *             new OptimizerSpec(OptimizerSpec.Kind.ADAM, 1e-3f, 0, 0));
 *     Split data = Datasets.load("fashion-mnist");     // meanwhile, on the other core
 *     warmup.close();
 *     ... build the model and fit as usual
 * }
 * }</pre>
 *
 * <p>It pays only where the kernels are compiled while they run ({@link
 * dev.jgrad.spi.DeviceKernels#compiledWhileRunning()}: the CPU backend, whose vector kernels run hundreds of
 * times slower until compiled); on other devices {@code start} does nothing. It never touches {@code device}
 * itself: it opens a one-thread sibling of it (same backend and options) for its own model, optimizer and
 * data, {@value #BATCH} examples a step (a flat input of more than 64 features narrowed to 32-63 of them:
 * compiled code does not depend on the sizes, and the first, slow steps cost less), at most {@value #MAX_STEPS}
 * steps, and closes it when done. So it changes no result, and training on {@code device} while it runs is
 * allowed (the two then share the cores).
 * It needs memory for one more copy of the model and its optimizer state.
 *
 * <p>Opening the device can itself take most of a second ({@code auto} probes every backend's native
 * libraries), and the warm-up does not need the device yet: {@link #startBefore} starts it from the device spec
 * alone, and {@link #forDevice} then keeps it, or swaps it for the right one when {@code auto} chose another
 * backend:
 *
 * <pre>{@code
 * JitWarmup early = JitWarmup.startBefore("auto", config, card, optimizer, loss);
 * try (Device device = Devices.open("auto", config)) {
 *     JitWarmup warmup = early.forDevice(device);
 *     Split data = Datasets.load("fashion-mnist");
 *     warmup.close();
 *     ...
 * } finally {
 *     early.close();                                   // in case opening the device failed
 * }
 * }</pre>
 *
 * <p>It is best-effort: a warm-up that fails (say, the sibling cannot be opened) stops quietly; {@link
 * #failure()} says why.
 *
 * <p>The compiler gets to the kernels sooner still with the JVM options {@code
 * -XX:CompileCommand=CompileThresholdScaling,dev/jgrad/cpu/*.*,0.05} and the same for {@code
 * jdk/incubator/vector/*.*} (both, or a kernel may be compiled around the Vector API's slow fallbacks for
 * good), and on a machine of fewer than four CPUs {@code -XX:CICompilerCount=3} (a second C2 compiler
 * thread); the {@code jgrad} launcher passes them.
 */
public final class JitWarmup implements AutoCloseable {
    /** Examples per warm-up step: few, since the first steps run in the slow, uncompiled code. */
    public static final int BATCH = 8;
    /** Steps after which the warm-up ends by itself. */
    public static final int MAX_STEPS = 400;
    /** Flat inputs wider than this are narrowed for the warm-up (see {@link #narrowed}). */
    private static final int NARROW_ABOVE = 64;
    /** Warm-up batches per epoch: each epoch also evaluates, so evaluation code is compiled too. */
    private static final int BATCHES_PER_EPOCH = 4;

    private final StopSignal stop = new StopSignal();
    /** The device whose one-thread sibling the warm-up trains on; null when it does nothing. */
    private final Devices.DeviceSpec warmed;
    private final ModelCard card;
    private final OptimizerSpec optimizer;
    private final Loss loss;
    private final Thread thread;
    private volatile int steps;
    private volatile Throwable failure;

    private JitWarmup(Devices.DeviceSpec warmed, DeviceConfig config, ModelCard card, OptimizerSpec optimizer, Loss loss) {
        this.warmed = warmed;
        this.card = card;
        this.optimizer = optimizer;
        this.loss = loss;
        if (warmed == null) {
            thread = null;
            return;
        }
        thread = new Thread(() -> run(warmed.backend() + ":" + warmed.index(), config, card, optimizer, loss),
                "jgrad-jit-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts warming up for training {@code card}'s model with {@code optimizer} and the card's task's default
     * loss on {@code device}; returns at once.
     *
     * @param device    the device the real run trains on; only its backend and options are used
     * @param card      the model's architecture, input shape, output width and task, as the run will have them
     * @param optimizer the run's optimizer (its learning rate does not matter)
     * @return the running warm-up, to {@link #close()} before training
     */
    public static JitWarmup start(Device device, ModelCard card, OptimizerSpec optimizer) {
        return start(device, card, optimizer, card.task().defaultLoss());
    }

    /**
     * {@link #start(Device, ModelCard, OptimizerSpec)} for a run with its own {@code loss}.
     *
     * @param device    the device the real run trains on; only its backend and options are used
     * @param card      the model's architecture, input shape, output width and task, as the run will have them
     * @param optimizer the run's optimizer (its learning rate does not matter)
     * @param loss      the run's loss, one that fits the card's task
     * @return the running warm-up, to {@link #close()} before training
     */
    public static JitWarmup start(Device device, ModelCard card, OptimizerSpec optimizer, Loss loss) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(card, "card");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(loss, "loss");
        if (device.isClosed()) throw new IllegalStateException("JitWarmup.start: the device is closed; open it first");
        Devices.DeviceSpec warmed = device.kernels().compiledWhileRunning() ? Devices.DeviceSpec.parse(device.info().id()) : null;
        return new JitWarmup(warmed, device.config(), card, optimizer, loss);
    }

    /**
     * Starts warming up before the run's device is opened, from the spec it will be opened with; returns at
     * once. A spec naming a backend warms that backend up (where its kernels are compiled while they run:
     * {@link dev.jgrad.spi.Backend#compiledWhileRunning()}); {@code auto}, which only probing can resolve,
     * warms up the backend it falls back to last (the CPU), and {@link #forDevice} ends that warm-up at once
     * if {@code auto} opens another. A malformed spec starts nothing (opening the device will say why).
     *
     * @param spec      the device spec the run will open, as {@link Devices#open(String, DeviceConfig)} takes it
     *                  ({@code auto}, {@code cpu}, {@code cuda[:N]}, ...; see {@link Devices#requested})
     * @param config    the options the run's device will be opened with (their thread count is not used: the
     *                  warm-up runs on one thread)
     * @param card      the model's architecture, input shape, output width and task, as the run will have them
     * @param optimizer the run's optimizer (its learning rate does not matter)
     * @param loss      the run's loss, one that fits the card's task
     * @return the running warm-up: pass the opened device to {@link #forDevice}, and close it in any case
     */
    public static JitWarmup startBefore(String spec, DeviceConfig config, ModelCard card, OptimizerSpec optimizer, Loss loss) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(card, "card");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(loss, "loss");
        return new JitWarmup(warmedBefore(spec), config, card, optimizer, loss);
    }

    /** The device a warm-up begun before opening {@code spec} trains a sibling of, or null for none. */
    private static Devices.DeviceSpec warmedBefore(String spec) {
        Devices.DeviceSpec parsed;
        try {
            parsed = Devices.DeviceSpec.parse(spec);
        } catch (IllegalArgumentException e) {
            return null;
        }
        List<Backend> backends = Devices.backends();
        Backend backend = parsed.isAuto()
                ? (backends.isEmpty() ? null : backends.get(backends.size() - 1))
                : backends.stream().filter(b -> b.name().equals(parsed.backend())).findFirst().orElse(null);
        if (backend == null || !backend.compiledWhileRunning()) return null;
        return new Devices.DeviceSpec(backend.name(), parsed.isAuto() ? 0 : parsed.index());
    }

    /**
     * The warm-up for training on {@code device}: this one when it warms up {@code device}'s backend and
     * index; otherwise (a warm-up {@link #startBefore begun before} an {@code auto} that chose another backend)
     * this one is closed and {@link #start(Device, ModelCard, OptimizerSpec, Loss)} starts the right one, with
     * the same model, optimizer and loss.
     *
     * @param device the device the run trains on, open
     * @return the warm-up to close before training (this one or a new one)
     */
    public JitWarmup forDevice(Device device) {
        Objects.requireNonNull(device, "device");
        if (warmed != null && !device.isClosed() && warmed.equals(Devices.DeviceSpec.parse(device.info().id()))) return this;
        close();
        return start(device, card, optimizer, loss);
    }

    private void run(String deviceId, DeviceConfig config, ModelCard card, OptimizerSpec optimizer, Loss loss) {
        try (Device sibling = Devices.open(deviceId, config.withThreads(1))) {
            card = narrowed(card);
            Module model = card.build();
            model.to(sibling, 0);
            Trainer trainer = new Trainer(model, optimizer.create(model.parameters()), sibling, BATCH, 0)
                    .task(card.task()).loss(loss).stopOn(stop).onStep((position, samples, lossSum) -> {
                        if (++steps >= MAX_STEPS) stop.request();
                    });
            trainer.fit(synthetic(card, BATCH * BATCHES_PER_EPOCH), synthetic(card, BATCH),
                    MAX_STEPS / BATCHES_PER_EPOCH, new TrainingListener() {});
        } catch (TrainingStoppedException stopped) {
            // closed, or MAX_STEPS done
        } catch (Throwable t) {
            failure = t;
        }
    }

    /**
     * The card with a flat input wider than {@value #NARROW_ABOVE} narrowed to 32-63 features with the same
     * remainder modulo 32: the first layer's GEMMs, the costliest of the slow steps before compilation, shrink,
     * and the kernels still meet the same partial vectors at the rows' ends.
     */
    static ModelCard narrowed(ModelCard card) {
        int[] shape = card.inputShape();
        if (shape.length != 1 || shape[0] <= NARROW_ABOVE) return card;
        int width = 32 + shape[0] % 32;
        try {
            return new ModelCard(card.architecture(), card.activation(), card.task(), new int[]{width},
                    card.task() == Task.AUTOENCODE ? width : card.outputs(), null, null);
        } catch (IllegalArgumentException e) {
            return card;                               // an architecture that needs its input's width
        }
    }

    /** Examples of the card's shape and task: features in [0, 1), targets that fit the task. */
    static Dataset synthetic(ModelCard card, int size) {
        int features = card.features();
        int outputs = card.outputs();
        float[] x = new float[size * features];
        for (int i = 0; i < x.length; i++) x[i] = ((i * 0x9E3779B9) >>> 8) * 0x1p-24f;
        Targets targets = switch (card.task().targets()) {
            case CLASSES -> {
                int[] labels = new int[size];
                for (int i = 0; i < size; i++) labels[i] = i % outputs;
                yield new Targets.Classes(labels, outputs);
            }
            case VALUES -> {
                float[] v = new float[size * outputs];
                for (int i = 0; i < v.length; i++) v[i] = (i * 7 % 5) % 2;
                yield new Targets.Values(v, outputs);
            }
            case NONE -> new Targets.None();
        };
        return new Dataset("warm-up", x, size, features, targets);
    }

    /**
     * The optimizer steps the warm-up has taken so far.
     *
     * @return the step count
     */
    public int steps() {
        return steps;
    }

    /**
     * Whether the warm-up is running: false on devices whose kernels are not compiled while they run, and once
     * it is done or closed.
     *
     * @return true while it runs
     */
    public boolean running() {
        return thread != null && thread.isAlive();
    }

    /**
     * Why the warm-up stopped early, if it failed.
     *
     * @return the failure, or null
     */
    public Throwable failure() {
        return failure;
    }

    /**
     * Stops the warm-up after its current step and waits for it, so that nothing of it runs afterwards.
     * Calling it again does nothing.
     */
    @Override
    public void close() {
        stop.request();
        if (thread == null) return;
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
