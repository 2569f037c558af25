package dev.jgrad.bench.jmh;

import dev.jgrad.spark.exchange.TcpGradientSync;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One all-reduce of {@code floats} float32 values across {@code workers} replicas of the gradient exchange
 * ({@link TcpGradientSync}), as threads of one JVM over loopback: the score is the time from all replicas
 * starting the step to all having the total. The benchmark thread is rank 0; the other ranks wait on a barrier
 * and sum with it. 535,818 floats are the reference MLP 784-512-256-10's parameters (2.14 MB); 13,107,200 are
 * 50 MiB. Each replica sends and receives 2 (N - 1) / N of that per step. Before timing, one step on random
 * mixed-magnitude data is checked bit for bit against a sequential rank-order sum on every rank. Loopback and
 * one machine: every byte is a memory copy through the kernel and all ranks share the cores, so this is the
 * exchange's own overhead, not a network's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class AllReduceBenchmark {
    @Param({"2", "4"})
    public int workers;

    @Param({"535818", "13107200"})
    public int floats;

    private final List<TcpGradientSync> syncs = new ArrayList<>();
    private float[][] grads;
    private CyclicBarrier start, done;
    private ExecutorService others;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        for (int r = 0; r < workers; r++) syncs.add(TcpGradientSync.open("127.0.0.1", Duration.ofSeconds(60)));
        List<String> addresses = syncs.stream().map(TcpGradientSync::address).toList();
        others = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "all-reduce-rank");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> connecting = new ArrayList<>();
        for (int r = 0; r < workers; r++) {
            int rank = r;
            connecting.add(others.submit(() -> syncs.get(rank).connect(rank, addresses)));
        }
        for (Future<?> f : connecting) f.get(60, TimeUnit.SECONDS);

        grads = new float[workers][floats];
        Random rnd = new Random(1);
        for (float[] g : grads) {
            for (int i = 0; i < floats; i++) g[i] = (float) ((rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(9) - 4));
        }
        float[] expected = grads[0].clone();
        for (int r = 1; r < workers; r++) for (int i = 0; i < floats; i++) expected[i] += grads[r][i];

        start = new CyclicBarrier(workers);
        done = new CyclicBarrier(workers);
        for (int r = 1; r < workers; r++) {
            int rank = r;
            others.submit(() -> {
                try {
                    while (true) {
                        start.await();
                        syncs.get(rank).sum(grads[rank], floats);
                        done.await();
                    }
                } catch (InterruptedException | BrokenBarrierException e) {
                    return null; // tear-down
                }
            });
        }
        allReduce();
        for (int r = 0; r < workers; r++) {
            if (!Arrays.equals(grads[r], expected)) {
                throw new IllegalStateException("rank " + r + "'s total differs from the sequential rank-order sum");
            }
        }
        // Summing the totals again would grow them to infinity; the exchange's cost does not depend on the values
        // (nothing is compressed, and float adds of zeros take as long as of normal numbers).
        for (float[] g : grads) Arrays.fill(g, 0);
    }

    @Benchmark
    public void allReduce() throws Exception {
        start.await();
        syncs.getFirst().sum(grads[0], floats);
        done.await();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        start.reset();
        done.reset();
        others.shutdownNow();
        syncs.forEach(TcpGradientSync::close);
    }
}
