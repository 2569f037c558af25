package dev.jgrad.train;

import dev.jgrad.ops.Loss;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/**
 * The run {@link Trainer#fit} made, epoch by epoch ({@link EpochStats}: training loss, held-out loss and metrics,
 * learning rate, samples/s), with the task it trained, so a caller can chart or report it. It is the list of
 * epochs; {@link #series} picks one quantity out of it.
 */
public final class TrainingHistory extends AbstractList<EpochStats> {
    private final Task task;
    private final String lossName;
    private final List<EpochStats> epochs = new ArrayList<>();

    /**
     * An empty history, which {@link Trainer#fit} fills.
     *
     * @param task     what was trained
     * @param lossName the loss's name ({@link Loss#name()})
     */
    public TrainingHistory(Task task, String lossName) {
        this.task = task;
        this.lossName = lossName;
    }

    /** {@return the task trained} */
    public Task task() {
        return task;
    }

    /** {@return the name of the loss minimised ({@link Loss#name()})} */
    public String lossName() {
        return lossName;
    }

    /** {@return the name of the task's main metric ({@link Task#mainMetric()})} */
    public String mainMetric() {
        return task.mainMetric();
    }

    @Override
    public EpochStats get(int index) {
        return epochs.get(index);
    }

    @Override
    public int size() {
        return epochs.size();
    }

    @Override
    public boolean add(EpochStats stats) {
        return epochs.add(stats);
    }

    /** {@return the epoch numbers, as doubles for plotting} */
    public double[] epochNumbers() {
        return epochs.stream().mapToDouble(EpochStats::epoch).toArray();
    }

    /**
     * {@code metric} (a name of {@link Evaluation#metrics()}; {@code lr} and {@code samples_per_sec} too) per epoch
     * on the training set ({@code train}) or the held-out set; NaN where an epoch lacks it.
     *
     * @param metric the quantity's name
     * @param train  true for the training set's values, false for the held-out set's
     * @return one value per epoch, in order
     */
    public double[] series(String metric, boolean train) {
        double[] out = new double[epochs.size()];
        for (int i = 0; i < out.length; i++) {
            EpochStats s = epochs.get(i);
            out[i] = switch (metric) {
                case "lr" -> s.lr();
                case "samples_per_sec" -> s.trainSamplesPerSec();
                default -> train ? s.trainMetric(metric) : s.testMetric(metric);
            };
        }
        return out;
    }
}
