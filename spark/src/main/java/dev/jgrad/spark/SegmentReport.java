package dev.jgrad.spark;

import java.util.List;

/**
 * One segment of a {@link SparkTrainer} run: one barrier stage of Spark, its steps trained on every worker.
 *
 * @param epoch          the epoch, 1-based
 * @param firstSample    where in the epoch's order the segment started
 * @param endSample      where it ended
 * @param firstStep      the optimizer steps before it
 * @param steps          the optimizer steps it took
 * @param meanLoss       the mean training loss over its examples (each replica's slices, summed in rank order)
 * @param seconds        wall time on the driver, from broadcasting the state to having the result
 * @param stepSeconds    the slowest worker's time in its steps
 * @param syncSeconds    of which, the slowest worker's time in the gradient sum
 * @param workerDevices  each worker's device and executor, by rank ({@code "cpu on host/pid 123"})
 * @param runs           how many times Spark ran the segment's stage: 1, or more when a task or executor failed
 *                       and the segment was re-run from its start (the result is the same)
 */
public record SegmentReport(int epoch, int firstSample, int endSample, long firstStep, int steps, double meanLoss, double seconds,
                            double stepSeconds, double syncSeconds, List<String> workerDevices, int runs) {
    /** Copies the device list. */
    public SegmentReport {
        workerDevices = List.copyOf(workerDevices);
    }
}
