package dev.jgrad.spark;

import org.apache.spark.BarrierTaskContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the trainer relies on from Spark, on a real multi-JVM cluster. */
class BarrierStagesTest {

    @Test
    void barrierTasksLearnEachOthersAddressesInOneAllGather() {
        JavaSparkContext sc = SparkTestCluster.context();
        int n = SparkTestCluster.EXECUTORS;
        JavaRDD<Integer> parts = sc.parallelize(List.of(0, 1), n);
        List<String> seen = BarrierStages.retryable(BarrierStages.mapPartitions(parts, it -> {
            BarrierTaskContext ctx = BarrierTaskContext.get();
            String me = ctx.partitionId() + "@" + java.net.InetAddress.getLoopbackAddress().getHostAddress() + ":" + (40000 + ctx.partitionId())
                    + "/pid" + ProcessHandle.current().pid();
            String[] all = ctx.allGather(me);
            return List.of(ctx.partitionId() + " saw " + String.join(",", all)).iterator();
        }, String.class));
        assertEquals(n, seen.size());
        String first = seen.getFirst().substring(seen.getFirst().indexOf(" saw "));
        for (String s : seen) assertEquals(first, s.substring(s.indexOf(" saw ")), "every task gathers the same list: " + seen);
        assertTrue(first.contains("0@127.0.0.1:40000") && first.contains("1@127.0.0.1:40001"), first);
        List<String> pids = List.of(first.split(",")).stream().map(s -> s.substring(s.indexOf("/pid"))).distinct().toList();
        assertEquals(n, pids.size(), "the tasks ran in " + n + " different executor JVMs: " + first);
    }

    @Test
    void aBarrierStageWhoseExecutorDiesIsRunAgainAndTheJobFinishes() {
        JavaSparkContext sc = SparkTestCluster.context();
        JavaRDD<Integer> parts = sc.parallelize(List.of(0, 1), SparkTestCluster.EXECUTORS);
        List<String> out = BarrierStages.retryable(BarrierStages.mapPartitions(parts, it -> {
            TaskContext ctx = TaskContext.get();
            BarrierTaskContext.get().barrier();
            if (ctx.partitionId() == 1 && ctx.stageAttemptNumber() == 0) Runtime.getRuntime().halt(1);
            return List.of(ctx.partitionId() + ":" + ctx.stageAttemptNumber()).iterator();
        }, String.class));
        List<String> sorted = out.stream().sorted(Comparator.naturalOrder()).toList();
        assertEquals(2, sorted.size(), out.toString());
        assertTrue(sorted.get(0).startsWith("0:") && sorted.get(1).startsWith("1:"), out.toString());
        for (String s : sorted) assertTrue(Integer.parseInt(s.substring(2)) >= 1, "the output comes from a re-run of the stage: " + out);
    }
}
