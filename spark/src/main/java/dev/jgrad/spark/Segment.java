package dev.jgrad.spark;

import dev.jgrad.train.Slices;

import java.io.Serializable;

/**
 * One segment of a run: the consecutive steps of one epoch that one barrier stage trains, the positions
 * {@code [firstSample, endSample)} of the epoch's order ({@code Trainer.epochOrder}), in global batches of
 * {@code batch} rows (the epoch's last one shorter), each cut into {@code workers} slices by {@link Slices}.
 *
 * @param examples    the training set's size, n
 * @param batch       the global batch size
 * @param workers     the replicas, N
 * @param epoch       the epoch, 1-based
 * @param firstSample the position in the epoch's order where the segment starts (a batch boundary)
 * @param endSample   the position where it ends (a batch boundary, or n)
 * @param firstStep   the global step count before the segment
 */
record Segment(int examples, int batch, int workers, int epoch, int firstSample, int endSample, long firstStep) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** {@return the optimizer steps in the segment} */
    int steps() {
        return (endSample - firstSample + batch - 1) / batch;
    }

    /** {@return the first position of step {@code i} of the segment} */
    int batchStart(int i) {
        return firstSample + i * batch;
    }

    /** {@return the rows of the global batch of step {@code i}} */
    int batchRows(int i) {
        return Math.min(batch, examples - batchStart(i));
    }

    /** {@return the row of the training stream where the epoch's position {@code p} sits} */
    long streamRow(int p) {
        return (long) (epoch - 1) * examples + p;
    }

    /** {@return whether the epoch's position {@code p} is trained in this segment} */
    boolean contains(int p) {
        return p >= firstSample && p < endSample;
    }

    /** {@return the worker that trains the epoch's position {@code p} (one of this segment's)} */
    int workerOf(int p) {
        int i = (p - firstSample) / batch;
        int rows = batchRows(i);
        int offset = p - batchStart(i);
        int k = (int) ((long) offset * workers / rows);      // a first guess, then the exact slice
        while (k > 0 && Slices.start(rows, workers, k) > offset) k--;
        while (Slices.start(rows, workers, k + 1) <= offset) k++;
        return k;
    }
}
