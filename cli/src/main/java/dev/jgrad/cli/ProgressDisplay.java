package dev.jgrad.cli;

import dev.jgrad.train.EpochStats;
import dev.jgrad.train.TrainingListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.Console;
import java.util.Locale;

/** A progress bar per epoch on a terminal; one line per epoch otherwise (logs, CI, pipes). */
final class ProgressDisplay implements TrainingListener, AutoCloseable {
    private final boolean terminal;
    private ProgressBar bar;

    private ProgressDisplay(boolean terminal) {
        this.terminal = terminal;
    }

    static ProgressDisplay forConsole(int epochs) {
        Console c = System.console();
        return new ProgressDisplay(c != null && c.isTerminal());
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
        System.out.println(String.format(Locale.ROOT, "epoch %d: loss %.4f, test loss %.4f, test accuracy %.2f%%, %,.0f samples/s, %.1f s",
                s.epoch(), s.loss(), s.testLoss(), 100 * s.testAccuracy(), s.trainSamplesPerSec(), s.seconds()));
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
