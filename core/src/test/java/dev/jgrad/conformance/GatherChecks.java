package dev.jgrad.conformance;

import dev.jgrad.device.Device;
import dev.jgrad.testing.KernelRun;
import dev.jgrad.testing.SeededArrays;
import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * {@link dev.jgrad.spi.DeviceKernels#gatherRows} on the device under test and on the CPU reference, both against the rows picked
 * on the host: a gather is a copy, so every bit must match. The source holds values a copy through
 * arithmetic could change (-0, subnormals, infinities, NaN); the index buffer is longer than {@code rows}
 * and holds indices no kernel may read after them (out of range, fractional, NaN); dst starts as a sentinel
 * that must survive past {@code rows} rows.
 */
final class GatherChecks {
    private static final float SENTINEL = -12345.5f;
    private static final float[] AWKWARD = {-0f, Float.MIN_VALUE, -Float.MIN_NORMAL / 3, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN, Float.MAX_VALUE, 1e-40f};
    /** What follows the {@code rows} valid indices in the index buffer. */
    private static final float[] JUNK = {-1f, 1e9f, 0.5f, Float.NaN};

    private final DevicePair pair;

    GatherChecks(DevicePair pair) {
        this.pair = pair;
    }

    /** One case: a source of srcRows x cols and the row indices to gather. */
    private record Case(String name, int srcRows, int cols, int[] indices) {}

    private static List<Case> cases() {
        SeededArrays rnd = new SeededArrays(24);
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("rows = 0 leaves dst alone", 10, 7, new int[0]));
        cases.add(new Case("one row, the source's last", 10, 7, new int[]{9}));
        cases.add(new Case("one row, the source's first, one column", 10, 1, new int[]{0}));
        cases.add(new Case("labels: 1 column, 33 rows with repeats", 100, 1, random(rnd, 33, 100)));
        cases.add(new Case("7 columns (not a multiple of any vector width)", 50, 7, random(rnd, 40, 50)));
        cases.add(new Case("one index repeated 20 times", 9, 13, filled(20, 3)));
        cases.add(new Case("a whole permutation (an epoch's order)", 64, 9, permutation(rnd, 64)));
        cases.add(new Case("more rows than the source has", 5, 31, cycle(17, 5)));
        cases.add(new Case("a batch of 128 rows of 784 (Fashion-MNIST) out of 300", 300, 784, random(rnd, 128, 300)));
        cases.add(new Case("1031 columns (odd, past any work-group)", 40, 1031, random(rnd, 12, 40)));
        cases.add(new Case("16 columns, rows in descending order", 20, 16, descending(20)));
        return cases;
    }

    Stream<DynamicTest> matchesRowsPickedOnTheHost() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) tests.add(dynamicTest(c.name(), () -> check(c)));
        return tests.stream();
    }

    private void check(Case c) {
        SeededArrays rnd = new SeededArrays(c.name().hashCode());
        int rows = c.indices().length;
        float[] src = rnd.uniform(c.srcRows() * c.cols(), -3, 3);
        for (int i = 0; i < src.length; i += 5) src[i] = AWKWARD[(i / 5) % AWKWARD.length];
        float[] idx = new float[rows + JUNK.length];
        for (int r = 0; r < rows; r++) idx[r] = c.indices()[r];
        System.arraycopy(JUNK, 0, idx, rows, JUNK.length);
        int extraRows = 2;
        float[] dst = new float[(rows + extraRows) * c.cols()];
        Arrays.fill(dst, SENTINEL);
        float[] expected = dst.clone();
        for (int r = 0; r < rows; r++) System.arraycopy(src, c.indices()[r] * c.cols(), expected, r * c.cols(), c.cols());

        KernelRun.Call call = (d, b) -> d.gatherRows(b[0], c.cols(), b[1], rows, b[2]);
        DevicePair.Outcome out = pair.run(new float[][]{src, idx, dst}, call);
        sameBits(c.name() + ": CPU reference", expected, out.reference()[2], c.cols());
        sameBits(c.name() + ": device", expected, out.device()[2], c.cols());
        sameBits(c.name() + ": the source was modified", src, out.device()[0], c.cols());
        sameBits(c.name() + ": the indices were modified", idx, out.device()[1], 1);
    }

    /** Bit for bit (so -0 is not 0 and NaN must be NaN), naming the first row and column that differ. */
    private static void sameBits(String what, float[] expected, float[] actual, int cols) {
        assertEquals(expected.length, actual.length, what + ": lengths differ");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(String.format("%s: row %d, column %d is %s (0x%08x), expected %s (0x%08x)", what, i / cols, i % cols,
                        actual[i], Float.floatToRawIntBits(actual[i]), expected[i], Float.floatToRawIntBits(expected[i])));
            }
        }
    }

    private static int[] random(SeededArrays rnd, int rows, int bound) {
        int[] idx = new int[rows];
        for (int r = 0; r < rows; r++) idx[r] = rnd.nextInt(bound);
        return idx;
    }

    private static int[] filled(int rows, int value) {
        int[] idx = new int[rows];
        Arrays.fill(idx, value);
        return idx;
    }

    private static int[] cycle(int rows, int bound) {
        int[] idx = new int[rows];
        for (int r = 0; r < rows; r++) idx[r] = r % bound;
        return idx;
    }

    private static int[] descending(int rows) {
        int[] idx = new int[rows];
        for (int r = 0; r < rows; r++) idx[r] = rows - 1 - r;
        return idx;
    }

    private static int[] permutation(SeededArrays rnd, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
