package dev.jgrad.train;

/**
 * What one epoch did: the mean training loss over its batches, the training loop's throughput
 * (samples per second of forward, backward and update, evaluation excluded), and the held-out results.
 */
public record EpochStats(int epoch, double loss, double trainSamplesPerSec, double testLoss, double testAccuracy,
                         double seconds) {}
