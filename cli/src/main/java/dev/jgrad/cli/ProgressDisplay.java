package dev.jgrad.cli;

import dev.jgrad.train.EpochStats;
import dev.jgrad.train.Task;
import dev.jgrad.train.TrainingListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.Console;
import java.util.Locale;
import java.util.Map;

/** A progress bar per epoch on a terminal; one line per epoch otherwise (logs, CI, pipes), with the task's main held-out metric. */
final class ProgressDisplay implements TrainingListener, AutoCloseable {
    private final boolean terminal;
    private final Task task;
    private ProgressBar bar;

    private ProgressDisplay(boolean terminal, Task task) {
        this.terminal = terminal;
        this.task = task;
    }

    static ProgressDisplay forConsole(int epochs, Task task) {
        Console c = System.console();
        return new ProgressDisplay(c != null && c.isTerminal(), task);
    }

    /**
     * Held-out results on one line: loss and accuracy (as a percentage) for a classifier; loss and every metric
     * of the task otherwise.
     */
    static String summary(Map<String, Double> metrics, Task task) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "loss %.4f", metrics.getOrDefault("loss", Double.NaN)));
        if (task == Task.CLASSIFY) {
            return s.append(String.format(Locale.ROOT, ", accuracy %.2f%%", 100 * metrics.getOrDefault("accuracy", Double.NaN))).toString();
        }
        for (String name : task.metrics()) s.append(String.format(Locale.ROOT, ", %s %.4f", name, metrics.getOrDefault(name, Double.NaN)));
        return s.toString();
    }

    @Override
    public void epochStart(int epoch, int epochs, int samplesTotal) {
        if (!terminal) return;
        bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                .setInitialMax(samplesTotal).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200)
                .setUnit(" samples", 1).clearDisplayOnFinish().build();
    }

    @Override
    public void progress(int epoch, int samplesDone, int samplesTotal, double loss, double samplesPerSec) {
        if (bar == null) return;
        bar.stepTo(samplesDone);
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f, %,.0f samples/s", loss, samplesPerSec));
    }

    @Override
    public void epochEnd(EpochStats s) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        String main = task.mainMetric();
        String metric = task == Task.CLASSIFY ? String.format(Locale.ROOT, "test accuracy %.2f%%", 100 * s.testAccuracy())
                : String.format(Locale.ROOT, "test %s %.4f", main, s.testMetric(main));
        System.out.println(String.format(Locale.ROOT, "epoch %d: loss %.4f, test loss %.4f, %s, %,.0f samples/s, %.1f s",
                s.epoch(), s.loss(), s.testLoss(), metric, s.trainSamplesPerSec(), s.seconds()));
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
