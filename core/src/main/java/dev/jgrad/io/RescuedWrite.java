package dev.jgrad.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writing something that cannot be made again cheaply (a trained model) so that a failing destination does
 * not lose it: when writing {@code target} fails (a disk that filled up during training, a folder that went
 * away), the same content goes to the first fallback folder where it can be written, under a name no file
 * has yet, and the failure says where.
 */
public final class RescuedWrite {
    /** Writes the content to a path; called once for the target and once for each fallback tried. */
    @FunctionalInterface
    public interface Writer {
        /**
         * Writes the whole content to {@code path}, replacing any file there.
         *
         * @param path the target, or a fresh file name in a fallback folder
         * @throws IOException when the content cannot be written there
         */
        void write(Path path) throws IOException;
    }

    /** The write to the target failed and the content was written elsewhere; {@link #rescuedTo()} says where. */
    public static final class RescuedException extends OutputException {
        private final transient Path target;
        private final transient Path rescuedTo;

        RescuedException(Path target, Path rescuedTo, IOException cause) {
            super(reason(target, cause) + "; it was written to " + rescuedTo + " instead", cause);
            this.target = target;
            this.rescuedTo = rescuedTo;
        }

        /**
         * The path that could not be written.
         *
         * @return the target given to {@link RescuedWrite#write}
         */
        public Path target() {
            return target;
        }

        /**
         * Where the content was written instead.
         *
         * @return a file in one of the fallback folders
         */
        public Path rescuedTo() {
            return rescuedTo;
        }
    }

    private RescuedWrite() {}

    /**
     * Writes {@code target}; if that fails, writes into the first of {@code fallbackDirs} that takes it and
     * throws {@link RescuedException}. When every fallback fails too, an {@link OutputException} naming the
     * target's failure is thrown, with that failure as its cause and the fallbacks' failures suppressed in it.
     *
     * @param target       where the content should go
     * @param fallbackDirs folders to try in order when the target fails; null entries and paths that are not
     *                     existing folders are skipped; may be empty
     * @param fallbackName the file name in a fallback folder, made unique with a number when taken
     * @param writer       writes the content to a given path
     * @throws RescuedException when the target failed but a fallback took the content ({@link RescuedException#rescuedTo()})
     * @throws OutputException  when the target and every fallback failed
     * @throws IOException      only as one of those
     */
    public static void write(Path target, List<Path> fallbackDirs, String fallbackName, Writer writer) throws IOException {
        try {
            writer.write(target);
            return;
        } catch (IOException failed) {
            for (Path dir : fallbackDirs) {
                if (dir == null || !Files.isDirectory(dir)) continue;
                Path rescue = unique(dir, fallbackName);
                try {
                    writer.write(rescue);
                    throw new RescuedException(target, rescue, failed);
                } catch (RescuedException r) {
                    throw r;
                } catch (IOException | RuntimeException again) {
                    failed.addSuppressed(again);
                }
            }
            throw new OutputException(reason(target, failed) + "; no fallback folder (" + fallbackDirs + ") could take it either", failed);
        }
    }

    private static String reason(Path target, IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.contains(target.toString()) ? m : target + ": cannot write: " + m;
    }

    private static Path unique(Path dir, String name) {
        Path p = dir.resolve(name);
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int i = 2; Files.exists(p); i++) p = dir.resolve(stem + "-" + i + ext);
        return p;
    }
}
