package dev.jgrad.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import scala.Function1;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.io.Serializable;
import java.util.Iterator;

/**
 * Spark's barrier mode from Java: Spark starts all of a barrier stage's tasks together or none, and when one
 * fails it fails the others and re-runs them all, which is what a collective between the tasks needs. Spark
 * re-runs a failed barrier stage only when it is a shuffle-map stage (a failed barrier result stage fails the
 * job), so {@link #retryable} ends the stage with a shuffle.
 */
final class BarrierStages {
    private BarrierStages() {}

    /**
     * Runs {@code body} on every partition of {@code rdd} as one barrier stage.
     *
     * @param rdd  the partitions, one barrier task each; the cluster must have a free slot for every one
     * @param body what each task does with its partition's elements
     * @param type the class of the elements {@code body} returns
     */
    static <T, S> JavaRDD<S> mapPartitions(JavaRDD<T> rdd, FlatMapFunction<Iterator<T>, S> body, Class<S> type) {
        ClassTag<S> tag = ClassTag$.MODULE$.apply(type);
        Function1<scala.collection.Iterator<T>, scala.collection.Iterator<S>> f =
                (Function1<scala.collection.Iterator<T>, scala.collection.Iterator<S>> & Serializable) in -> {
                    try {
                        return CollectionConverters.asScala(body.call(CollectionConverters.asJava(in)));
                    } catch (RuntimeException | Error e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                };
        return JavaRDD.fromRDD(rdd.rdd().barrier().mapPartitions(f, false, tag), tag);
    }

    /**
     * The elements of a barrier stage's output after one shuffle into a single partition, so that the barrier
     * stage is a shuffle-map stage, which Spark retries when a task (or its executor) fails.
     *
     * @param barrierOutput what a barrier stage returns
     * @return the same elements, collected through a shuffle
     */
    static <S> java.util.List<S> retryable(JavaRDD<S> barrierOutput) {
        return barrierOutput.repartition(1).collect();
    }
}
