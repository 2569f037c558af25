package dev.jgrad.spark;

import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Sends each example of the segment to the worker whose slice it falls in, keyed by the worker's rank: the
 * shuffle that follows delivers partition {@code k} to barrier task {@code k}.
 */
final class Router implements PairFlatMapFunction<Tuple2<Example, Long>, Integer, Routed> {
    private static final long serialVersionUID = 1L;

    private final Segment segment;
    /** For each example index, its position in the epoch's order. */
    private final Broadcast<int[]> positions;
    private final int features;
    private final int targetWidth;
    private final int classes;

    /**
     * @param classes the class count when targets are class indices (checked), else 0
     */
    Router(Segment segment, Broadcast<int[]> positions, int features, int targetWidth, int classes) {
        this.segment = segment;
        this.positions = positions;
        this.features = features;
        this.targetWidth = targetWidth;
        this.classes = classes;
    }

    @Override
    public Iterator<Tuple2<Integer, Routed>> call(Tuple2<Example, Long> indexed) {
        int p = positions.value()[Math.toIntExact(indexed._2())];
        if (!segment.contains(p)) return Collections.emptyIterator();
        check(indexed._1(), indexed._2());
        return List.of(new Tuple2<>(segment.workerOf(p), new Routed(p, indexed._1()))).iterator();
    }

    private void check(Example e, long index) {
        if (e.features().length != features) {
            throw new IllegalArgumentException("example " + index + " has " + e.features().length + " features but the model card takes " + features);
        }
        if (e.target().length != targetWidth) {
            throw new IllegalArgumentException("example " + index + " has a target of " + e.target().length + " values but the task needs "
                    + targetWidth + (targetWidth == 1 ? " (the class index)" : ""));
        }
        if (classes > 0) {
            float label = e.target()[0];
            if (label != (int) label || label < 0 || label >= classes) {
                throw new IllegalArgumentException("example " + index + " has label " + label + ", not a class index in [0, " + classes + ")");
            }
        }
    }
}
