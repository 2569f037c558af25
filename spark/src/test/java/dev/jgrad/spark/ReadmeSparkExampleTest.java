package dev.jgrad.spark;

import dev.jgrad.testing.ReadmeExamples;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README's Spark example, compiled from the README and run on the two-executor test cluster as an application
 * would be: its classes go to the executors as a jar ({@code sc.addJar}, what {@code spark-submit} does with the
 * application jar), since its optimizer lambda is one of its classes.
 */
class ReadmeSparkExampleTest {
    @Test
    void readmeSparkExampleCompilesAndTrains(@TempDir Path dir) throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        ReadmeExamples.compile(Path.of("..", "README.md"), "spark", "SparkExample", classes);

        Path jar = dir.resolve("example.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
        }
        JavaSparkContext sc = SparkTestCluster.context();
        sc.addJar(jar.toString());
        Path checkpoints = Files.createDirectories(dir.resolve("run"));
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, getClass().getClassLoader())) {
            var train = loader.loadClass("SparkExample").getDeclaredMethod("train", JavaSparkContext.class, int.class, Path.class);
            train.setAccessible(true);
            double accuracy = (double) train.invoke(null, sc, SparkTestCluster.EXECUTORS, checkpoints);
            assertTrue(accuracy > 0.85, "3 epochs of the digits MLP should pass 85%, got " + accuracy);
        }
        assertTrue(Files.exists(checkpoints.resolve("digits.safetensors")), "the example saves its model");
    }
}
