package dev.jgrad.spark;

import dev.jgrad.cpu.CpuBackend;
import dev.jgrad.data.Dataset;
import dev.jgrad.data.Datasets;
import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.Devices;
import dev.jgrad.io.Checkpoints;
import dev.jgrad.io.ModelCard;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.Adam;
import dev.jgrad.train.Trainer;
import dev.jgrad.train.TrainingListener;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link SparkTrainer} on a real two-executor Spark against one machine's {@link Trainer}: the same global
 * batch, seeds and epochs give the same weights to the last bit as accumulating the batch in two slices, also
 * when an executor dies mid-segment, when the input is a DataFrame and when a run resumes from its checkpoint.
 */
class SparkTrainerTest {
    /** Dropout draws its masks per row of the training stream, so the slicing must not change them. */
    private static final String NET = "dense(32)-relu-dropout(0.25)-dense(10)";
    private static final int BATCH = 50;             // 1,437 digits: 28 full batches and a last one of 37 rows
    private static final int STEPS_PER_EPOCH = 29;
    private static final int STEPS_PER_SEGMENT = 15; // 2 segments an epoch (15 and 14 steps)
    private static final long SEED = 9;
    private static final long INIT_SEED = 17;
    private static final float LR = 0.003f;
    private static final int EPOCHS = 2;
    private static final Dataset DIGITS = load();
    private static final ModelCard CARD = ModelCard.of(NET, new int[]{64}, 10);

    private static Run uninterrupted;

    /** A Spark run's final weights and its segments. */
    record Run(Map<String, float[]> weights, List<SegmentReport> segments) {}

    private static Dataset load() {
        try {
            return Datasets.digits().train();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SparkTrainer trainer(int epochs) {
        return new SparkTrainer(CARD, params -> new Adam(params, LR)).workers(SparkTestCluster.EXECUTORS).batchSize(BATCH).epochs(epochs)
                .seed(SEED).initSeed(INIT_SEED).stepsPerSegment(STEPS_PER_SEGMENT);
    }

    private static Map<String, float[]> oneMachine(int slices, int epochs) {
        try (Device d = Devices.open(new CpuBackend(), 0, DeviceConfig.standard())) {
            Module net = CARD.build().to(d, INIT_SEED);
            new Trainer(net, new Adam(net.parameters(), LR), d, BATCH, SEED).accumulate(slices).fit(DIGITS, null, epochs, new TrainingListener() {});
            return weights(net);
        }
    }

    private static Map<String, float[]> weights(Module m) {
        Map<String, float[]> out = new TreeMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.toArray()));
        return out;
    }

    private static Run fit(SparkTrainer t) {
        long t0 = System.nanoTime();
        try (SparkTrainingResult r = t.fit(SparkTestCluster.context(), DIGITS)) {
            System.err.printf("spark fit: %d segments in %.1f s%n", r.segments().size(), (System.nanoTime() - t0) / 1e9);
            for (SegmentReport s : r.segments()) System.err.println("  " + s);
            return new Run(weights(r.model()), r.segments());
        }
    }

    private static synchronized Run uninterrupted() {
        if (uninterrupted == null) uninterrupted = fit(trainer(EPOCHS));
        return uninterrupted;
    }

