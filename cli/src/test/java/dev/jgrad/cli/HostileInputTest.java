package dev.jgrad.cli;

import dev.jgrad.io.Checkpoints;
import dev.jgrad.io.DirectoryLock;
import dev.jgrad.io.HostArray;
import dev.jgrad.io.Safetensors;
import dev.jgrad.io.SafetensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a hostile or careless user does to jgrad, one test per way it used to lose work or give a wrong
 * number: each ends with one line naming the thing and the problem and exit 2 (or, for an interrupt, 130),
 * and nothing the user owns overwritten.
 */
class HostileInputTest {
    @TempDir
    Path dir;

    /** A small CSV: 120 rows of 6 features, labels 0..2. */
    private Path csv(String name) throws IOException {
        StringBuilder s = new StringBuilder();
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 120; i++) {
            int label = i % 3;
            for (int f = 0; f < 6; f++) s.append(String.format(java.util.Locale.ROOT, "%.3f,", r.nextDouble() + (f == label ? 1 : 0)));
            s.append(label).append('\n');
        }
        return Files.writeString(dir.resolve(name), s);
    }

    /** {@code train} on the CPU with a tiny model for one epoch; {@code more} adds options or replaces those (in pairs). */
    private static String[] train(String... more) {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--device", "cpu", "--threads", "1", "--model", "mlp:8", "--epochs", "1", "--batch", "16"));
        for (int i = 0; i + 1 < more.length; i += 2) options.put(more[i], more[i + 1]);
        List<String> a = new ArrayList<>(List.of("train"));
        options.forEach((k, v) -> {
            a.add(k);
            a.add(v);
        });
        return a.toArray(String[]::new);
    }

    private static void badInput(CliRun r, String... needles) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertEquals(1, r.errLines(), "one line: " + r.err());
        for (String n : needles) assertTrue(r.err().contains(n), "lacks '" + n + "': " + r.err());
        assertFalse(r.out().contains("epoch 1"), "refused before training: " + r.out());
    }

    // ---- 1: an output onto an input or another output ------------------------------------------------

    @Test
    void anOutputOntoAnInputOrAnotherOutputIsRefusedBeforeTraining() throws Exception {
        Path victim = csv("victim.csv");
        byte[] before = Files.readAllBytes(victim);
        badInput(CliRun.of(train("--data", victim.toString(), "--save", victim.toString())),
                "--save " + victim + ": is the same file as the --data " + victim);
        Path link = dir.resolve("link.csv");
        Files.createLink(link, victim);
        badInput(CliRun.of(train("--data", victim.toString(), "--save", link.toString())), "is the same file as the --data");
        Path out = dir.resolve("out");
        badInput(CliRun.of(train("--data", victim.toString(), "--save", out.toString(), "--report", out.toString())),
                "--report " + out + ": is the same file as the --save");
        Path ckpt = dir.resolve("ckpt");
        badInput(CliRun.of(train("--data", victim.toString(), "--save", ckpt.resolve("checkpoint.safetensors").toString(),
                "--checkpoint-dir", ckpt.toString())), "same file");
        assertArrayEquals(before, Files.readAllBytes(victim));
        assertFalse(Files.exists(out) || Files.exists(ckpt), "nothing written, no folder created");
    }

    // ---- 2: non-finite or corrupted weights ----------------------------------------------------------

    @Test
    void nanWeightsAndFlippedBitsAreRefusedOnLoadNamingTheTensor() throws Exception {
        Path data = csv("d.csv");
        Path model = dir.resolve("m.safetensors");
        assertEquals(0, CliRun.of(train("--data", data.toString(), "--save", model.toString())).exitCode());
        SafetensorsFile f = Safetensors.read(model);
        Map<String, HostArray> t = new LinkedHashMap<>(f.tensors());
        float[] w = t.get("0.weight").values().clone();
        Arrays.fill(w, Float.NaN);
        t.put("0.weight", new HostArray(t.get("0.weight").shape(), w));
        Path nan = dir.resolve("nan.safetensors");
        Safetensors.write(nan, t, f.metadata());
        badInput(CliRun.of("eval", "--device", "cpu", "--model", nan.toString(), "--data", data.toString()),
                nan + ": tensor \"0.weight\" holds NaN at index 0");
        badInput(CliRun.of(train("--data", data.toString(), "--init", nan.toString())), "tensor \"0.weight\" holds NaN");

        Path ckpt = dir.resolve("ckpt");
        assertEquals(0, CliRun.of(train("--data", data.toString(), "--checkpoint-dir", ckpt.toString(), "--epochs", "1")).exitCode());
        // one planted NaN, with checksums recomputed (as another tool would write it): refused, never called good
        SafetensorsFile c = Safetensors.read(Checkpoints.file(ckpt));
        Map<String, HostArray> planted = new LinkedHashMap<>(c.tensors());
        float[] b = planted.get("model.2.bias").values().clone();
        b[1] = Float.NaN;
        planted.put("model.2.bias", new HostArray(planted.get("model.2.bias").shape(), b));
        byte[] good = Files.readAllBytes(Checkpoints.file(ckpt));
        Safetensors.write(Checkpoints.file(ckpt), planted, c.metadata());
        badInput(CliRun.of("train", "--device", "cpu", "--resume", ckpt.toString(), "--epochs", "2"), "tensor \"2.bias\" holds NaN at index 1");
        assertTrue(Checkpoints.describeKept(ckpt).contains("is not usable"), Checkpoints.describeKept(ckpt));
        Files.write(Checkpoints.file(ckpt), good);
        assertTrue(Checkpoints.describeKept(ckpt).startsWith("the last good checkpoint (step "), Checkpoints.describeKept(ckpt));

        byte[] bytes = Files.readAllBytes(Checkpoints.file(ckpt));
        long header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        bytes[(int) (8 + header + 5)] ^= 0x10;
        Files.write(Checkpoints.file(ckpt), bytes);
        badInput(CliRun.of("train", "--device", "cpu", "--resume", ckpt.toString(), "--epochs", "2"), "fails its CRC32C checksum");
        assertTrue(Checkpoints.describeKept(ckpt).contains("is not usable"), "a corrupt checkpoint is never called good: " + Checkpoints.describeKept(ckpt));
    }

    // ---- 3: destinations checked before training; a failed save keeps the model ----------------------

    @Test
    void aFolderOrAMissingFolderAsDestinationIsRefusedBeforeTraining() throws Exception {
        Path data = csv("d.csv");
        badInput(CliRun.of(train("--data", data.toString(), "--save", dir.toString())), "--save " + dir + ": is a folder; name a file");
        badInput(CliRun.of(train("--data", data.toString(), "--save", dir.resolve("no/such/m.safetensors").toString())), "does not exist");
        badInput(CliRun.of(train("--data", data.toString(), "--checkpoint-dir", data.toString())),
                "--checkpoint-dir " + data + ": is a regular file, not a folder");
        if (!"root".equals(System.getProperty("user.name"))) {
            Path ro = Files.createDirectory(dir.resolve("ro"));
            ro.toFile().setWritable(false);
            try {
                badInput(CliRun.of(train("--data", data.toString(), "--save", ro.resolve("m.safetensors").toString())), "is not writable");
            } finally {
                ro.toFile().setWritable(true);
            }
        }
        // a read-only or full file system: OutputCheckTest, with an injected probe (root ignores permissions)
    }

    @Test
    void aSaveThatFailsAfterTrainingWritesTheModelElsewhereAndSaysWhere() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path ckpt = dir.resolve("ckpt");
        Path log = dir.resolve("run.log");
        Process p = ChildJvm.start(log, List.of(), "train", "--device", "cpu", "--threads", "1", "--data", "digits", "--model", "mlp:64",
                "--epochs", "40", "--batch", "16", "--checkpoint-dir", ckpt.toString(), "--save", sub.resolve("m.safetensors").toString());
        awaitFile(p, Checkpoints.file(ckpt), log);
        // the destination's folder turns into a file while training runs: the save must fail
        Files.delete(sub);
        Files.writeString(sub, "in the way");
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        String out = ChildJvm.output(log);
        assertEquals(2, p.exitValue(), out);
        String rescued = ckpt.resolve("m.safetensors.rescued-" + p.pid() + ".safetensors").toString();
        assertTrue(out.contains("jgrad: " + sub.resolve("m.safetensors") + ": cannot write: ") && out.contains("it was written to " + rescued + " instead"), out);
        assertEquals(Safetensors.read(Path.of(rescued)).tensors().keySet(), Set.of("0.weight", "0.bias", "2.weight", "2.bias"));
    }

    // ---- 4: one run per checkpoint directory --------------------------------------------------------

    @Test
    void aSecondRunOnACheckpointDirectoryIsRefusedNamingTheFirstAndAStaleLockIsTakenOver() throws Exception {
        Path ckpt = dir.resolve("ckpt");
        Path log = dir.resolve("first.log");
        Process first = ChildJvm.start(log, List.of(), "train", "--device", "cpu", "--threads", "1", "--data", "digits", "--model", "mlp:64",
                "--epochs", "500", "--checkpoint-dir", ckpt.toString());
        try {
            awaitFile(first, ckpt.resolve(DirectoryLock.FILE_NAME), log);
            CliRun second = CliRun.of(train("--checkpoint-dir", ckpt.toString()));
            badInput(second, ckpt + ": is in use by another run (pid " + first.pid() + " on host ");
        } finally {
            first.destroyForcibly();
            first.waitFor();
        }
        assertTrue(Files.exists(ckpt.resolve(DirectoryLock.FILE_NAME)), "SIGKILL leaves the lock file behind");
        CliRun after = CliRun.of(train("--checkpoint-dir", ckpt.toString()));
        assertEquals(0, after.exitCode(), after.err());
        assertTrue(after.out().contains("took over the lock of a run that is no longer running (pid " + first.pid()), after.out());
        assertFalse(Files.exists(ckpt.resolve(DirectoryLock.FILE_NAME)), "the lock goes away at the end of the run");
    }

    // ---- 5: Ctrl-C -----------------------------------------------------------------------------------

    @Test
    void sigintCheckpointsSavesAPartialModelAndPrintsTheResumeCommand() throws Exception {
        Path ckpt = dir.resolve("ckpt");
        Path model = dir.resolve("m.safetensors");
        Path log = dir.resolve("run.log");
        Process p = ChildJvm.start(log, List.of(), "train", "--device", "cpu", "--threads", "1", "--data", "digits", "--model", "mlp:64",
                "--epochs", "500", "--checkpoint-dir", ckpt.toString(), "--save", model.toString());
        awaitFile(p, Checkpoints.file(ckpt), log);
        signal(p, "INT");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "SIGINT did not stop the run: " + ChildJvm.output(log));
        String out = ChildJvm.output(log);
        assertEquals(130, p.exitValue(), out);
        assertTrue(out.contains("jgrad: checkpoint: " + Checkpoints.file(ckpt)), out);
        Path partial = dir.resolve("m.partial.safetensors");
        assertTrue(out.contains("jgrad: partial model (training not finished): " + partial), out);
        assertFalse(Files.exists(model), "the final model's name is not used for a partial one");
        Safetensors.read(partial);
        String resume = out.lines().filter(l -> l.startsWith("jgrad: resume with: ")).findFirst().orElseThrow(() -> new AssertionError(out));
        assertTrue(resume.endsWith(" train --resume " + ckpt + " --save " + model + " --device cpu --threads 1"), resume);
        long step = Checkpoints.read(ckpt).position().step();
        assertTrue(out.contains("jgrad: interrupted after step " + step + " "), "the checkpoint is at the interrupted step: " + out);

        // the printed command continues the run (with fewer epochs, to end soon)
        List<String> args = new ArrayList<>(List.of(resume.substring(resume.indexOf(" train ") + 1).split(" ")));
        args.addAll(List.of("--epochs", Integer.toString(Checkpoints.read(ckpt).position().epoch() + 1)));
        CliRun resumed = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("resuming") && Files.exists(model), resumed.out());
    }

    @Test
    void aSecondSigintQuitsAtOnceLeavingNoHalfWrittenFile() throws Exception {
        Path ckpt = dir.resolve("ckpt");
        Path log = dir.resolve("run.log");
        Process p = ChildJvm.start(log, List.of(), "train", "--device", "cpu", "--threads", "1", "--data", "digits", "--model", "mlp:512,512",
                "--epochs", "500", "--checkpoint-dir", ckpt.toString(), "--checkpoint-every", "1", "--save", dir.resolve("m.safetensors").toString());
        awaitFile(p, Checkpoints.file(ckpt), log);
        signal(p, "INT");
        signal(p, "INT");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "two SIGINTs did not end the run: " + ChildJvm.output(log));
        assertEquals(130, p.exitValue(), ChildJvm.output(log));
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".safetensors")).toList()) Safetensors.read(f);
        }
        Checkpoints.read(ckpt);   // complete and intact (checksums)
    }

    // ---- 6: resume from anywhere ---------------------------------------------------------------------

    @Test
    void aRunResumesFromAnotherDirectoryAndFromItsMovedData() throws Exception {
        Path runDir = Files.createDirectory(dir.resolve("run"));
        csv("run/data.csv");
        Path ckpt = runDir.resolve("ckpt");
        Path log = dir.resolve("start.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(train("--data", "data.csv", "--checkpoint-dir", "ckpt")));
        Process p = new ProcessBuilder(cmd).directory(runDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), ChildJvm.output(log));

        // this JVM's working directory is not runDir: the relative data.csv was stored absolute
        CliRun elsewhere = CliRun.of("train", "--device", "cpu", "--resume", ckpt.toString(), "--epochs", "2");
        assertEquals(0, elsewhere.exitCode(), elsewhere.err());

        Path moved = dir.resolve("moved.csv");
        Files.move(runDir.resolve("data.csv"), moved);
        badInput(CliRun.of("train", "--device", "cpu", "--resume", ckpt.toString(), "--epochs", "3"),
                "data " + runDir.resolve("data.csv") + " is not there any more; if it moved, name its new place with --data");
        CliRun named = CliRun.of("train", "--device", "cpu", "--resume", ckpt.toString(), "--epochs", "3", "--data", moved.toString());
        assertEquals(0, named.exitCode(), named.err());
        assertTrue(named.out().contains("has the content of the run's"), named.out());
        Path other = csv("other.csv");
        Files.writeString(other, Files.readString(other).replaceFirst("\\d\\.\\d{3}", "9.999"));
        badInput(CliRun.of("train", "--device", "cpu", "--resume", ckpt.toString(), "--epochs", "4", "--data", other.toString()), "has other content");
    }

    // ---- 7 and 8: FIFOs, folders, unreadable files, messages that name the thing ----------------------

    @Test
    void fifosAndFoldersWhereFilesGoAreNamedAndNeverWaitedOn() throws Exception {
        Path data = csv("d.csv");
        Path model = dir.resolve("m.safetensors");
        assertEquals(0, CliRun.of(train("--data", data.toString(), "--save", model.toString())).exitCode());
        Path fifo = dir.resolve("input.csv");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        CliRun predict = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliRun.of("predict", "--device", "cpu", "--model", model.toString(), fifo.toString()));
        badInput(predict, fifo + ": is a FIFO (named pipe), not a regular file");
        badInput(CliRun.of("eval", "--device", "cpu", "--model", dir.toString()), dir + ": is a folder, not a regular file");

        Path idx = Files.createDirectory(dir.resolve("idx"));
        for (String n : new String[]{"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"}) Files.writeString(idx.resolve(n), "");
        assertEquals(0, new ProcessBuilder("mkfifo", idx.resolve("t10k-images-idx3-ubyte").toString()).start().waitFor());
        CliRun idxRun = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliRun.of(train("--data", idx.toString())));
        assertEquals(2, idxRun.exitCode(), idxRun.err());
        if (!"root".equals(System.getProperty("user.name"))) {
            Path locked = csv("locked.csv");
            locked.toFile().setReadable(false);
            badInput(CliRun.of(train("--data", locked.toString())), locked + ": cannot read: permission denied");
        }
    }

    @Test
    void aBadDeviceFromTheEnvironmentNamesTheVariable() throws Exception {
        Path log = dir.resolve("env.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "devices"));
        cmd.set(cmd.size() - 1, "eval");
        cmd.addAll(List.of("--model", "x"));
        Path data = csv("d.csv");
        Path model = dir.resolve("m.safetensors");
        assertEquals(0, CliRun.of(train("--data", data.toString(), "--save", model.toString())).exitCode());
        cmd.set(cmd.size() - 1, model.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JGRAD_DEVICE", "foo");
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), ChildJvm.output(log));
        assertTrue(ChildJvm.output(log).contains("jgrad: environment variable JGRAD_DEVICE=foo: "), ChildJvm.output(log));
    }

    // ---- 9: numeric flags ----------------------------------------------------------------------------

    @Test
    void nonFiniteAndOutOfRangeNumbersAreRefusedUpFront() {
        badInput(CliRun.of(train("--momentum", "NaN")), "--momentum must be in [0, 1), got NaN");
        badInput(CliRun.of(train("--l1", "Infinity")), "--l1 must be a finite number >= 0, got Infinity");
        badInput(CliRun.of(train("--weight-decay", "NaN")), "--weight-decay must be a finite number >= 0, got NaN");
        badInput(CliRun.of(train("--clip-norm", "Infinity")), "--clip-norm must be a positive number");
        badInput(CliRun.of(train("--threads", "5000")), "--threads must be in [1, ");
        badInput(CliRun.of(train("--checkpoint-every", "0", "--checkpoint-dir", dir.resolve("c").toString())), "--checkpoint-every must be at least 1");
        assertFalse(Files.exists(dir.resolve("c")));
    }

    @Test
    void benchWarnsOfLongSizesAndCreatesNoFolders() {
        CliRun sizes = CliRun.of("bench", "--sizes", "16384", "--devices", "nosuchdevice");
        assertTrue(sizes.err().contains("bench: warning: --sizes 16384 means about") && sizes.err().contains("per device"), sizes.err());
        CliRun chart = CliRun.of("bench", "--quick", "--suite", "gemm", "--devices", "cpu", "--chart", "/nonexistent-jgrad-test/x.svg");
        badInput(chart, "--chart /nonexistent-jgrad-test/x.svg: folder /nonexistent-jgrad-test does not exist");
        assertFalse(Files.exists(Path.of("/nonexistent-jgrad-test")));
    }

    // ---- 10: data surprises --------------------------------------------------------------------------

    @Test
    void aStrayLabelIsAnErrorNamingItsLineAndSuggestingClasses() throws Exception {
        Path data = csv("d.csv");
        Files.writeString(data, "0.1,0.2,0.3,0.4,0.5,0.6,200\n", java.nio.file.StandardOpenOption.APPEND);
        badInput(CliRun.of(train("--data", data.toString())), data + ": line 121 has label 200, but labels 3 to 199 have no example",
                "with --classes 201");
        CliRun declared = CliRun.of(train("--data", data.toString(), "--classes", "201", "--model", "mlp:2"));
        assertEquals(0, declared.exitCode(), declared.err());
        assertTrue(declared.out().contains("201 classes (given by --classes)"), declared.out());
        CliRun plain = CliRun.of(train("--data", csv("ok.csv").toString()));
        assertTrue(plain.out().contains("3 classes (labels 0 to 2)"), plain.out());
    }

    @Test
    void testImagesOfAnotherShapeAreRefused() throws Exception {
        Path idx = Files.createDirectory(dir.resolve("idx"));
        writeIdx(idx.resolve("train-images-idx3-ubyte"), 0x803, 4, 28, 28);
        writeIdx(idx.resolve("train-labels-idx1-ubyte"), 0x801, 4);
        writeIdx(idx.resolve("t10k-images-idx3-ubyte"), 0x803, 2, 14, 56);
        writeIdx(idx.resolve("t10k-labels-idx1-ubyte"), 0x801, 2);
        badInput(CliRun.of(train("--data", idx.toString())), "images of 14×56 = 784 pixels, but the training images have 784 (28×28)");

        // predict: an image model trained on 28×28 takes no 14×56 images
        writeIdx(idx.resolve("t10k-images-idx3-ubyte"), 0x803, 2, 28, 28);
        Path model = dir.resolve("conv.safetensors");
        CliRun trained = CliRun.of(train("--data", idx.toString(), "--model", "conv(2,3)-relu-flatten-dense(2)", "--save", model.toString()));
        assertEquals(0, trained.exitCode(), trained.err());
        Path wide = dir.resolve("wide-idx3-ubyte");
        writeIdx(wide, 0x803, 2, 14, 56);
        badInput(CliRun.of("predict", "--device", "cpu", "--model", model.toString(), wide.toString()),
                wide + ": images of 14×56 pixels, but the model takes 28×28 images");
    }

    @Test
    void aByteOrderMarkIsStrippedAndPredictTakesUnlabelledCsv() throws Exception {
        Path data = csv("d.csv");
        Path bom = dir.resolve("bom.csv");
        Files.write(bom, ("\uFEFF" + Files.readString(data)).getBytes(StandardCharsets.UTF_8));
        Path model = dir.resolve("m.safetensors");
        CliRun trained = CliRun.of(train("--data", bom.toString(), "--save", model.toString()));
        assertEquals(0, trained.exitCode(), trained.err());
        Path unlabelled = dir.resolve("features.csv");
        Files.writeString(unlabelled, "0.1,0.2,0.3,0.4,0.5,0.6\n1.0,0.1,0.1,0.1,0.1,0.1\n");
        CliRun predict = CliRun.of("predict", "--device", "cpu", "--model", model.toString(), unlabelled.toString());
        assertEquals(0, predict.exitCode(), predict.err());
        assertEquals(2, predict.out().lines().count(), predict.out());
        assertTrue(predict.out().lines().allMatch(l -> l.matches("[0-2]")), predict.out());
    }

    // ---- 11: small things ----------------------------------------------------------------------------

    @Test
    void staleTemporaryFilesOfJgradAreRemovedAndOnlyThose() throws Exception {
        Path data = csv("d.csv");
        Path stale = Files.writeString(dir.resolve(".m.safetensors.5e1f00c2a9b3d471.tmp"), "half a model");
        Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Path users = Files.writeString(dir.resolve(".m.safetensors.mine.tmp"), "the user's");
        Files.setLastModifiedTime(users, FileTime.fromMillis(0));
        CliRun r = CliRun.of(train("--data", data.toString(), "--save", dir.resolve("m.safetensors").toString()));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("removed " + stale), r.out());
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(users));
    }

    @Test
    void noArgumentsIsAnError() {
        CliRun r = CliRun.of();
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Usage: jgrad"), r.err());
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static void writeIdx(Path f, int magic, int... dims) throws IOException {
        long n = 1;
        for (int d : dims) n *= d;
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + (int) n);
        b.putInt(magic);
        for (int d : dims) b.putInt(d);
        for (int i = 0; i < n; i++) b.put((byte) (magic == 0x801 ? i % 2 : i % 256));
        Files.write(f, b.array());
    }

    private static void awaitFile(Process p, Path f, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(f) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(Files.exists(f), f + " did not appear; output:\n" + ChildJvm.output(log));
    }

    private static void signal(Process p, String name) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).start().waitFor());
    }
}
