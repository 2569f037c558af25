/**
 * Internal (JMH benchmarks). The JMH benchmarks. Not a library API.
 */
package dev.jgrad.bench.jmh;
