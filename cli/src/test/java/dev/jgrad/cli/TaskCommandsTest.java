package dev.jgrad.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.jgrad.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --task regress|multilabel|autoencode} through train, eval and predict, resumed runs, charts and reconstructions. */
class TaskCommandsTest {
    /** y = 300 + 50 x0 - 20 x1 + noise on features of very different scales, with a header naming the target. */
    static Path regressionCsv(Path dir) throws Exception {
        Random rnd = new Random(3);
        StringBuilder s = new StringBuilder("x0,x1,x2,y\n");
        for (int i = 0; i < 400; i++) {
            double x0 = rnd.nextGaussian(), x1 = 100 + 30 * rnd.nextGaussian(), x2 = rnd.nextDouble();
            double y = 300 + 50 * x0 - 20 * (x1 - 100) / 30 + 2 * rnd.nextGaussian();
            s.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f%n", x0, x1, x2, y));
        }
        return Files.writeString(dir.resolve("reg.csv"), s.toString());
    }

    @Test
    void regressionTrainsEvaluatesAndPredictsInOriginalUnits(@TempDir Path dir) throws Exception {
        Path csv = regressionCsv(dir);
        Path model = dir.resolve("reg.safetensors");
        Path report = dir.resolve("reg.json");
        Path chart = dir.resolve("reg.svg");
        CliRun train = CliRun.of("train", "--task", "regress", "--data", csv.toString(), "--target-cols", "y", "--standardize", "--model", "mlp:16",
                "--epochs", "15", "--lr", "0.01", "--device", "cpu", "--save", model.toString(), "--report", report.toString(), "--chart", chart.toString());
        assertEquals(0, train.exitCode(), train.out() + train.err());
        assertTrue(train.out().contains("1 target"), train.out());
        assertTrue(train.out().contains("test r2"), "the progress line shows the main metric:\n" + train.out());
        Map<String, Object> root = JSON.std.mapFrom(Files.readString(report));
        assertEquals("regress", ((Map<?, ?>) root.get("config")).get("task"));
        assertEquals("r2", root.get("main_metric"));
        List<?> epochs = (List<?>) root.get("epochs");
        Map<?, ?> last = (Map<?, ?>) epochs.get(epochs.size() - 1);
        double r2 = ((Number) last.get("test_r2")).doubleValue();
        double rmse = ((Number) last.get("test_rmse")).doubleValue();
        assertTrue(r2 > 0.95, "a near-linear target should be learned: r2 " + r2);
        assertTrue(rmse > 1 && rmse < 15, "rmse in the target's units (noise sd 2, target sd ~54): " + rmse);
        assertTrue(last.containsKey("train_r2") && last.containsKey("lr"), "--chart evaluates the training set each epoch: " + last);
        String svg = Files.readString(chart);
        assertTrue(svg.contains("<svg") && svg.strip().endsWith("</svg>") && svg.length() > 10_000, "an SVG document with two panels of curves");

        CliRun eval = CliRun.of("eval", "--model", model.toString(), "--device", "cpu");
        assertEquals(0, eval.exitCode(), eval.out() + eval.err());
        Matcher m = Pattern.compile("r2 ([0-9.]+)").matcher(eval.out());
        assertTrue(m.find(), eval.out());
        assertEquals(String.format(Locale.ROOT, "%.4f", r2), m.group(1), "eval reproduces the run's test r2:\n" + eval.out());

        // features only: one prediction per row, in the target's units
        List<String> rows = Files.readAllLines(csv);
        StringBuilder features = new StringBuilder();
        for (String row : rows.subList(1, 6)) features.append(row, 0, row.lastIndexOf(',')).append('\n');
        Path unlabeled = Files.writeString(dir.resolve("x.csv"), features.toString());
        CliRun predict = CliRun.of("predict", "--model", model.toString(), "--device", "cpu", unlabeled.toString());
        assertEquals(0, predict.exitCode(), predict.out() + predict.err());
        List<String> lines = predict.out().lines().toList();
        assertEquals(5, lines.size(), predict.out());
        for (int i = 0; i < 5; i++) {
            double want = Double.parseDouble(rows.get(i + 1).substring(rows.get(i + 1).lastIndexOf(',') + 1));
            assertEquals(want, Double.parseDouble(lines.get(i)), 25, "row " + i + " predicted in original units");
        }
        CliRun labelled = CliRun.of("predict", "--model", model.toString(), "--device", "cpu", csv.toString());
        assertTrue(labelled.err().contains("r2 0.9"), "targets in the input: metrics on stderr: " + labelled.err());
    }

