package dev.jgrad.bench;

/**
 * One figure for one device: timed statistics when the device's output matched the CPU reference, else the
 * reason it was not timed.
 *
 * @param stats    the rate (in {@code unit}) over the repeats; null unless {@link Status#OK}
 * @param maxError the check's largest error against the reference, NaN if the check did not run
 * @param reason   why the figure is missing; null when OK
 */
public record BenchResult(String device, Suite suite, String caseName, String detail, Status status, Stats stats,
                          double maxError, double tolerance, String reason) {

    public enum Status {
        /** Checked, then timed. */
        OK,
        /** Computed a wrong result: not timed. */
        FAILED,
        /** Threw (a kernel the backend lacks, out of memory, ...): not timed. */
        ERROR
    }

    public String unit() {
        return suite.unit();
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
