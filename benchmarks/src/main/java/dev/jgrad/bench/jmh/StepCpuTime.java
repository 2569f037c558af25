package dev.jgrad.bench.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The CPU time of one training step on the calling thread, for comparing builds on a machine shared with
 * other work, where wall-clock figures swing by several times: with {@code -Djgrad.cpu.threads=1} the whole
 * step runs on this thread, and other processes do not inflate its CPU time (they still share the caches).
 * Runs the JMH fixture's set-up (including its check against the host reference), then warm-up steps, then
 * timed steps, and prints the median and range of the thread CPU time and of the wall time per step, and the
 * mean wall time (what an epoch's samples/s follows: the occasional slow step counts in full).
 *
 * <pre>{@code
 * java --add-modules jdk.incubator.vector -Xmx4g -Djgrad.cpu.threads=1 -cp benchmarks/target/benchmarks.jar \
 *     dev.jgrad.bench.jmh.StepCpuTime cnn 60 80
 * }</pre>
 */
public final class StepCpuTime {
    private StepCpuTime() {}

    /**
     * Measures and prints.
     *
     * @param args {@code cnn} or {@code mlp}, then the warm-up steps, then the timed steps
     */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: StepCpuTime cnn|mlp WARMUP_STEPS TIMED_STEPS");
            System.exit(2);
        }
        TrainingStepFixture fixture = switch (args[0]) {
            case "cnn" -> new CnnTrainingStepBenchmark();
            case "mlp" -> new TrainingStepBenchmark();
            default -> throw new IllegalArgumentException("unknown network " + args[0] + ": cnn or mlp");
        };
        int warm = Integer.parseInt(args[1]), steps = Integer.parseInt(args[2]);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        fixture.setUp();
        try {
            for (int i = 0; i < warm; i++) fixture.trainingStep();
            double[] cpu = new double[steps], wall = new double[steps];
            for (int i = 0; i < steps; i++) {
                long c0 = threads.getCurrentThreadCpuTime(), w0 = System.nanoTime();
                fixture.trainingStep();
                cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
                wall[i] = (System.nanoTime() - w0) / 1e6;
            }
            double wallSum = 0;
            for (double w : wall) wallSum += w;
            Arrays.sort(cpu);
            Arrays.sort(wall);
            System.out.printf(Locale.ROOT, "%s: thread CPU %.2f ms [%.2f-%.2f], wall %.2f ms [%.2f-%.2f] per step (median [min-max] of %d), wall mean %.3f ms%n",
                    args[0], cpu[steps / 2], cpu[0], cpu[steps - 1], wall[steps / 2], wall[0], wall[steps - 1], steps, wallSum / steps);
        } finally {
            fixture.tearDown();
        }
    }
}
