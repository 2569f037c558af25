package dev.jgrad.spark;

import dev.jgrad.device.Device;
import dev.jgrad.device.Devices;
import dev.jgrad.io.Checkpoint;
import dev.jgrad.io.Checkpoints;
import dev.jgrad.io.ModelCard;
import dev.jgrad.nn.BatchNorm;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.spark.exchange.TcpGradientSync;
import dev.jgrad.train.Task;
import dev.jgrad.train.Trainer;
import dev.jgrad.train.TrainingPosition;
import dev.jgrad.train.TrainingStep;
import org.apache.spark.HashPartitioner;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Synchronous data-parallel training on Apache Spark, with the result of one machine: {@code N} workers (Spark
 * barrier tasks, one per executor slot) each take their slice of every global batch, sum their gradients
 * every step over a direct exchange between the tasks, and so apply the identical update. On the CPU backend
 * the weights are bit-identical to one machine's {@link Trainer} with the same global batch, seed and epochs,
 * {@link Trainer#accumulate accumulating} the batch in {@code N} slices; and equal to ordinary training
 * (one slice) up to float rounding. The role of Spark is that of TorchDistributor's: it places the workers,
 * feeds them their rows and restarts them; the gradients never go through it.
 *
 * <pre>{@code
 * ModelCard card = ModelCard.of("mlp:128", new int[]{64}, 10);
 * try (SparkTrainingResult r = new SparkTrainer(card, params -> new Adam(params, 1e-3f))
 *         .workers(2).batchSize(64).epochs(5).seed(1)
 *         .checkpointDir(Path.of("/shared/run1")).resume(true)
 *         .fit(examples)) {                       // a JavaRDD<Example>
 *     r.save(Path.of("model.safetensors"));
 * }
 * }</pre>
 *
 * <p>Training runs as a sequence of <em>segments</em> (an epoch by default, or {@link #stepsPerSegment} steps
 * of one). Each segment is one Spark job: the driver broadcasts the state (weights, optimizer state and
 * counters, dropout counters, position); a shuffle sends each example of the segment to the worker that trains
 * it; one barrier stage of {@code N} tasks opens each worker's device, learns the peers' addresses with one
 * {@code allGather}, trains the segment's steps with {@link TrainingStep} and returns the end state, which
 * every replica must agree on (checked by checksum). A shuffle after the barrier stage makes Spark re-run the
 * whole stage from the broadcast state when a task or its executor fails, so a lost executor costs the
 * segment's work and never changes the result. Between segments the driver writes a jgrad checkpoint to
 * {@link #checkpointDir}, from which a later call {@link #resume resumes} exactly (as single-machine runs do).
 *
 * <p>Data: examples are numbered by {@code zipWithIndex} (the RDD's order), epoch {@code e} visits them in
 * {@link Trainer#epochOrder}{@code (n, seed, e)}, and worker {@code k}'s rows of a global batch are slice
 * {@code k} of it as {@link dev.jgrad.train.Slices} cuts it. The input is persisted for the run and must give
 * the same examples in the same order each time it is computed. Rows are routed by a shuffle rather than
 * read whole on every worker, so no executor needs to hold the data set.
 *
 * <p>Devices: each task opens its device through {@link Devices#open(String, java.util.function.Consumer)}:
 * {@link #workerDevice} when set, else the GPU that Spark's resource scheduling assigned to the task
 * ({@code spark.task.resource.gpu.amount=1} with a GPU discovery script: its address becomes {@code cuda:ADDRESS}),
 * else the executor's {@code jgrad.device} system property or
 * {@code JGRAD_DEVICE} environment variable ({@code spark.executorEnv.JGRAD_DEVICE}), else {@code auto}; the
 * log names each worker's device ({@code worker k: <device>}), and so do the {@link SegmentReport}s.
 *
 * <p>Not supported: models with batch normalisation (its statistics would span workers; refused), learning-rate
 * schedules, gradient clipping, normalization of the data (standardize features before fit), early stopping and
 * per-epoch evaluation (evaluate the returned model).
 */
public final class SparkTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SparkTrainer.class);

    private final ModelCard card;
    private final OptimizerFactory optimizer;
    private int workers = 1;
    private int batchSize = 32;
    private int epochs = 1;
    private long seed = 1;
    private Long initSeed;
    private int stepsPerSegment;
    private Path checkpointDir;
    private boolean resume;
    private String workerDevice;
    private String driverDevice = "cpu";
    private ExchangeStarter exchange = new TcpExchange(TcpGradientSync.DEFAULT_TIMEOUT);
    private FaultInjection fault;
    private java.util.function.Consumer<SegmentReport> segmentListener = r -> {};

    /**
     * A trainer for the network a model card describes, for the card's {@link ModelCard#task() task} with its
     * default loss.
     *
     * @param card      the architecture, input shape, output width and task; normalization in it is not applied
     * @param optimizer makes each replica's optimizer, e.g. {@code params -> new Adam(params, 1e-3f)}
     */
    public SparkTrainer(ModelCard card, OptimizerFactory optimizer) {
        if (card == null) throw new IllegalArgumentException("SparkTrainer needs a model card");
        if (optimizer == null) throw new IllegalArgumentException("SparkTrainer needs an optimizer factory");
        this.card = card;
        this.optimizer = optimizer;
    }

    /**
     * The number of data-parallel workers, as TorchDistributor's {@code num_processes}: one Spark barrier task
     * each, all running at once, so the cluster needs that many free task slots.
     *
     * @param n 1 or more (default 1)
     * @return this trainer
     */
    public SparkTrainer workers(int n) {
        if (n < 1) throw new IllegalArgumentException("workers(" + n + "): at least one worker is needed");
        this.workers = n;
        return this;
    }

    /**
     * The global batch: examples per optimizer step, over all workers together (each trains about
     * {@code size / workers} of them). The same global batch gives the same training whatever the worker count.
     *
     * @param size 1 or more (default 32); the last batch of an epoch may be smaller
     * @return this trainer
     */
    public SparkTrainer batchSize(int size) {
        if (size < 1) throw new IllegalArgumentException("batchSize(" + size + "): the global batch must be at least 1");
        this.batchSize = size;
        return this;
    }

    /**
     * The last epoch to train (1-based); a resumed run trains the epochs left up to it.
     *
     * @param n 1 or more (default 1)
     * @return this trainer
     */
    public SparkTrainer epochs(int n) {
        if (n < 1) throw new IllegalArgumentException("epochs(" + n + "): at least one epoch is needed");
        this.epochs = n;
        return this;
    }

    /**
     * The seed of every epoch's visiting order ({@link Trainer#epochOrder}) and, unless {@link #initSeed} is
     * set, of the initial weights.
     *
     * @param seed any value (default 1)
     * @return this trainer
     */
    public SparkTrainer seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * The seed of the initial weights ({@link Module#to(Device, long)}), when it should differ from {@link #seed}.
     *
     * @param seed any value
     * @return this trainer
     */
    public SparkTrainer initSeed(long seed) {
        this.initSeed = seed;
        return this;
    }

    /**
     * How many optimizer steps one segment (one Spark job, and the unit that is re-run after a failure and
     * checkpointed after) takes at most; segments also end at the end of every epoch.
     *
     * @param steps 1 or more; 0 (the default) for one segment per epoch
     * @return this trainer
     */
    public SparkTrainer stepsPerSegment(int steps) {
        if (steps < 0) throw new IllegalArgumentException("stepsPerSegment(" + steps + "): 0 (an epoch) or more");
        this.stepsPerSegment = steps;
        return this;
    }

    /**
     * Where the driver writes a jgrad checkpoint after every segment ({@link Checkpoints}; the file is replaced
     * atomically), on the driver's file system.
     *
     * @param dir the checkpoint directory, created when missing; null (the default) for none
     * @return this trainer
     */
    public SparkTrainer checkpointDir(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    /**
     * With {@code true}, {@link #fit} continues from the checkpoint in {@link #checkpointDir} when there is
     * one (written by this class or by a single-machine run of the same model and optimizer), and starts
     * afresh when there is none.
     *
     * @param on whether to resume (default false: a fresh run, which replaces the checkpoint)
     * @return this trainer
     */
    public SparkTrainer resume(boolean on) {
        this.resume = on;
        return this;
    }

    /**
     * The device every worker opens, as {@link Devices#open(String)} takes it ({@code auto}, {@code cpu},
     * {@code cuda:0}, ...). An explicit device that an executor cannot open fails the run there.
     *
     * @param spec the device; null (the default) for each executor's own {@code JGRAD_DEVICE}, else {@code auto}
     * @return this trainer
     */
    public SparkTrainer workerDevice(String spec) {
        this.workerDevice = spec;
        return this;
    }

    /**
     * The device that holds the model on the driver between segments and in the result.
     *
     * @param spec as {@link Devices#open(String)} takes it (default {@code cpu})
     * @return this trainer
     */
    public SparkTrainer driverDevice(String spec) {
        this.driverDevice = spec;
        return this;
    }

    /**
     * How long a worker waits for its peers' gradients (or their connection) before it declares the peer failed
     * and the segment is re-run; it must cover the slowest worker's time for one step.
     *
     * @param timeout positive (default {@link TcpGradientSync#DEFAULT_TIMEOUT})
     * @return this trainer
     */
    public SparkTrainer exchangeTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("exchangeTimeout: a positive duration, got " + timeout);
        this.exchange = new TcpExchange(timeout);
        return this;
    }

    /** A fault for recovery tests; see {@link FaultInjection}. */
    /**
     * Calls {@code listener} on the driver after each segment, as soon as its state is back (progress
     * output, custom logging); replaces any earlier listener.
     *
     * @param listener receives each segment's report, in order
     * @return this trainer
     */
    public SparkTrainer onSegment(java.util.function.Consumer<SegmentReport> listener) {
        this.segmentListener = listener == null ? r -> {} : listener;
        return this;
    }

    SparkTrainer injectFault(FaultInjection f) {
        this.fault = f;
        return this;
    }

    /**
     * Trains on a Spark {@code DataFrame}: each row's feature columns (numeric, in the order given) are the input,
     * the target column is the class index (classification) or the value (regression with one output).
     *
     * @param rows           the training set
     * @param featureColumns the input's columns, {@link ModelCard#features()} of them
     * @param targetColumn   the target's column; null for an autoencoder
     * @return the trained model on the driver
     * @throws IllegalArgumentException when a column is missing or the counts do not fit the card
     */
    public SparkTrainingResult fit(org.apache.spark.sql.Dataset<Row> rows, List<String> featureColumns, String targetColumn) {
        if (featureColumns.size() != card.features()) {
            throw new IllegalArgumentException(featureColumns.size() + " feature columns given but the model card takes " + card.features() + " features");
        }
        List<String> names = List.of(rows.columns());
        for (String c : featureColumns) if (!names.contains(c)) throw new IllegalArgumentException("no column '" + c + "' among " + names);
        if (targetColumn != null && !names.contains(targetColumn)) throw new IllegalArgumentException("no target column '" + targetColumn + "' among " + names);
        if (targetColumn == null && card.task() != Task.AUTOENCODE) throw new IllegalArgumentException("task " + card.task().label() + " needs a target column");
        List<org.apache.spark.sql.Column> cols = new ArrayList<>();
        for (String c : featureColumns) cols.add(rows.col(c));
        if (targetColumn != null) cols.add(rows.col(targetColumn));
        int features = featureColumns.size();
        boolean hasTarget = targetColumn != null;
        JavaRDD<Example> examples = rows.select(cols.toArray(org.apache.spark.sql.Column[]::new)).toJavaRDD().map(row -> {
            float[] x = new float[features];
            for (int i = 0; i < features; i++) {
                if (row.isNullAt(i)) throw new IllegalArgumentException("a row has no value in column '" + featureColumns.get(i) + "'");
                x[i] = ((Number) row.get(i)).floatValue();
            }
            if (!hasTarget) return Example.unlabeled(x);
            if (row.isNullAt(features)) throw new IllegalArgumentException("a row has no value in target column '" + targetColumn + "'");
            return new Example(x, new float[]{((Number) row.get(features)).floatValue()});
        });
        return fit(examples);
    }

    /**
     * Trains on a data set read on the driver with jgrad's own readers ({@link dev.jgrad.data.Datasets#load});
     * its examples go to the executors once, as broadcast blocks of consecutive rows (one per partition), not
     * inside every segment's tasks.
     *
     * @param spark the Spark context
     * @param data  the training set, targets of the card's task
     * @return the trained model on the driver
     */
    public SparkTrainingResult fit(JavaSparkContext spark, dev.jgrad.data.Dataset data) {
        try (BroadcastExamples blocks = BroadcastExamples.of(spark, data, Math.max(workers, spark.defaultParallelism()))) {
            return fit(blocks.rdd(spark));
        }
    }

    /**
     * Trains on an RDD of examples and returns the model on the driver.
     *
     * @param examples the training set; numbered in its order, which must be the same every time it is computed
     * @return the trained model, its optimizer, the position reached and the segments' reports
     * @throws IllegalArgumentException when the set is empty, an example does not fit the card, or the model
     *                                  has batch normalisation
     * @throws IllegalStateException    when the replicas end a segment with different weights (a bug, never
     *                                  expected)
     */
    public SparkTrainingResult fit(JavaRDD<Example> examples) {
        try {
            return train(examples);
        } catch (SparkException e) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof IllegalArgumentException bad) throw new IllegalArgumentException(bad.getMessage(), e);
            }
            throw SparkTrainer.<RuntimeException>rethrow(e);
        }
    }

    /** Rethrows a job's SparkException as it is: Spark throws it undeclared, and callers catch it by its type. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E rethrow(Throwable e) throws E {
        throw (E) e;
    }

    private SparkTrainingResult train(JavaRDD<Example> examples) throws SparkException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(examples.context());
        JavaPairRDD<Example, Long> indexed = examples.zipWithIndex().persist(StorageLevel.MEMORY_AND_DISK());
        Device device = Devices.open(driverDevice);
        boolean done = false;
        try {
            long count = indexed.count();
            if (count == 0) throw new IllegalArgumentException("the training set is empty");
            if (count > Integer.MAX_VALUE) throw new IllegalArgumentException("the training set has " + count + " examples; at most " + Integer.MAX_VALUE);
            int n = (int) count;
            Module net = card.build().to(device, initSeed != null ? initSeed : seed);
            refuseBatchNorm(net);
            Optimizer opt = optimizer.create(net.parameters());
            TrainingPosition pos = TrainingPosition.START;
            if (resume && checkpointDir != null && Checkpoints.exists(checkpointDir)) {
                Checkpoint c = Checkpoints.read(checkpointDir);
                c.restore(net, opt);
                pos = c.position();
                LOG.info("resuming from {} at epoch {}, step {}", c.file(), pos.epoch(), pos.step());
            }
            List<SegmentReport> reports = new ArrayList<>();
            Architecture arch = Architecture.of(card);
            Broadcast<int[]> positions = null;
            int positionsEpoch = -1;
            try {
                while (true) {
                    if (pos.samplesDone() >= n) {
                        if (pos.epoch() >= epochs) break;
                        pos = new TrainingPosition(pos.epoch() + 1, 0, pos.step(), 0f);
                    }
                    if (pos.epoch() > epochs) break;
                    int end = stepsPerSegment == 0 ? n : (int) Math.min(n, pos.samplesDone() + (long) stepsPerSegment * batchSize);
                    Segment seg = new Segment(n, batchSize, workers, pos.epoch(), pos.samplesDone(), end, pos.step());
                    if (positionsEpoch != seg.epoch()) {
                        if (positions != null) positions.destroy();
                        positions = sc.broadcast(inverse(Trainer.epochOrder(n, seed, seg.epoch())));
                        positionsEpoch = seg.epoch();
                    }
                    SegmentReport r = runSegment(sc, indexed, seg, positions, arch, net, opt, reports.isEmpty());
                    reports.add(r);
                    segmentListener.accept(r);
                    pos = new TrainingPosition(seg.epoch(), seg.endSample(), seg.firstStep() + seg.steps(),
                            pos.lossSum() + (float) (r.meanLoss() * (seg.endSample() - seg.firstSample())));
                    if (checkpointDir != null) Checkpoints.write(checkpointDir, net, opt, pos, card.toMetadata());
                }
            } finally {
                if (positions != null) positions.destroy();
            }
            done = true;
            return new SparkTrainingResult(net, opt, card, pos, reports, device);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            indexed.unpersist(false);
            if (!done) device.close();
        }
    }

    private SegmentReport runSegment(JavaSparkContext sc, JavaPairRDD<Example, Long> indexed, Segment seg, Broadcast<int[]> positions,
                                     Architecture arch, Module net, Optimizer opt, boolean first) {
        long t0 = System.nanoTime();
        TrainingPosition at = new TrainingPosition(seg.epoch(), seg.firstSample(), seg.firstStep(), 0f);
        Broadcast<byte[]> state = sc.broadcast(StateBytes.encode(net, opt, at));
        try {
            int width = switch (card.task().targets()) {
                case CLASSES -> 1;
                case VALUES -> card.outputs();
                case NONE -> 0;
            };
            int classes = card.task() == Task.CLASSIFY ? card.outputs() : 0;
            JavaRDD<Routed> routed = indexed.flatMapToPair(new Router(seg, positions, card.features(), width, classes))
                    .partitionBy(new HashPartitioner(workers)).values();
            sc.setJobDescription("jgrad: epoch " + seg.epoch() + ", steps " + (seg.firstStep() + 1) + "-" + (seg.firstStep() + seg.steps()));
            List<WorkerReport> out = new ArrayList<>(BarrierStages.retryable(BarrierStages.mapPartitions(routed,
                    new SegmentTask(arch, card.task(), optimizer, workerDevice, seg, state, exchange, fault), WorkerReport.class)));
            out.sort(Comparator.comparingInt(WorkerReport::rank));
            if (out.size() != workers) throw new IllegalStateException("expected " + workers + " worker reports, got " + out.size());
            List<String> devices = new ArrayList<>();
            double lossSum = 0, step = 0, sync = 0;
            for (WorkerReport w : out) {
                if (w.checksum() != out.getFirst().checksum()) {
                    throw new IllegalStateException("the replicas disagree after epoch " + seg.epoch() + " step " + (seg.firstStep() + seg.steps())
                            + ": worker " + w.rank() + "'s state differs from worker 0's");
                }
                devices.add(w.device() + " on " + w.host());
                lossSum += w.lossSum();
                step = Math.max(step, w.seconds());
                sync = Math.max(sync, w.syncSeconds());
                if (w.runs() > 1 && w.rank() == 0) LOG.warn("epoch {}, steps {}-{}: run {} times (a task or executor failed)", seg.epoch(),
                        seg.firstStep() + 1, seg.firstStep() + seg.steps(), w.runs());
                if (first) LOG.info("worker {}: {} on {}", w.rank(), w.device(), w.host());
            }
            Checkpoint c = StateBytes.decode(out.getFirst().state(), "worker 0's state after epoch " + seg.epoch());
            try {
                c.restore(net, opt);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new SegmentReport(seg.epoch(), seg.firstSample(), seg.endSample(), seg.firstStep(), seg.steps(),
                    lossSum / (seg.endSample() - seg.firstSample()), (System.nanoTime() - t0) / 1e9, step, sync, devices, out.getFirst().runs());
        } finally {
            state.destroy();
        }
    }

    private static int[] inverse(int[] order) {
        int[] at = new int[order.length];
        for (int p = 0; p < order.length; p++) at[order[p]] = p;
        return at;
    }

    private static void refuseBatchNorm(Module net) {
        ArrayDeque<Module> todo = new ArrayDeque<>(List.of(net));
        while (!todo.isEmpty()) {
            Module m = todo.pop();
            if (m instanceof BatchNorm) {
                throw new IllegalArgumentException("model " + net.describe() + " has batch normalisation, whose statistics span the whole batch, "
                        + "but SparkTrainer splits every batch across workers: use a model without BatchNorm, or train it on one machine with Trainer");
            }
            todo.addAll(m.children().values());
        }
    }
}
