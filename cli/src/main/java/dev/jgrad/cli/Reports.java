package dev.jgrad.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.jgrad.device.DeviceInfo;
import dev.jgrad.io.AtomicFiles;
import dev.jgrad.train.EpochStats;
import dev.jgrad.train.TrainingHistory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON reports the CLI writes. */
final class Reports {
    private Reports() {}

    static void writeTrainReport(Path file, DeviceInfo device, TrainCommand cmd, TrainingHistory history) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("device", device.id());
        root.put("device_name", device.name());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("data", cmd.data);
        config.put("task", cmd.taskSetup().task().label());
        config.put("loss", cmd.taskSetup().lossFunction().name());
        if (cmd.targetCols != null) config.put("target_cols", cmd.targetCols);
        config.put("standardize", cmd.standardize);
        config.put("model", cmd.model);
        config.put("activation", cmd.activation);
        config.put("epochs", cmd.epochs);
        config.put("batch", cmd.batch);
        config.put("optimizer", cmd.optimizer.name());
        config.put("lr", (double) cmd.learningRate());
        config.put("momentum", (double) cmd.momentum);
        config.put("seed", cmd.seed);
        config.put("threads", cmd.deviceOptions.threads);
        config.put("tf32", cmd.deviceOptions.tf32);
        config.put("dataset_on_device", cmd.datasetOnDevice);
        root.put("config", config);
        root.put("main_metric", history.mainMetric());
        List<Object> epochs = new ArrayList<>();
        for (EpochStats s : history) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("epoch", s.epoch());
            e.put("loss", s.loss());
            e.put("train_samples_per_sec", s.trainSamplesPerSec());
            e.put("lr", s.lr());
            e.put("test_loss", s.testLoss());
            for (Map.Entry<String, Double> m : s.testMetrics().entrySet()) {
                if (!m.getKey().equals("loss")) e.put("test_" + m.getKey(), m.getValue());
            }
            for (Map.Entry<String, Double> m : s.trainMetrics().entrySet()) e.put("train_" + m.getKey(), m.getValue());
            e.put("seconds", s.seconds());
            epochs.add(e);
        }
        root.put("epochs", epochs);
        writeAtomically(file, JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(root) + "\n");
    }

    /** Writes through {@link AtomicFiles} (temporary file, fsync, rename), so a reader never sees half a file. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) throw new IOException(file + ": folder " + dir + " does not exist");
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
