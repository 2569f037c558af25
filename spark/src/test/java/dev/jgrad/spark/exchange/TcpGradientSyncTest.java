package dev.jgrad.spark.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jgrad.train.GradientSyncException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Replicas as threads of one JVM over loopback; every result is compared bit for bit with a sequential sum. */
class TcpGradientSyncTest {
    private final List<TcpGradientSync> opened = new ArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void closeAll() {
        opened.forEach(TcpGradientSync::close);
        pool.shutdownNow();
    }

    /** n replicas, listening and connected as ranks 0 .. n-1. */
    private List<TcpGradientSync> connected(int n, Duration timeout) throws Exception {
        List<TcpGradientSync> syncs = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            TcpGradientSync s = TcpGradientSync.open("127.0.0.1", timeout);
            opened.add(s);
            syncs.add(s);
        }
        List<String> addresses = syncs.stream().map(TcpGradientSync::address).toList();
        List<Future<?>> done = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            int rank = r;
            done.add(pool.submit(() -> syncs.get(rank).connect(rank, addresses)));
        }
        for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);
        return syncs;
    }

    /** Runs one step on every replica at once; returns what each threw (null for success). */
    private List<Throwable> step(List<TcpGradientSync> syncs, float[][] grads, int length) throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (int r = 0; r < syncs.size(); r++) {
            int rank = r;
            done.add(pool.submit(() -> syncs.get(rank).sum(grads[rank], length)));
        }
        List<Throwable> thrown = new ArrayList<>();
        for (Future<?> f : done) {
            try {
                f.get(30, TimeUnit.SECONDS);
                thrown.add(null);
            } catch (ExecutionException e) {
                thrown.add(e.getCause());
            }
        }
        return thrown;
    }

    /** Mixed signs and magnitudes from 1e-8 to 1e8, so that the order of a float sum changes its bits. */
    private static float[] gradient(Random rnd, int size) {
        float[] g = new float[size];
        for (int i = 0; i < size; i++) g[i] = (float) ((rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(17) - 8));
        return g;
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Float.floatToRawIntBits(a[i]);
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void everyReplicaGetsTheRankOrderSumBitForBit(int n) throws Exception {
        List<TcpGradientSync> syncs = connected(n, Duration.ofSeconds(20));
        Random rnd = new Random(42 + n);
        int[] lengths = {0, 1, n - 1, n + 1, 7, 1000, 1001, 65_537};
        int orderMattered = 0;
        for (int step = 0; step < 60; step++) {
            int length = lengths[step % lengths.length];
            // Arrays longer than length: the tail must be left alone.
            float[][] grads = new float[n][];
            for (int r = 0; r < n; r++) grads[r] = gradient(rnd, length + 3);
            float[] expected = grads[0].clone();
            float[] reversed = grads[n - 1].clone();
            for (int i = 0; i < length; i++) {
                for (int r = 1; r < n; r++) expected[i] += grads[r][i];
                for (int r = n - 2; r >= 0; r--) reversed[i] += grads[r][i];
                if (expected[i] != reversed[i]) orderMattered++;
            }
            float[][] tails = new float[n][];
            for (int r = 0; r < n; r++) tails[r] = java.util.Arrays.copyOfRange(grads[r], length, length + 3);

            assertEquals(java.util.Collections.nCopies(n, null), step(syncs, grads, length));
            for (int r = 0; r < n; r++) {
                assertArrayEquals(bits(java.util.Arrays.copyOf(expected, length)),
                        bits(java.util.Arrays.copyOf(grads[r], length)), "rank " + r + ", step " + step + ", length " + length);
                assertArrayEquals(bits(tails[r]), bits(java.util.Arrays.copyOfRange(grads[r], length, length + 3)),
                        "rank " + r + " changed elements past length");
            }
        }
        // With two replicas order cannot matter (a + b == b + a); with more it must, or the test proves nothing.
        if (n > 2) assertTrue(orderMattered > 1000, "the data must make the summation order visible, differed at " + orderMattered);
        for (int r = 0; r < n; r++) {
            assertEquals(r, syncs.get(r).rank());
            assertEquals(n, syncs.get(r).workers());
        }
    }

    @Test
    void aSingleReplicaLeavesItsGradientAlone() throws Exception {
        TcpGradientSync s = connected(1, Duration.ofSeconds(5)).getFirst();
        float[] g = {1, 2, 3};
        s.sum(g, 3);
        assertArrayEquals(new float[] {1, 2, 3}, g);
    }

    @Test
    void aPeerThatClosesMidRunFailsTheOthersNamingIt() throws Exception {
        Duration timeout = Duration.ofSeconds(10);
        List<TcpGradientSync> syncs = connected(3, timeout);
        float[][] grads = {new float[100], new float[100], new float[100]};
        for (int i = 0; i < 3; i++) assertEquals(java.util.Arrays.asList(null, null, null), step(syncs, grads, 100));
        String gone = syncs.get(2).address();
        syncs.get(2).close();

        long start = System.nanoTime();
        List<Throwable> thrown = step(syncs.subList(0, 2), grads, 100);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        for (Throwable t : thrown) {
            assertTrue(t instanceof GradientSyncException, "expected GradientSyncException, got " + t);
            assertTrue(t.getMessage().contains("rank 2 (" + gone + ")"), t.getMessage());
        }
        // A closed connection is noticed at once, not after the timeout.
        assertTrue(millis < timeout.toMillis() / 2, "took " + millis + " ms");
        // The failed replica refuses further steps instead of summing with a missing peer.
        GradientSyncException again = assertThrows(GradientSyncException.class, () -> syncs.get(0).sum(grads[0], 100));
        assertTrue(again.getMessage().contains("earlier step failed"), again.getMessage());
    }

    @Test
    void aSilentPeerTimesOut() throws Exception {
        List<TcpGradientSync> syncs = connected(2, Duration.ofMillis(500));
        long start = System.nanoTime();
        GradientSyncException e = assertThrows(GradientSyncException.class, () -> syncs.get(0).sum(new float[10], 10));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(e.getMessage().contains("rank 1 (" + syncs.get(1).address() + ") sent nothing for 500 ms"), e.getMessage());
        assertTrue(millis >= 450 && millis < 5000, "took " + millis + " ms");
    }

    @Test
    void replicasGivenDifferentLengthsFail() throws Exception {
        List<TcpGradientSync> syncs = connected(2, Duration.ofSeconds(5));
        Future<?> other = pool.submit(() -> syncs.get(1).sum(new float[12], 12));
        GradientSyncException e = assertThrows(GradientSyncException.class, () -> syncs.get(0).sum(new float[10], 10));
        assertTrue(e.getMessage().contains("different lengths"), e.getMessage());
        ExecutionException o = assertThrows(ExecutionException.class, () -> other.get(10, TimeUnit.SECONDS));
        assertTrue(o.getCause() instanceof GradientSyncException, o.getCause().toString());
    }

    @Test
    void connectRetriesUntilTheLowerRankListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        TcpGradientSync late = null;
        TcpGradientSync early = TcpGradientSync.open("127.0.0.1", Duration.ofSeconds(10));
        opened.add(early);
        List<String> addresses = List.of("127.0.0.1:" + port, early.address());
        Future<?> dialing = pool.submit(() -> early.connect(1, addresses));
        Thread.sleep(300); // a few refused attempts
        late = TcpGradientSync.open("127.0.0.1", port, Duration.ofSeconds(10));
        opened.add(late);
        late.connect(0, addresses);
        dialing.get(10, TimeUnit.SECONDS);
        float[][] grads = {{1, 2, 3}, {10, 20, 30}};
        assertEquals(java.util.Arrays.asList(null, null), step(List.of(late, early), grads, 3));
        assertArrayEquals(new float[] {11, 22, 33}, grads[0]);
        assertArrayEquals(new float[] {11, 22, 33}, grads[1]);
    }

    @Test
    void connectRefusesAnAddressListWithoutThisReplica() {
        TcpGradientSync s = TcpGradientSync.open("127.0.0.1", Duration.ofSeconds(1));
        opened.add(s);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.connect(0, List.of("127.0.0.1:1", s.address())));
        assertTrue(e.getMessage().contains("rank order"), e.getMessage());
    }

    @Test
    void closeStopsItsThreadsAndLeavesNoOtherThreadBehind() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        List<TcpGradientSync> syncs = connected(3, Duration.ofSeconds(10));
        float[][] grads = {new float[1000], new float[1000], new float[1000]};
        step(syncs, grads, 1000);
        assertTrue(exchangeThreads().size() > 0, "the I/O threads are named jgrad-exchange-*");
        assertTrue(exchangeThreads().stream().allMatch(Thread::isDaemon), "I/O threads must not keep a JVM alive");
        syncs.forEach(TcpGradientSync::close);
        assertEquals(Set.of(), exchangeThreads().stream().map(Thread::getName).collect(Collectors.toSet()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Set<String> leaked;
        do {
            leaked = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.isAlive() && !t.isDaemon())
                    .filter(t -> !t.getName().startsWith("pool-")) // this test's own executor
                    .map(Thread::getName).collect(Collectors.toSet());
            if (leaked.isEmpty()) return;
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        fail("non-daemon threads left running: " + leaked);
    }

    private static List<Thread> exchangeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("jgrad-exchange")).toList();
    }
}
