package dev.jgrad.spark;

import dev.jgrad.train.GradientSync;

import java.io.IOException;
import java.io.Serializable;

/**
 * How the tasks of a segment set up the gradient exchange between them: each task {@link #listen}s, the
 * tasks learn each other's addresses through one barrier {@code allGather}, then each {@link Endpoint#connect}s.
 * Shipped to the executors with the segment.
 */
interface ExchangeStarter extends Serializable {

    /**
     * Starts listening for this task's peers.
     *
     * @param rank    this task's rank (its barrier partition)
     * @param workers the tasks in the segment
     * @return the endpoint; the caller closes it at the end of the segment
     * @throws IOException when no port can be bound
     */
    Endpoint listen(int rank, int workers) throws IOException;

    /** One task's side of the exchange, listening but not yet connected. */
    interface Endpoint extends AutoCloseable {
        /** {@return where the peers reach this task, as {@code host:port}} */
        String address();

        /**
         * Connects to every peer.
         *
         * @param addresses every task's {@link #address()}, in rank order
         * @return the sync used for every step of the segment, valid until {@link #close()}
         * @throws IOException when a peer cannot be reached
         */
        GradientSync connect(String[] addresses) throws IOException;

        @Override
        void close();
    }
}
