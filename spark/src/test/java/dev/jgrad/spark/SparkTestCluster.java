package dev.jgrad.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real multi-JVM Spark for every test in this JVM: {@code local-cluster[2,1,1024]}, a master and two
 * workers inside this JVM, each launching one executor JVM with one core. Executors are started from this
 * JVM's class path (Maven's test class path, surefire passes it plainly), with the launcher pointed at an
 * empty {@code $SPARK_HOME/jars} (surefire sets SPARK_HOME to target/spark-home). Starting it takes 20-45 s
 * on a 2-core machine, so it is made once, on first use, and stopped when the JVM exits.
 */
final class SparkTestCluster {
    /** The executors: a barrier stage of this many tasks runs on all of them at once. */
    static final int EXECUTORS = 2;
    private static JavaSparkContext context;

    private SparkTestCluster() {}

    static synchronized JavaSparkContext context() {
        if (context == null) context = start();
        return context;
    }

    private static JavaSparkContext start() {
        String home = System.getenv("SPARK_HOME");
        if (home == null) throw new IllegalStateException("SPARK_HOME is not set: run the spark tests through Maven (spark/pom.xml sets it)");
        try {
            Files.createDirectories(Path.of(home, "jars"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long t0 = System.nanoTime();
        SparkConf conf = new SparkConf()
                .setMaster("local-cluster[" + EXECUTORS + ",1,1024]")
                .setAppName("jgrad-spark-tests")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.executor.memory", "512m")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss4m")
                .setExecutorEnv("SPARK_SCALA_VERSION", "2.13")
                .setExecutorEnv("JGRAD_DEVICE", "cpu")
                // A barrier stage needs every executor registered, else it waits in 15 s retries: the context
                // waits for the ratio of spark.cores.max (without which the standalone ratio is of 0 cores).
                .set("spark.cores.max", Integer.toString(EXECUTORS))
                .set("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                .set("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s")
                .set("spark.sql.shuffle.partitions", "2")
                .set("spark.default.parallelism", "2");
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        System.err.printf("spark test cluster: %d executors up in %.1f s%n", EXECUTORS, (System.nanoTime() - t0) / 1e9);
        Runtime.getRuntime().addShutdownHook(new Thread(sc::stop, "stop-spark-test-cluster"));
        return sc;
    }
}
