package dev.jgrad.io;

import dev.jgrad.data.DataFormatException;

import java.lang.management.ManagementFactory;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs mutated inputs through a reader and tallies how each ended: loaded, or rejected with a
 * {@link DataFormatException} (by the problem its message names). Anything else fails the test with the
 * input that caused it, as do a message of more than one line, an input that took too long, and one whose
 * reading allocated more than {@code allocationPerInputByte} bytes per input byte (plus a fixed allowance
 * for buffers and parser state).
 */
final class FuzzOutcomes {
    /** A reader under test; returns how many floats it produced. */
    @FunctionalInterface
    interface Reader {
        long read(byte[] input) throws Exception;
    }

    private static final long FIXED_ALLOWANCE = 4L << 20;
    private static final long SLOW_NANOS = 2_000_000_000L;

    private final String name;
    private final long allocationPerInputByte;
    private final double valuesPerInputByte;
    private final Map<String, Integer> rejected = new TreeMap<>();
    private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private int inputs;
    private int loaded;
    private long slowestNanos;
    private long totalNanos;
    private long mostAllocated;

    /**
     * @param allocationPerInputByte bytes a reader may allocate per input byte (beyond a fixed allowance)
     * @param valuesPerInputByte     values a loaded input may hold per input byte (compressed input holds more)
     */
    FuzzOutcomes(String name, long allocationPerInputByte, double valuesPerInputByte) {
        this.name = name;
        this.allocationPerInputByte = allocationPerInputByte;
        this.valuesPerInputByte = valuesPerInputByte;
        assertTrue(threads.isThreadAllocatedMemorySupported(), "the JVM must report per-thread allocation");
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    void run(String how, byte[] input, Reader reader) {
        inputs++;
        long tid = Thread.currentThread().threadId();
        long allocatedBefore = threads.getThreadAllocatedBytes(tid);
        long start = System.nanoTime();
        try {
            long floats = reader.read(input);
            loaded++;
            assertTrue(floats <= input.length * valuesPerInputByte, how + ": " + floats + " values out of " + input.length + " bytes");
        } catch (DataFormatException e) {
            String m = e.getMessage();
            assertFalse(m == null || m.isBlank() || m.contains("\n"), how + ": message must be one line: " + m);
            rejected.merge(category(m), 1, Integer::sum);
        } catch (Throwable t) {
            fail(name + " fuzz: " + how + " ended in " + t + "; input (base64): " + Base64.getEncoder().encodeToString(input), t);
        }
        long nanos = System.nanoTime() - start;
        long allocated = threads.getThreadAllocatedBytes(tid) - allocatedBefore;
        slowestNanos = Math.max(slowestNanos, nanos);
        totalNanos += nanos;
        mostAllocated = Math.max(mostAllocated, allocated - (long) input.length * allocationPerInputByte);
        if (nanos > SLOW_NANOS) fail(name + " fuzz: " + how + " took " + nanos / 1e6 + " ms on " + input.length + " bytes");
        if (allocated > FIXED_ALLOWANCE + (long) input.length * allocationPerInputByte) {
            fail(name + " fuzz: " + how + " allocated " + allocated + " bytes for an input of " + input.length + " bytes; input (base64): "
                    + Base64.getEncoder().encodeToString(input));
        }
    }

    /** The message with numbers and quoted names blanked, so messages group by problem. */
    private static String category(String message) {
        String m = message.substring(message.indexOf(": ") + 2);
        for (String end : new String[] {": ", " ("}) if (m.indexOf(end) > 0) m = m.substring(0, m.indexOf(end));
        m = m.replaceAll("0x[0-9a-fA-F]+", "H").replaceAll("\"[^\"]*\"", "\"_\"").replaceAll("dtype \\S+", "dtype X").replaceAll("-?\\d+", "N");
        return m.length() > 70 ? m.substring(0, 70) : m;
    }

    int inputs() {
        return inputs;
    }

    int loaded() {
        return loaded;
    }

    int rejectedCount() {
        return rejected.values().stream().mapToInt(Integer::intValue).sum();
    }

    String summary() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%s fuzz: %d inputs: %d loaded, %d rejected with DataFormatException, 0 other outcomes; "
                        + "%.1f s in all, slowest %.1f ms; most allocated beyond %d B per input byte: %d B%n",
                name, inputs, loaded, rejectedCount(), totalNanos / 1e9, slowestNanos / 1e6, allocationPerInputByte, mostAllocated));
        rejected.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> b.append(String.format("  %6d  %s%n", e.getValue(), e.getKey())));
        return b.toString();
    }
}
