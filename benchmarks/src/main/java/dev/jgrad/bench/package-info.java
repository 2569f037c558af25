/**
 * Internal (the benchmark harness). The device-comparison harness behind {@code jgrad bench}. Not a library API.
 */
package dev.jgrad.bench;
