package dev.jgrad.cli;

import dev.jgrad.testing.ReadmeExamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compiles and runs the library examples in README.md, so the README cannot drift from the API. */
class ReadmeExampleTest {

    @Test
    void readmeLibraryExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
        compile("library", "Example", dir);
        String printed = run("Example", dir);
        assertTrue(printed.contains("epoch 5: loss"), printed);
        assertTrue(printed.contains("|grad of 0.weight| > 0: true"), printed);
        assertTrue(printed.contains("reloaded mlp:128: linear(64->128) -> relu -> linear(128->10)"), printed);
    }

    @Test
    void readmeRegressionExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
        compile("regression", "RegressionExample", dir);

        // the diabetes CSV's layout (10 features, a header, the target "progression") with a known linear target
        java.util.Random rnd = new java.util.Random(1);
        StringBuilder csv = new StringBuilder("age,sex,bmi,bp,s1,s2,s3,s4,s5,s6,progression\n");
        for (int i = 0; i < 300; i++) {
            double y = 150;
            for (int f = 0; f < 10; f++) {
                double x = 50 + 10 * rnd.nextGaussian();
                y += (f - 4.5) * (x - 50);
                csv.append(String.format(java.util.Locale.ROOT, "%.3f,", x));
            }
            csv.append(String.format(java.util.Locale.ROOT, "%.3f%n", y + rnd.nextGaussian()));
        }
        Path data = Files.writeString(dir.resolve("diabetes.csv"), csv.toString());
        String printed = run("RegressionExample", dir, data.toString());
        Matcher r2 = Pattern.compile("test r2 ([0-9.]+)").matcher(printed);
        assertTrue(r2.find(), printed);
        assertTrue(Double.parseDouble(r2.group(1)) > 0.95, "a linear target should be learned: " + printed);
        assertTrue(printed.contains("predicted progression of the first test patient: "), printed);
    }

    private static void compile(String name, String className, Path dir) throws Exception {
        ReadmeExamples.compile(Path.of("..", "README.md"), name, className, dir);
    }

    /** Runs the compiled example's main with args and returns what it printed. */
    private String run(String className, Path dir, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[]{dir.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            loader.loadClass(className).getMethod("main", String[].class).invoke(null, (Object) args);
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
