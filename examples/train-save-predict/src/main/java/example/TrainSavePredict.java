package example;

import dev.jgrad.data.Dataset;
import dev.jgrad.data.Datasets;
import dev.jgrad.data.Split;
import dev.jgrad.device.Device;
import dev.jgrad.device.Devices;
import dev.jgrad.io.ModelCard;
import dev.jgrad.io.ModelFiles;
import dev.jgrad.io.SavedModel;
import dev.jgrad.metrics.ConfusionMatrix;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.optim.Adam;
import dev.jgrad.train.EpochStats;
import dev.jgrad.train.Predictor;
import dev.jgrad.train.Trainer;
import dev.jgrad.train.TrainingListener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Trains a small MLP on the handwritten digits embedded in jgrad, saves it with its model card, rebuilds it
 * from the file alone and predicts the test set with it. Exits with status 1 when the loaded model's predictions differ from the
 * trained one's or its accuracy is below {@link #MIN_ACCURACY}.
 */
public final class TrainSavePredict {
    /** Below this test accuracy something is broken: this MLP reaches about 0.97 in 10 epochs. */
    static final double MIN_ACCURACY = 0.90;

    public static void main(String[] args) throws Exception {
        String deviceName = args.length > 0 ? args[0] : "cpu";
        Split digits = Datasets.digits();
        Dataset test = digits.test();
        Path dir = Files.createTempDirectory("jgrad-example");
        Path file = dir.resolve("digits-mlp.safetensors");
        try (Device device = Devices.open(deviceName, System.out::println)) {
            Sequential model = mlp();
            model.to(device, 1);
            Trainer trainer = new Trainer(model, new Adam(model.parameters(), 1e-3f), device, 32, 1);
            List<EpochStats> epochs = trainer.fit(digits.train(), test, 10, new TrainingListener() {});
            EpochStats last = epochs.getLast();
            System.out.printf("trained %d epochs: loss %.4f, test accuracy %.4f%n", epochs.size(), last.loss(), last.testAccuracy());

            // the card says what the file holds (architecture, input shape, classes), so loading needs nothing else
            ModelFiles.save(model, ModelCard.of("mlp:128", new int[]{64}, 10), file);
            System.out.println("saved " + file + " (" + Files.size(file) + " bytes)");

            SavedModel saved = ModelFiles.load(file);
            Module loaded = saved.model(device);
            System.out.println("loaded " + saved.card());

            int[] before = predict(model, device, test);
            int[] after = predict(loaded, device, test);
            double accuracy = ConfusionMatrix.of(test.classes(), test.labels(), after).accuracy();
            System.out.printf("loaded model: test accuracy %.4f on %d examples%n", accuracy, test.size());
            if (!Arrays.equals(before, after)) fail("the loaded model predicts differently from the one saved");
            if (accuracy < MIN_ACCURACY) fail("test accuracy " + accuracy + " is below " + MIN_ACCURACY);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
        System.out.println("ok");
    }

    static Sequential mlp() {
        return new Sequential(new Linear(64, 128), new ReLU(), new Linear(128, 10));
    }

    /** The predicted class of every example (Predictor runs the model in evaluation mode, without a graph). */
    static int[] predict(Module model, Device device, Dataset data) {
        return new Predictor(model, device).predict(data.features(), data.size()).classes();
    }

    private static void fail(String why) {
        System.err.println("FAILED: " + why);
        System.exit(1);
    }
}
