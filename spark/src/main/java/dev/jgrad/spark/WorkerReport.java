package dev.jgrad.spark;

import java.io.Serializable;

/**
 * What one task returns at the end of a segment.
 *
 * @param rank        the task's rank
 * @param device      the id of the device it trained on
 * @param host        the executor's host and process id
 * @param checksum    CRC-32C of the replica's state (weights, optimizer state) after the segment
 * @param lossSum     the summed loss of its slices, rows times mean
 * @param seconds     the wall time of its steps
 * @param syncSeconds of which, waiting for and summing gradients
 * @param state       the state after the segment as checkpoint bytes (rank 0 only; null for the others)
 * @param runs        which run of the segment's stage this was: 1, or more after Spark re-ran it
 */
record WorkerReport(int rank, String device, String host, long checksum, double lossSum, double seconds, double syncSeconds,
                    byte[] state, int runs) implements Serializable {
    private static final long serialVersionUID = 1L;
}
