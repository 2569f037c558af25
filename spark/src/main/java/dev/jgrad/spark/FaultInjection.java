package dev.jgrad.spark;

import java.io.Serializable;

/**
 * A fault for tests of recovery: the executor running rank {@code rank} halts (the JVM dies at once, as when
 * its machine fails) just before global step {@code step}, in the first attempt of that segment only, so
 * Spark's re-run then succeeds. Not a user option: it is set only through a package-private method.
 *
 * @param rank the worker whose JVM dies
 * @param step the step (counted from the start of training) before which it dies
 */
record FaultInjection(int rank, long step) implements Serializable {
    private static final long serialVersionUID = 1L;
}
