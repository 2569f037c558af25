package dev.jgrad.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/** A persistent pool of worker threads that splits an index range into one chunk per thread. */
final class Parallel implements AutoCloseable {
    /** Work below this many "units" (roughly flops or elements) runs on the calling thread. */
    private final int threads;
    private final ForkJoinPool pool;

    interface RangeBody {
        void run(int from, int to);
    }

    Parallel(int threads) {
        this.threads = threads;
        this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
    }

    int threads() {
        return threads;
    }

    /** Runs body over [0, n) in at most {@code threads} chunks, each a multiple of {@code align} (except the last). */
    void forRange(int n, int align, boolean worthIt, RangeBody body) {
        int chunks = Math.min(threads, (n + align - 1) / align);
        if (pool == null || !worthIt || chunks <= 1) {
            body.run(0, n);
            return;
        }
        int per = ((n + chunks - 1) / chunks + align - 1) / align * align;
        pool.invoke(new Split(body, 0, n, per));
    }

    private static final class Split extends RecursiveAction {
        private final RangeBody body;
        private final int from;
        private final int to;
        private final int per;

        Split(RangeBody body, int from, int to, int per) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.per = per;
        }

        @Override
        protected void compute() {
            if (to - from <= per) {
                body.run(from, to);
                return;
            }
            int mid = from + ((to - from) / per / 2 + ((to - from) / per) % 2) * per;
            if (mid <= from || mid >= to) mid = from + per;
            invokeAll(new Split(body, from, mid, per), new Split(body, mid, to, per));
        }
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
