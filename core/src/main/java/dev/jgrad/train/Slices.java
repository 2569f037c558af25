package dev.jgrad.train;

/**
 * How a batch of {@code rows} examples is cut into {@code parts} contiguous slices, for gradient accumulation
 * ({@link Trainer#accumulate}) and for data-parallel replicas ({@link GradientSync}), so both cut it the same
 * way: slice {@code k} is rows {@code [start(rows, parts, k), start(rows, parts, k + 1))}, and the sizes differ
 * by at most one.
 */
public final class Slices {
    private Slices() {}

    /**
     * The first row of slice {@code part}.
     *
     * @param rows  the batch's rows, 0 or more
     * @param parts the number of slices, 1 or more
     * @param part  the slice, from 0 to {@code parts} (where {@code parts} gives {@code rows}, the end of the last slice)
     * @return {@code floor(rows * part / parts)}
     */
    public static int start(int rows, int parts, int part) {
        return (int) ((long) rows * part / parts);
    }

    /**
     * The number of rows in slice {@code part}.
     *
     * @param rows  the batch's rows
     * @param parts the number of slices
     * @param part  the slice, from 0 to {@code parts - 1}
     * @return {@code start(part + 1) - start(part)}; 0 when the batch has fewer rows than slices
     */
    public static int size(int rows, int parts, int part) {
        return start(rows, parts, part + 1) - start(rows, parts, part);
    }
}