    @Test
    void resumedRegressionAndAutoencoderRunsAreBitIdentical(@TempDir Path dir) throws Exception {
        Path csv = regressionCsv(dir);
        for (List<String> task : List.of(List.of("--task", "regress", "--data", csv.toString(), "--target-cols", "-1", "--standardize", "--model", "mlp:8"),
                List.of("--task", "autoencode", "--data", "digits", "--model", "dense(16)-relu-dense(64)-sigmoid"))) {
            String name = task.get(1);
            Path straight = dir.resolve(name + "-straight.safetensors");
            Path resumed = dir.resolve(name + "-resumed.safetensors");
            Path ckpt = dir.resolve(name + "-ckpt");
            run(task, "--epochs", "3", "--save", straight.toString());
            run(task, "--epochs", "1", "--checkpoint-dir", ckpt.toString(), "--checkpoint-every", "5");
            CliRun again = CliRun.of("train", "--resume", ckpt.toString(), "--epochs", "3", "--device", "cpu", "--save", resumed.toString());
            assertEquals(0, again.exitCode(), again.out() + again.err());
            assertEquals(Safetensors.read(straight).tensors(), Safetensors.read(resumed).tensors(), name + ": resumed weights differ from a straight run");
            assertEquals(Safetensors.read(straight).metadata(), Safetensors.read(resumed).metadata(), name + ": the saved task and statistics differ");
        }
    }

    private static void run(List<String> task, String... more) {
        String[] args = new String[task.size() + more.length + 3];
        args[0] = "train";
        for (int i = 0; i < task.size(); i++) args[1 + i] = task.get(i);
        System.arraycopy(more, 0, args, 1 + task.size(), more.length);
        args[args.length - 2] = "--device";
        args[args.length - 1] = "cpu";
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exitCode(), r.out() + r.err());
    }

    @Test
    void autoencoderOnDigitsWritesReconstructionGrids(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("ae.safetensors");
        CliRun train = CliRun.of("train", "--task", "autoencode", "--data", "digits", "--epochs", "3", "--device", "cpu", "--save", model.toString());
        assertEquals(0, train.exitCode(), train.out() + train.err());
        assertTrue(train.out().contains("linear(256->64)") && train.out().contains("linear(256->64) -> relu -> linear(64->256)")
                && train.out().contains("sigmoid"), "the default autoencoder is 256-64-256 with a sigmoid output:\n" + train.out());
        Path grid = dir.resolve("grid.png");
        CliRun eval = CliRun.of("eval", "--model", model.toString(), "--device", "cpu", "--save-reconstructions", grid.toString());
        assertEquals(0, eval.exitCode(), eval.out() + eval.err());
        assertTrue(eval.out().contains("reconstruction mse"), eval.out());
        byte[] png = Files.readAllBytes(grid);
        assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
        CliRun wrong = CliRun.of("train", "--task", "regress", "--data", "digits", "--device", "cpu", "--epochs", "1");
        assertEquals(2, wrong.exitCode());
        assertTrue(wrong.err().contains("target columns can be chosen in a CSV file only"), wrong.err());
    }

    @Test
    void multiLabelFromZeroOneColumns(@TempDir Path dir) throws Exception {
        Random rnd = new Random(9);
        StringBuilder s = new StringBuilder("a,b,c,big_a,a_plus_b\n");
        for (int i = 0; i < 300; i++) {
            double a = rnd.nextDouble(), b = rnd.nextDouble(), c = rnd.nextDouble();
            s.append(String.format(Locale.ROOT, "%.3f,%.3f,%.3f,%d,%d%n", a, b, c, a > 0.5 ? 1 : 0, a + b > 1 ? 1 : 0));
        }
        Path csv = Files.writeString(dir.resolve("ml.csv"), s.toString());
        Path model = dir.resolve("ml.safetensors");
        CliRun train = CliRun.of("train", "--task", "multilabel", "--data", csv.toString(), "--target-cols", "big_a,a_plus_b", "--model", "mlp:32",
                "--epochs", "30", "--lr", "0.01", "--device", "cpu", "--save", model.toString(), "--early-stopping", "10", "--early-stopping-metric", "micro_f1");
        assertEquals(0, train.exitCode(), train.out() + train.err());
        assertTrue(train.out().contains("2 labels") && train.out().contains("loss bce_with_logits"), train.out());
        CliRun eval = CliRun.of("eval", "--model", model.toString(), "--device", "cpu");
        Matcher m = Pattern.compile("micro f1 ([0-9.]+)").matcher(eval.out());
        assertTrue(m.find(), eval.out());
        assertTrue(Double.parseDouble(m.group(1)) > 0.85, eval.out());
        assertTrue(eval.out().contains("big_a") && eval.out().contains("a_plus_b"), "labels named by their columns:\n" + eval.out());
        CliRun bad = CliRun.of("train", "--task", "multilabel", "--data", csv.toString(), "--target-cols", "a", "--device", "cpu", "--epochs", "1");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("multi-label targets must be 0 or 1"), bad.err());
    }
}
