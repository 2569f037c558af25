package dev.jgrad.bench.jmh;

import dev.jgrad.data.Datasets;
import dev.jgrad.data.Split;
import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.Devices;
import dev.jgrad.io.ModelCard;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.OptimizerSpec;
import dev.jgrad.train.JitWarmup;
import dev.jgrad.train.Trainer;
import dev.jgrad.train.TrainingListener;

import java.util.Locale;

/**
 * How the first epoch's steps speed up as the JIT compiles the CPU kernels: the reference MLP (784-512-256-10,
 * momentum SGD, batch 128) on Fashion-MNIST, run as the CLI runs it (device opened, data loaded, then one epoch),
 * with or without a {@link JitWarmup} during the loading. Prints the loading time, the warm-up's steps, each
 * epoch's samples/s, and the mean step time of each 25 steps of the first epoch and of the second (from its
 * second step: its first follows the first epoch's evaluation). Run it in a fresh JVM: the point is a cold start.
 *
 * <pre>{@code
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.jgrad.bench.jmh.FirstEpochSteps warm 2
 * }</pre>
 */
public final class FirstEpochSteps {
    private static final int GROUP = 25;

    private FirstEpochSteps() {}

    /**
     * Measures and prints.
     *
     * @param args {@code warm} or {@code cold}, then the number of epochs (the per-step times are of the first)
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("warm") || args[0].equals("cold"))) {
            System.err.println("usage: FirstEpochSteps warm|cold EPOCHS");
            System.exit(2);
        }
        boolean warm = args[0].equals("warm");
        int epochs = Integer.parseInt(args[1]);
        ModelCard card = ModelCard.of("mlp:512,256", new int[]{784}, 10);
        OptimizerSpec sgd = new OptimizerSpec(OptimizerSpec.Kind.MOMENTUM, 0.05f, 0.9f, 0);
        long t0 = System.nanoTime();
        try (Device device = Devices.open("cpu", DeviceConfig.defaults())) {
            JitWarmup warmup = warm ? JitWarmup.start(device, card, sgd) : null;
            Split data = Datasets.load(Datasets.FASHION_MNIST);
            long loaded = System.nanoTime();
            if (warmup != null) warmup.close();
            Module model = card.build();
            model.to(device, 1);
            int perEpoch = (data.train().size() + 127) / 128;
            long[] stepEnds = new long[perEpoch * Math.max(epochs, 2)];
            int[] done = {0};
            Trainer trainer = new Trainer(model, sgd.create(model.parameters()), device, 128, 1)
                    .onStep((position, samples, lossSum) -> {
                        if (done[0] < stepEnds.length) stepEnds[done[0]++] = System.nanoTime();
                    });
            long start = System.nanoTime();
            var history = trainer.fit(data.train(), data.test(), epochs, new TrainingListener() {});
            System.out.printf(Locale.ROOT, "%s: device + data %.2f s%s; training starts %.2f s after start%n", args[0],
                    (loaded - t0) / 1e9, warmup == null ? "" : ", warm-up " + warmup.steps() + " steps", (start - t0) / 1e9);
            StringBuilder byEpoch = new StringBuilder();
            history.forEach(e -> byEpoch.append(String.format(Locale.ROOT, " %.0f", e.trainSamplesPerSec())));
            System.out.println("samples/s by epoch:" + byEpoch);
            StringBuilder groups = new StringBuilder();
            long prev = start;
            for (int i = GROUP - 1; i < Math.min(done[0], perEpoch); i += GROUP) {
                groups.append(String.format(Locale.ROOT, " %.1f", (stepEnds[i] - prev) / 1e6 / GROUP));
                prev = stepEnds[i];
            }
            System.out.println("epoch 1, ms per step, means of " + GROUP + " steps:" + groups);
            if (done[0] > perEpoch + GROUP) {
                // the second epoch's first step also carries the first epoch's evaluation: start after it
                StringBuilder second = new StringBuilder();
                prev = stepEnds[perEpoch];
                for (int i = perEpoch + GROUP; i < Math.min(done[0], 2 * perEpoch); i += GROUP) {
                    second.append(String.format(Locale.ROOT, " %.1f", (stepEnds[i] - prev) / 1e6 / GROUP));
                    prev = stepEnds[i];
                }
                System.out.println("epoch 2 from its second step, ms per step, means of " + GROUP + " steps:" + second);
            }
            StringBuilder first = new StringBuilder();
            prev = start;
            for (int i = 0; i < Math.min(GROUP, done[0]); i++) {
                first.append(String.format(Locale.ROOT, " %.1f", (stepEnds[i] - prev) / 1e6));
                prev = stepEnds[i];
            }
            System.out.println("epoch 1, ms of each of the first " + GROUP + " steps:" + first);
        }
    }
}
