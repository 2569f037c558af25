/**
 * Synchronous data-parallel training on Apache Spark with the result of one machine: {@link
 * dev.jgrad.spark.SparkTrainer} trains a {@link dev.jgrad.io.ModelCard model card} on a {@code JavaRDD} of
 * {@link dev.jgrad.spark.Example}s, a {@code DataFrame} or a data set read by jgrad's own readers, with {@code N}
 * Spark barrier tasks as workers whose gradients are summed every step over {@link
 * dev.jgrad.spark.exchange.TcpGradientSync}, and returns a {@link dev.jgrad.spark.SparkTrainingResult} on the
 * driver. Spark is a provided dependency: applications bring their own (4.2 on JDK 25).
 */
package dev.jgrad.spark;
