package dev.jgrad.train;

/**
 * Sums gradients across the replicas of a synchronous data-parallel run, so that every replica applies the
 * same update. Each of {@link #workers()} replicas trains on its own slice of every global batch (slice
 * {@link #rank()}, as {@link Slices} cuts it) and calls {@link #sum} once per step with its gradient; the
 * call returns when the array holds the total.
 *
 * <p>Exactness contract: element {@code i} of the total is computed as
 * {@code ((g[0][i] + g[1][i]) + g[2][i]) + ...}, in rank order, in float32, and every replica receives the
 * same bits. That is the order in which {@link Trainer#accumulate} sums the slices of a batch on one machine,
 * so N replicas reproduce an N-slice accumulation run bit for bit.
 */
public interface GradientSync {
    /** {@return this replica's rank, from 0 to {@link #workers()} - 1} */
    int rank();

    /** {@return the number of replicas taking part, 1 or more} */
    int workers();

    /**
     * Replaces {@code grads[0 .. length)} with the sum of every replica's array, in rank order; blocks until
     * every replica has contributed.
     *
     * @param grads  this replica's gradient, all parameters flattened in {@link dev.jgrad.optim.Optimizer#params()}
     *               order; overwritten with the total
     * @param length how many leading elements take part (every replica passes the same value)
     * @throws GradientSyncException when a peer fails or cannot be reached; the step cannot be completed
     */
    void sum(float[] grads, int length);
}