    private static void assertSameBits(Map<String, float[]> expected, Map<String, float[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) {
            float[] x = expected.get(k), y = actual.get(k);
            assertEquals(x.length, y.length, k);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), k + "[" + i + "]: " + x[i] + " vs " + y[i]);
            }
        }
    }

    @Test
    void twoWorkersGiveTheBitsOfOneMachineAccumulatingTwoSlices() {
        Run run = uninterrupted();
        Map<String, float[]> spark = run.weights();
        assertSameBits(oneMachine(2, EPOCHS), spark);
        assertEquals(4, run.segments().size(), "two segments an epoch");
        for (SegmentReport s : run.segments()) {
            assertEquals(1, s.runs(), s.toString());
            assertEquals(2, s.workerDevices().size());
            assertTrue(s.workerDevices().getFirst().startsWith("cpu"), s.toString());
        }
        assertTrue(!run.segments().getFirst().workerDevices().getFirst().equals(run.segments().getFirst().workerDevices().get(1)),
                "two executor JVMs: " + run.segments().getFirst().workerDevices());
        Map<String, float[]> whole = oneMachine(1, EPOCHS);
        double worst = 0;
        for (String k : whole.keySet()) {
            float[] x = whole.get(k), y = spark.get(k);
            for (int i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(1e-3, Math.abs(x[i])));
        }
        System.err.printf("spark vs whole-batch training on one machine: largest relative weight difference %.3g%n", worst);
        assertTrue(worst < 1e-3, "within float rounding of whole-batch training: " + worst);
    }

    /**
     * The reference MLP (784-512-256-10, Adam, batch 128) on Fashion-MNIST's first 2,048 training images, one
     * epoch: its 535,818-float gradient crosses the exchange every step (16 steps), and the weights are those of
     * one machine accumulating two slices, to the bit.
     */
    @Test
    void theReferenceMlpOnFashionMnistGivesTheBitsOfOneMachine() throws Exception {
        assumeTrue(java.nio.file.Files.isDirectory(Datasets.FASHION_MNIST_DIR),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        Dataset all = Datasets.load(Datasets.FASHION_MNIST).train();
        int[] first = new int[2048];
        for (int i = 0; i < first.length; i++) first[i] = i;
        Dataset images = all.select(first, 0, first.length, "fashion-mnist, first 2,048");
        ModelCard card = ModelCard.forFeatures("mlp:512,256", "relu", 784, 10);
        Map<String, float[]> oneMachine;
        try (Device d = Devices.open(new CpuBackend(), 0, DeviceConfig.standard())) {
            Module net = card.build().to(d, 3);
            new Trainer(net, new Adam(net.parameters(), 1e-3f), d, 128, 5).accumulate(2).fit(images, null, 1, new TrainingListener() {});
            oneMachine = weights(net);
        }
        SparkTrainer t = new SparkTrainer(card, params -> new Adam(params, 1e-3f)).workers(SparkTestCluster.EXECUTORS)
                .batchSize(128).epochs(1).seed(5).initSeed(3);
        try (SparkTrainingResult r = t.fit(SparkTestCluster.context(), images)) {
            assertEquals(16, r.position().step());
            assertSameBits(oneMachine, weights(r.model()));
            System.err.println("reference MLP on spark: " + r.segments().getFirst());
        }
    }

    @Test
    void anExecutorKilledMidSegmentLeavesTheWeightsUnchanged() {
        Map<String, float[]> expected = uninterrupted().weights();
        Run killed = fit(trainer(EPOCHS).injectFault(new FaultInjection(1, 20)));
        assertSameBits(expected, killed.weights());
        SegmentReport hit = killed.segments().get(1);     // steps 16-29 hold step 21, where worker 1's JVM halted
        assertTrue(hit.firstStep() < 20 && 20 < hit.firstStep() + hit.steps(), hit.toString());
        assertTrue(hit.runs() >= 2, "the segment was re-run: " + hit);
    }

    @Test
    void aDataFrameRunResumedFromItsCheckpointEndsWhereAnUninterruptedOneDoes(@TempDir Path dir) throws Exception {
        JavaSparkContext sc = SparkTestCluster.context();
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        List<StructField> fields = new ArrayList<>();
        List<String> features = new ArrayList<>();
        for (int j = 0; j < 64; j++) {
            fields.add(DataTypes.createStructField("f" + j, DataTypes.FloatType, false));
            features.add("f" + j);
        }
        fields.add(DataTypes.createStructField("digit", DataTypes.IntegerType, false));
        List<Row> rows = new ArrayList<>();
        int[] labels = DIGITS.labels();
        for (int i = 0; i < DIGITS.size(); i++) {
            Object[] v = new Object[65];
            for (int j = 0; j < 64; j++) v[j] = DIGITS.features()[i * 64 + j];
            v[64] = labels[i];
            rows.add(RowFactory.create(v));
        }
        org.apache.spark.sql.Dataset<Row> df = spark.createDataFrame(rows, DataTypes.createStructType(fields));
        Map<String, float[]> afterOne;
        try (SparkTrainingResult r = trainer(1).checkpointDir(dir).fit(df, features, "digit")) {
            afterOne = weights(r.model());
            assertEquals(1, r.position().epoch());
            assertEquals(DIGITS.size(), r.position().samplesDone());
            assertEquals(STEPS_PER_EPOCH, r.position().step());
            assertEquals(r.segments().stream().mapToInt(SegmentReport::steps).sum(), STEPS_PER_EPOCH, r.segments().toString());
        }
        assertEquals(STEPS_PER_EPOCH, Checkpoints.read(dir).position().step());
        assertSameBits(oneMachine(2, 1), afterOne);
        assertTrue(Checkpoints.exists(dir));
        Run resumed = fit(trainer(EPOCHS).checkpointDir(dir).resume(true));
        assertEquals(2, resumed.segments().size(), "only the second epoch is left");
        assertSameBits(uninterrupted().weights(), resumed.weights());
    }

    @Test
    void anExampleThatDoesNotFitTheCardIsRefusedByName() {
        JavaSparkContext sc = SparkTestCluster.context();
        List<Example> bad = List.of(Example.labeled(new float[64], 1), Example.labeled(new float[63], 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer(1).fit(sc.parallelize(bad, 1)));
        assertTrue(e.getMessage().startsWith("example 1 has 63 features but the model card takes 64"), e.getMessage());
    }
}
