package dev.jgrad.bench;

import dev.jgrad.device.Device;

/**
 * One figure of a suite: a kernel (or a training step) on fixed shapes. The runner checks its output on the
 * device against the same case on the CPU reference before it times anything.
 */
public interface BenchCase {

    Suite suite();

    /** Short and unique within the suite; the table's and the chart's label. */
    String name();

    /** What exactly runs, for the JSON report: shapes, transposes, bytes counted. */
    String detail();

    /** The work one operation does, in the numerator of the suite's unit: GFLOP, GB or samples. */
    double workPerOp();

    /** The largest accepted |device - reference| / (1 + |reference|) over the checked output. */
    double tolerance();

    /**
     * Allocates and fills the inputs on {@code device}. With {@code rotate}, several input sets are made
     * where one would stay in a cache and flatter the figure; the first set is always the same for a given
     * seed, so the reference computes the same numbers.
     */
    PreparedCase prepare(Device device, boolean rotate);
}
