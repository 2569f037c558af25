package dev.jgrad.testing;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The README's library examples, compiled as written, so that the README cannot drift from the API. */
public final class ReadmeExamples {
    private ReadmeExamples() {}

    /**
     * Compiles README.md's java block marked {@code <!-- example: NAME -->} as {@code className} into {@code dir},
     * against this JVM's class path.
     *
     * @throws AssertionError when the README has no such block or it does not compile (with javac's messages)
     */
    public static void compile(Path readme, String name, String className, Path dir) throws IOException {
        Matcher m = Pattern.compile("<!-- example: " + name + " -->\\s*```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(readme));
        if (!m.find()) throw new AssertionError(readme + " has no '<!-- example: " + name + " -->' java block");
        Path src = dir.resolve(className + ".java");
        Files.writeString(src, m.group(1));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), "-d", dir.toString(), src.toString());
        if (rc != 0) throw new AssertionError("README example " + name + " does not compile:\n" + diagnostics.toString(StandardCharsets.UTF_8));
    }
}
