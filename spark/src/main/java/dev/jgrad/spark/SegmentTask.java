package dev.jgrad.spark;

import dev.jgrad.data.Targets;
import dev.jgrad.device.Device;
import dev.jgrad.device.Devices;
import dev.jgrad.io.Checkpoint;
import dev.jgrad.io.ModelCard;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.tensor.Tensor;
import dev.jgrad.train.GradientSync;
import dev.jgrad.train.Slices;
import dev.jgrad.train.Task;
import dev.jgrad.train.TrainingPosition;
import dev.jgrad.train.TrainingStep;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * What each barrier task of a segment does: opens its device, loads the state the driver broadcast, joins the
 * gradient exchange, trains its slice of every global batch of the segment with {@link TrainingStep} (the
 * gradients summed across the tasks every step), and reports its end state.
 */
final class SegmentTask implements FlatMapFunction<Iterator<Routed>, WorkerReport> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SparkTrainer.class);

    private final Architecture architecture;
    private final Task task;
    private final OptimizerFactory optimizer;
    private final String deviceSpec;
    private final Segment segment;
    private final Broadcast<byte[]> state;
    private final ExchangeStarter exchange;
    private final FaultInjection fault;

    SegmentTask(Architecture architecture, Task task, OptimizerFactory optimizer, String deviceSpec, Segment segment, Broadcast<byte[]> state,
                ExchangeStarter exchange, FaultInjection fault) {
        this.architecture = architecture;
        this.task = task;
        this.optimizer = optimizer;
        this.deviceSpec = deviceSpec;
        this.segment = segment;
        this.state = state;
        this.exchange = exchange;
        this.fault = fault;
    }

    /**
     * The device a worker opens: the one asked for explicitly; else, when Spark's resource scheduling gave the
     * task a GPU ({@code spark.task.resource.gpu.amount}), that GPU as a CUDA device; else null, which lets
     * {@link Devices#open(String, java.util.function.Consumer)} read {@code JGRAD_DEVICE} or pick {@code auto}.
     */
    static String deviceFor(String explicit, java.util.Map<String, org.apache.spark.resource.ResourceInformation> resources) {
        if (explicit != null) return explicit;
        org.apache.spark.resource.ResourceInformation gpu = resources == null ? null : resources.get("gpu");
        if (gpu != null && gpu.addresses().length > 0) return "cuda:" + gpu.addresses()[0].trim();
        return null;
    }

    @Override
    public Iterator<WorkerReport> call(Iterator<Routed> input) throws Exception {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int rank = ctx.partitionId();
        List<Routed> rows = new ArrayList<>();
        input.forEachRemaining(rows::add);
        rows.sort(Comparator.comparingInt(Routed::position));
        String host = java.net.InetAddress.getLocalHost().getHostName() + "/pid " + ProcessHandle.current().pid();
        ModelCard card = architecture.card();
        try (Device device = Devices.open(deviceFor(deviceSpec, ctx.resourcesJMap()), line -> LOG.info("worker {}: {}", rank, line))) {
            LOG.info("worker {}: {}", rank, device.info().id());
            Module model = card.build().to(device, 0);
            Optimizer opt = optimizer.create(model.parameters());
            Checkpoint start = StateBytes.decode(state.value(), "the state broadcast for epoch " + segment.epoch());
            start.restore(model, opt);
            model.train();
            try (ExchangeStarter.Endpoint endpoint = exchange.listen(rank, segment.workers())) {
                String[] peers = ctx.allGather(endpoint.address());
                TimedSync sync = new TimedSync(endpoint.connect(peers));
                long t0 = System.nanoTime();
                float lossSum;
                try (Staging staging = new Staging(device, card.features(), targetWidth(card), task.targets() == Targets.Kind.CLASSES);
                     TrainingStep step = new TrainingStep(model, opt, task.defaultLoss())) {
                    Tensor loss = Tensor.zeros(device).keep();
                    int cursor = 0;
                    for (int i = 0; i < segment.steps(); i++) {
                        if (fault != null && fault.rank() == rank && fault.step() == segment.firstStep() + i && ctx.stageAttemptNumber() == 0) {
                            Runtime.getRuntime().halt(1);
                        }
                        int from = segment.batchStart(i), batchRows = segment.batchRows(i);
                        int at = Slices.start(batchRows, segment.workers(), rank), size = Slices.size(batchRows, segment.workers(), rank);
                        long firstRow = segment.streamRow(from) + at;
                        if (size == 0) {
                            step.emptySlice(firstRow, batchRows);
                        } else {
                            Staging.Batch b = staging.load(rows, cursor, size, from + at);
                            step.slice(b.x(), task == Task.AUTOENCODE ? b.x() : b.y(), firstRow, batchRows, loss);
                            cursor += size;
                        }
                        step.update(sync);
                    }
                    if (cursor != rows.size()) {
                        throw new IllegalStateException("worker " + rank + " was given " + rows.size() + " examples for its slices but trained " + cursor);
                    }
                    lossSum = loss.item();
                    loss.close();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                TrainingPosition end = new TrainingPosition(segment.epoch(), segment.endSample(), segment.firstStep() + segment.steps(), 0f);
                byte[] out = rank == 0 ? StateBytes.encode(model, opt, end) : null;
                return List.of(new WorkerReport(rank, device.info().id(), host, checksum(model, opt), lossSum, seconds,
                        sync.nanos / 1e9, out, ctx.stageAttemptNumber() + 1)).iterator();
            }
        }
    }

    private int targetWidth(ModelCard card) {
        return switch (task.targets()) {
            case CLASSES -> 1;
            case VALUES -> card.outputs();
            case NONE -> 0;
        };
    }

    /** CRC-32C of every float of the replica's weights and optimizer state, to check that the replicas agree. */
    static long checksum(Module model, Optimizer opt) {
        CRC32C crc = new CRC32C();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4);
        for (Map<String, Tensor> dict : List.of(model.stateDict(), opt.stateDict())) {
            for (Tensor t : dict.values()) {
                for (float v : t.toArray()) {
                    buf.clear();
                    buf.putInt(Float.floatToRawIntBits(v));
                    crc.update(buf.array());
                }
            }
        }
        return crc.getValue();
    }

    /** Counts the time spent in the gradient sum. */
    private static final class TimedSync implements GradientSync {
        private final GradientSync inner;
        long nanos;

        TimedSync(GradientSync inner) {
            this.inner = inner;
        }

        @Override
        public int rank() {
            return inner.rank();
        }

        @Override
        public int workers() {
            return inner.workers();
        }

        @Override
        public void sum(float[] grads, int length) {
            long t = System.nanoTime();
            inner.sum(grads, length);
            nanos += System.nanoTime() - t;
        }
    }

    /**
     * Host arrays and device tensors for the slices, one set per slice size (a few sizes: slices differ by one
     * row, and the epoch's last batch is shorter), refilled every step.
     */
    private static final class Staging implements AutoCloseable {
        record Batch(float[] xs, float[] ys, Tensor x, Tensor y) {}

        private final Device device;
        private final int features;
        private final int width;
        private final boolean classIndices;
        private final Map<Integer, Batch> bySize = new HashMap<>();

        Staging(Device device, int features, int width, boolean classIndices) {
            this.device = device;
            this.features = features;
            this.width = width;
            this.classIndices = classIndices;
        }

        /** The slice of {@code size} rows starting at {@code rows[cursor]}, which must sit at positions {@code first...}. */
        Batch load(List<Routed> rows, int cursor, int size, int first) {
            Batch b = bySize.computeIfAbsent(size, this::make);
            for (int r = 0; r < size; r++) {
                Routed row = cursor + r < rows.size() ? rows.get(cursor + r) : null;
                if (row == null || row.position() != first + r) {
                    throw new IllegalStateException("the examples routed to this worker do not match the epoch's order at position " + (first + r)
                            + ": the input RDD must give the same examples in the same order every time it is computed (cache it, or read a fixed source)");
                }
                System.arraycopy(row.example().features(), 0, b.xs, r * features, features);
                if (width > 0) System.arraycopy(row.example().target(), 0, b.ys, r * width, width);
            }
            b.x.copyFrom(b.xs);
            if (width > 0) b.y.copyFrom(b.ys);
            return b;
        }

        private Batch make(int size) {
            float[] xs = new float[size * features];
            float[] ys = new float[size * width];
            Tensor x = Tensor.of(device, xs, size, features).keep();
            Tensor y = width == 0 ? null : classIndices ? Tensor.of(device, ys, size).keep() : Tensor.of(device, ys, size, width).keep();
            return new Batch(xs, ys, x, y);
        }

        @Override
        public void close() {
            for (Batch b : bySize.values()) {
                b.x.close();
                if (b.y != null) b.y.close();
            }
        }
    }
}
