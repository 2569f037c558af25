package dev.jgrad.cli;

import dev.jgrad.data.Dataset;
import dev.jgrad.data.Targets;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.io.Checkpoint;
import dev.jgrad.spark.OptimizerFactory;
import dev.jgrad.spark.SegmentReport;
import dev.jgrad.spark.SparkTrainer;
import dev.jgrad.spark.SparkTrainingResult;
import dev.jgrad.train.Evaluation;
import dev.jgrad.train.Task;
import dev.jgrad.train.Trainer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code jgrad train --spark MASTER}: the run {@link TrainCommand} prepared, trained by {@link SparkTrainer} on
 * the cluster instead of by {@link Trainer} here. This JVM is Spark's driver: it holds the model between
 * segments, checkpoints it and evaluates the result. Spark's classes come from the launcher, which adds
 * {@code SPARK_HOME}'s jars to the class path only for this command, so nothing else in the CLI needs Spark.
 */
final class SparkTraining {
    private final TrainCommand cmd;
    private final SparkOptions options;
    /** Whether the workers' devices were printed: with the first segment of this run, resumed or not. */
    private boolean devicesShown;

    SparkTraining(TrainCommand cmd, SparkOptions options) {
        this.cmd = cmd;
        this.options = options;
    }

    /** The single-machine flags that SparkTrainer has no counterpart for are errors, before any work starts. */
    static void validate(TrainCommand cmd) {
        List<String> unsupported = new ArrayList<>();
        if (!cmd.schedule.strip().equals("constant")) unsupported.add("--schedule");
        if (cmd.clipNorm != null) unsupported.add("--clip-norm");
        if (cmd.clipValue != null) unsupported.add("--clip-value");
        if (cmd.l1 != 0) unsupported.add("--l1");
        if (cmd.l2 != 0) unsupported.add("--l2");
        if (cmd.patience != null) unsupported.add("--early-stopping");
        if (cmd.validationSplit != null) unsupported.add("--validation-split");
        if (cmd.report != null) unsupported.add("--report");
        if (cmd.chart != null) unsupported.add("--chart");
        if (cmd.datasetOnDevice) unsupported.add("--dataset-on-device");
        if (cmd.deviceOptions.tf32) unsupported.add("--tf32");
        if (cmd.persistence.init != null) unsupported.add("--init");
        if (cmd.persistence.checkpointEvery != null) unsupported.add("--checkpoint-every (use --segment-steps)");
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", unsupported) + (unsupported.size() == 1 ? " is" : " are")
                    + " not supported with --spark yet; leave " + (unsupported.size() == 1 ? "it" : "them") + " out");
        }
        if (cmd.accumulate != 1 && cmd.accumulate != cmd.spark.workers) {
            throw new IllegalArgumentException("--accumulate with --spark: each of the --workers " + cmd.spark.workers
                    + " computes one slice of every batch; leave --accumulate out");
        }
        if (cmd.spark.workers > cmd.batch) {
            throw new IllegalArgumentException("--workers " + cmd.spark.workers + " is more than the batch (" + cmd.batch + "): every worker needs rows of every batch");
        }
        // The run is recorded as what it computes: each batch in --workers slices, so that a checkpoint
        // continues on one machine with --accumulate, bit for bit.
        cmd.accumulate = cmd.spark.workers;
    }

    Integer train(TrainCommand.Run run, Checkpoint resumed) throws Exception {
        Task kind = run.kind();
        if (!run.setup().lossFunction().name().equals(kind.defaultLoss().name())) {
            throw new Errors.UserInputException("--loss " + run.setup().lossFunction().name() + " is not supported with --spark yet: it trains with the task's "
                    + kind.defaultLoss().name() + "; leave --loss out");
        }
        Dataset train = run.normalization().apply(run.fitting().train());
        if (kind == Task.AUTOENCODE && train.targets().width() > 0) train = train.withTargets(new Targets.None());
        System.out.printf(Locale.ROOT, "data: %s, %d train / %d test examples, %d features%n", cmd.data, train.size(), run.split().test().size(),
                train.featureCount());
        System.out.printf(Locale.ROOT, "model: %s; task %s; optimizer %s lr %s; global batch %d on %d workers (%s); seed %d%n",
                run.card().architecture(), kind.label(), cmd.optimizer, cmd.learningRate(), cmd.batch, options.workers, options.master, cmd.seed);
        SparkTrainer trainer = new SparkTrainer(run.card(), OptimizerFactory.of(cmd.optimizerSpec()))
                .workers(options.workers).batchSize(cmd.batch).epochs(cmd.epochs).seed(cmd.seed).stepsPerSegment(options.segmentSteps)
                .workerDevice(cmd.deviceOptions.device == null || cmd.deviceOptions.device.isBlank() ? null : cmd.deviceOptions.device)
                .checkpointDir(cmd.persistence.checkpointDir).resume(resumed != null)
                .onSegment(this::print);
        long t0 = System.nanoTime();
        try (JavaSparkContext sc = new JavaSparkContext(conf());
             SparkTrainingResult result = trainer.fit(sc, train)) {
            System.out.printf(Locale.ROOT, "trained in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            if (run.split().test().size() > 0) {
                Evaluation test = Trainer.evaluate(result.model(), result.device(), run.split().test(), kind, run.setup().lossFunction(), run.normalization());
                System.out.println("test: " + ProgressDisplay.summary(test.metrics(), kind));
            }
            cmd.persistence.save(result.model(), run.card());
        }
        return 0;
    }

    private void print(SegmentReport r) {
        if (!devicesShown) {
            devicesShown = true;
            for (int k = 0; k < r.workerDevices().size(); k++) System.out.println("worker " + k + ": " + r.workerDevices().get(k));
        }
        int samples = r.endSample() - r.firstSample();
        System.out.printf(Locale.ROOT, "epoch %d, steps %d-%d: loss %.4f, %,.0f samples/s, %.1f s (workers: %.1f s in steps, of which %.1f s summing gradients)%n",
                r.epoch(), r.firstStep() + 1, r.firstStep() + r.steps(), r.meanLoss(), samples / r.seconds(), r.seconds(), r.stepSeconds(), r.syncSeconds());
    }

    /**
     * The Spark configuration of the run: spark.* system properties first (so {@code -Dspark.executor.memory=4g} in
     * JGRAD_JAVA_OPTS works), then what jgrad needs: its jars shipped to the executors, the JVM flags the
     * CPU backend needs there, one core per executor, and the barrier stage's wait for every executor.
     */
    private SparkConf conf() {
        SparkConf conf = new SparkConf().setMaster(options.master).setAppName("jgrad train")
                .setIfMissing("spark.jars", String.join(",", shippedJars()))
                .setIfMissing("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED")
                .setIfMissing("spark.executor.cores", "1")
                .setIfMissing("spark.cores.max", Integer.toString(options.workers))
                .setIfMissing("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                .setIfMissing("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s")
                .setIfMissing("spark.ui.showConsoleProgress", "false")
                .setExecutorEnv("SPARK_SCALA_VERSION", "2.13");
        if (cmd.deviceOptions.threads != null) {
            conf.setExecutorEnv(DeviceConfig.THREADS_PROPERTY.toUpperCase(Locale.ROOT).replace('.', '_'), cmd.deviceOptions.threads.toString());
        }
        String host = options.master.replaceFirst("^spark://", "").replaceFirst(":.*$", "");
        if (host.equals("127.0.0.1") || host.equals("localhost") || options.master.startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        return conf;
    }

    /** The jars of this class path that are not Spark's: jgrad and what it needs, which the executors do not have. */
    private static List<String> shippedJars() {
        String sparkHome = System.getenv("SPARK_HOME");
        Path sparkJars = sparkHome == null ? null : Path.of(sparkHome, "jars").toAbsolutePath().normalize();
        List<String> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.endsWith(".jar")) continue;
            Path p = Path.of(entry).toAbsolutePath().normalize();
            if (sparkJars != null && p.startsWith(sparkJars)) continue;
            jars.add(p.toString());
        }
        return jars;
    }
}
