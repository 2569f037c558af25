package dev.jgrad.cli;

import picocli.CommandLine.Option;

/** {@code --spark}, {@code --workers} and {@code --segment-steps}: training data-parallel on a Spark cluster. */
final class SparkOptions {
    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Train data-parallel on Spark: MASTER is the cluster's URL (spark://HOST:PORT; scripts/spark-standalone starts "
                    + "one on this machine), local-cluster[N,1,MB], or local[N]. Same results as one machine computing each batch in "
                    + "--workers slices (--accumulate).")
    String master;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
            description = "With --spark: data-parallel workers, one Spark task each, all running at once (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--segment-steps", paramLabel = "K", defaultValue = "0",
            description = "With --spark: steps per Spark job; a lost executor costs at most one segment, and the driver checkpoints "
                    + "after each (default ${DEFAULT-VALUE}: an epoch).")
    int segmentSteps;

    /** Rejects bad values, and flags that only mean something with --spark, before any work is done. */
    void validate(boolean workersGiven, boolean segmentStepsGiven) {
        if (master == null) {
            if (workersGiven) throw new IllegalArgumentException("--workers only applies with --spark MASTER");
            if (segmentStepsGiven) throw new IllegalArgumentException("--segment-steps only applies with --spark MASTER");
            return;
        }
        if (master.isBlank()) throw new IllegalArgumentException("--spark needs the cluster's master URL, e.g. spark://127.0.0.1:7077");
        if (workers < 1) throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
        if (segmentSteps < 0) throw new IllegalArgumentException("--segment-steps must be 0 (an epoch) or more, got " + segmentSteps);
    }
}
