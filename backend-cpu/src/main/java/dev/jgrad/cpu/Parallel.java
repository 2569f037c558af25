package dev.jgrad.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A persistent team of threads that runs one job as {@code threads} fixed parts: part 0 on the calling
 * thread, part t on worker t. Parts are assigned statically (no work stealing), so which thread computes
 * which output never depends on timing, and every kernel built on this is deterministic.
 *
 * <p>A training step issues thousands of kernels of tens of microseconds each, so the hand-off must cost
 * far less than a park/unpark round trip: idle workers spin on the job counter for a while before they
 * park, and the caller spins while it waits for the workers to finish.
 */
final class Parallel implements AutoCloseable {
    /** How long an idle worker spins before parking; covers the gap between the kernels of one step. */
    private static final long SPIN_NANOS = 200_000;

    interface RangeBody {
        void run(int from, int to);
    }

    interface PartBody {
        void run(int part, int parts);
    }

    /**
     * One published job. Body, part count and number travel together in one immutable object: a worker
     * that is not needed for job N may wake only after job N+1 is out, and must then see N+1's parts
     * with N+1's number, never a mix (which would run a part twice and release the caller early).
     */
    private record Job(long number, PartBody body, int parts) {}

    private final int threads;
    private final Worker[] workers;
    /** Replaced to publish a job; workers run the job whose number they have not yet seen. */
    private volatile Job job = new Job(0, null, 0);
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Throwable failure;
    private volatile boolean closed;
    private boolean running;

    Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int t = 1; t < threads; t++) {
            Worker w = new Worker(t);
            workers[t - 1] = w;
            w.setDaemon(true);
            w.start();
        }
    }

    int threads() {
        return threads;
    }

    /**
     * Runs {@code body.run(part, parts)} for part in [0, parts), parts ≤ threads, each part on its own
     * thread. Falls back to running the parts in order on the caller when nested or when parts is 1.
     */
    void forEachPart(int parts, PartBody body) {
        if (parts > threads) throw new IllegalArgumentException(parts + " parts for " + threads + " threads");
        if (parts <= 1 || running || closed) {
            for (int p = 0; p < parts; p++) body.run(p, parts);
            return;
        }
        running = true;
        try {
            failure = null;
            pending.set(parts - 1);
            job = new Job(job.number() + 1, body, parts);   // the volatile write that publishes it
            for (int t = 1; t < parts; t++) workers[t - 1].wake();
            Throwable mine = null;
            try {
                body.run(0, parts);
            } catch (Throwable e) {
                mine = e;
            }
            awaitWorkers();
            Throwable theirs = failure;
            if (mine != null) throwUnchecked(mine);
            if (theirs != null) throwUnchecked(theirs);
        } finally {
            running = false;
        }
    }

    /** Runs body over [0, n) in at most {@code threads} chunks, each a multiple of {@code align} (except the last). */
    void forRange(int n, int align, boolean worthIt, RangeBody body) {
        int chunks = Math.min(threads, (n + align - 1) / align);
        if (!worthIt || chunks <= 1) {
            body.run(0, n);
            return;
        }
        int per = ((n + chunks - 1) / chunks + align - 1) / align * align;
        int parts = (n + per - 1) / per;
        forEachPart(parts, (part, ps) -> body.run(part * per, Math.min(n, part * per + per)));
    }

    private void awaitWorkers() {
        int spins = 0;
        while (pending.get() != 0) {
            // after ~50 us of spinning a worker has probably lost its core (a busy machine): give ours up
            if (++spins < 1 << 14) Thread.onSpinWait();
            else Thread.yield();
        }
    }

    private static void throwUnchecked(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new RuntimeException(t);
    }

    private final class Worker extends Thread {
        private final int part;
        private volatile boolean parked;
        private long seen;

        Worker(int part) {
            super("jgrad-cpu-" + part);
            this.part = part;
        }

        void wake() {
            if (parked) LockSupport.unpark(this);
        }

        @Override
        public void run() {
            while (!closed) {
                Job j = awaitJob();
                if (j == null) return;
                seen = j.number();
                if (part < j.parts()) {
                    try {
                        j.body().run(part, j.parts());
                    } catch (Throwable e) {
                        failure = e;
                    }
                    pending.decrementAndGet();
                }
            }
        }

        /** The next job, or null when the team is closed. */
        private Job awaitJob() {
            long start = System.nanoTime();
            int spins = 0;
            while (true) {
                Job j = job;
                if (j.number() != seen) return j;
                if (closed) return null;
                if ((++spins & 255) != 0 || System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (job.number() == seen && !closed) LockSupport.park(this);
                parked = false;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) LockSupport.unpark(w);
    }
}
