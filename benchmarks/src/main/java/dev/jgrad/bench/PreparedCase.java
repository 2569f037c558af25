package dev.jgrad.bench;

/** A {@link BenchCase} with its inputs on one device, ready to run. Closing frees them. */
public interface PreparedCase extends AutoCloseable {

    /** Runs the operation once on the first input set and returns the output to compare with the reference. */
    float[] checkedOutput();

    /** Enqueues one operation; {@code iteration} picks the input set, so consecutive runs rotate among them. */
    void run(int iteration);

    @Override
    void close();
}
