/**
 * Internal (the Spark trainer's gradient exchange). {@link dev.jgrad.spark.exchange.TcpGradientSync} sums the
 * replicas' gradients over direct TCP connections (Netty) in the exact rank order
 * {@link dev.jgrad.train.GradientSync} promises. Public only for the Spark trainer; not a library API, and it
 * may change without notice.
 */
package dev.jgrad.spark.exchange;
