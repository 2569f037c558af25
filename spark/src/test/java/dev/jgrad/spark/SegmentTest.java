package dev.jgrad.spark;

import dev.jgrad.train.Slices;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a segment's positions map onto steps, rows of the training stream and workers; no Spark needed. */
class SegmentTest {

    @Test
    void eachPositionGoesToTheWorkerWhoseSliceHoldsIt() {
        for (int workers = 1; workers <= 5; workers++) {
            for (int batch : new int[]{1, 3, 7, 50}) {
                int n = 137;
                Segment seg = new Segment(n, batch, workers, 2, 2 * batch, n, 10);
                for (int i = 0; i < seg.steps(); i++) {
                    int rows = seg.batchRows(i);
                    for (int k = 0; k < workers; k++) {
                        for (int o = Slices.start(rows, workers, k); o < Slices.start(rows, workers, k + 1); o++) {
                            assertEquals(k, seg.workerOf(seg.batchStart(i) + o), "workers " + workers + ", batch " + batch + ", step " + i + ", row " + o);
                        }
                    }
                }
            }
        }
    }

    @Test
    void stepsCoverTheSegmentWithTheEpochsShortLastBatch() {
        Segment seg = new Segment(1437, 50, 2, 3, 700, 1437, 29 * 2 + 14);
        assertEquals(15, seg.steps());
        assertEquals(1400, seg.batchStart(14));
        assertEquals(37, seg.batchRows(14));
        assertEquals(2L * 1437 + 700, seg.streamRow(700));
        assertEquals(true, seg.contains(700));
        assertEquals(false, seg.contains(699));
    }
}
