package dev.jgrad.spark;

import dev.jgrad.data.Dataset;
import dev.jgrad.train.Slices;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A data set held by the driver, as an RDD of examples whose partitions are broadcast blocks. A plain
 * {@code parallelize} of the examples keeps them inside its partitions, so every task that reads the RDD
 * (every segment's job, even over a cached RDD) would carry its whole partition from the driver again; here a
 * task carries a partition number, and each executor fetches the blocks of its partitions once. A block lost
 * with its executor is fetched again from the driver, so recomputing a partition still works.
 */
final class BroadcastExamples implements FlatMapFunction<Integer, Example>, AutoCloseable {
    private static final long serialVersionUID = 1L;

    /** One partition's rows: features row-major, then targets row-major. */
    record Block(int rows, float[] features, float[] targets) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private final List<Broadcast<Block>> blocks;

    private BroadcastExamples(List<Broadcast<Block>> blocks) {
        this.blocks = blocks;
    }

    /**
     * Broadcasts {@code data} in {@code partitions} blocks of consecutive rows (cut as {@link Slices} cuts a batch).
     *
     * @param sc         the context
     * @param data       the examples, in order
     * @param partitions the number of partitions, at least 1
     * @return the blocks; {@link #close} destroys them once nothing reads the RDD any more
     */
    static BroadcastExamples of(JavaSparkContext sc, Dataset data, int partitions) {
        int n = data.size(), f = data.featureCount(), w = data.targets().width();
        List<Broadcast<Block>> blocks = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            int from = Slices.start(n, partitions, p), rows = Slices.size(n, partitions, p);
            float[] x = new float[rows * f];
            System.arraycopy(data.features(), from * f, x, 0, rows * f);
            float[] y = new float[rows * w];
            if (w > 0) for (int i = 0; i < rows; i++) data.targets().copyTo(from + i, y, i * w);
            blocks.add(sc.broadcast(new Block(rows, x, y)));
        }
        return new BroadcastExamples(blocks);
    }

    /** The examples in their order: partition p holds block p's rows. */
    JavaRDD<Example> rdd(JavaSparkContext sc) {
        return sc.parallelize(IntStream.range(0, blocks.size()).boxed().toList(), blocks.size()).flatMap(this);
    }

    @Override
    public Iterator<Example> call(Integer partition) {
        Block b = blocks.get(partition).value();
        int f = b.features().length / Math.max(1, b.rows()), w = b.targets().length / Math.max(1, b.rows());
        List<Example> out = new ArrayList<>(b.rows());
        for (int i = 0; i < b.rows(); i++) {
            float[] x = new float[f];
            System.arraycopy(b.features(), i * f, x, 0, f);
            float[] y = new float[w];
            System.arraycopy(b.targets(), i * w, y, 0, w);
            out.add(new Example(x, y));
        }
        return out.iterator();
    }

    /** Destroys the broadcast blocks (on the driver and the executors). */
    @Override
    public void close() {
        for (Broadcast<Block> b : blocks) b.destroy();
    }
}
