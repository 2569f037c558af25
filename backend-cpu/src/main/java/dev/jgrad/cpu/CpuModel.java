package dev.jgrad.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The processor's name, from /proc/cpuinfo where there is one. */
final class CpuModel {
    private CpuModel() {}

    static String name() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }
}
