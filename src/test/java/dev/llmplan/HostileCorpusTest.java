package dev.llmplan;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The issue-16 hostile corpus, generated on the fly: model files built to cost time or memory, catalogs and
 * plans with huge numbers and thousands of problems, argument files, FIFOs and devices. Each runs the real
 * CLI in its own JVM capped at {@value #HEAP} of heap (the bound README "Limits" states), so a blow-up fails
 * this test and not the build, and each is held to its exit code, one line (or one line per problem) on
 * stderr, and a wall-clock bound far below what the old code took (minutes, or never).
 */
class HostileCorpusTest {
    static final String HEAP = "256m";
    /** Generous for a loaded two-core machine: a run takes about a second, the old code minutes or forever. */
    private static final long LIGHT_S = 20;
    /** The largest accepted model files: about three seconds here. */
    private static final long HEAVY_S = 45;

    @TempDir
    static Path dir;

    record Run(int code, String out, String err, long millis) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private static Run llmplan(long seconds, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath(), "dev.llmplan.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve("no-config").toString());
        pb.environment().remove("LLMPLAN_CATALOG");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        long start = System.nanoTime();
        Process p = pb.start();
        boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (!done) {
            p.destroyForcibly().waitFor();
        }
        Run r = new Run(done ? p.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), millis);
        assertThat(done).as("llmplan %s finished within %d s (stderr: %s)", String.join(" ", args), seconds, r.err()).isTrue();
        assertThat(r.err()).as("no Java error escapes").doesNotContain("OutOfMemoryError").doesNotContain("\tat ")
                .doesNotContain("Exception in thread");
        return r;
    }

    private static Run llmplan(long seconds, String... args) throws Exception {
        return llmplan(seconds, Map.of(), args);
    }

    private static void oneLine(Run r, int code, String fragment) {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.errLines()).as(r.err()).hasSize(1);
        assertThat(r.err()).contains(fragment);
    }

    private static boolean mkfifo(Path p) throws Exception {
        try {
            Process proc = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
            return proc.waitFor(10, TimeUnit.SECONDS) && proc.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @BeforeAll
    static void fifos() throws Exception {
        Files.createDirectories(dir.resolve("fifo"));
    }

    // ---- model files (#2, #13) ----

    @Test
    void aQuarterGigabyteOfUnusedMetadataArraysIsSkipped() throws Exception {
        // Was: 154 s, 5.9 GB, then an OutOfMemoryError trace.
        Path f = dir.resolve("arrays.gguf");
        HostileFiles.ggufManyArrays(f, 60_000, 4096);
        assertThat(Files.size(f)).isGreaterThan(245_000_000L);
        Run r = llmplan(LIGHT_S, "inspect", f.toString());
        Files.delete(f);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("tensorCount      1");
    }

    @Test
    void theLargestGgufTensorTableAllowedFitsTheHeap() throws Exception {
        Path f = dir.resolve("tensors.gguf");
        HostileFiles.ggufManyTensors(f, 500_000, 63);
        Run r = llmplan(HEAVY_S, "inspect", f.toString(), "--format", "json");
        Files.delete(f);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"tensorCount\" : 500000");
    }

    @Test
    void moreTensorsThanTheLimitFailAtTheCount() throws Exception {
        Path f = dir.resolve("claimed.gguf");
        HostileFiles.ggufClaimedTensors(f, 500_001, 16_000_000);
        oneLine(llmplan(LIGHT_S, "inspect", f.toString()), 3, "more than 500000 tensors");
        Files.delete(f);
    }

    @Test
    void theLargestSafetensorsHeaderAllowedIsReadAsAStream() throws Exception {
        // Was: a 100 MiB header took 3.7 GB.
        Path f = dir.resolve("many.safetensors");
        HostileFiles.safetensorsManyTensors(f, 500_000, 140);
        assertThat(Files.size(f)).isGreaterThan(95_000_000L);
        Run r = llmplan(HEAVY_S, "inspect", f.toString(), "--format", "json");
        Files.delete(f);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"tensorCount\" : 500000");
    }

    @Test
    void aSafetensorsHeaderWithOneTensorTooManyFailsWhileReading() throws Exception {
        // Was: 1 GB of tree before the count was checked.
        Path f = dir.resolve("toomany.safetensors");
        HostileFiles.safetensorsManyTensors(f, 500_001, 8);
        oneLine(llmplan(LIGHT_S, "inspect", f.toString()), 3, "more than 500000 tensors");
        Files.delete(f);
    }

    @Test
    void overlappingAndDuplicateTensorsAreBadData() throws Exception {
        Path overlap = dir.resolve("overlap.gguf");
        HostileFiles.ggufOverlapping(overlap);
        oneLine(llmplan(LIGHT_S, "fit", overlap.toString()), 3, "overlap in the file");
        Path dup = dir.resolve("dup.gguf");
        HostileFiles.ggufDuplicateNames(dup);
        oneLine(llmplan(LIGHT_S, "inspect", dup.toString()), 3, "appears twice");
    }

    // ---- catalogs and plans (#3, #5, #8, #15) ----

    @Test
    void aFourMegabyteScalarIsRefusedFast() throws Exception {
        Path f = dir.resolve("scalar.yaml");
        Files.writeString(f, "schemaVersion: 1\nmodels:\n  - id: \"" + "x".repeat(4_000_000) + "\"\n");
        Run r = llmplan(LIGHT_S, "catalog", "validate", f.toString());
        oneLine(r, 3, "scalar.yaml:3: line longer than");
    }

    @Test
    void aHundredThousandBadEntriesPrintAHundredLinesAndACount() throws Exception {
        // Was: 700,000 lines.
        StringBuilder sb = new StringBuilder("schemaVersion: 1\ngpus:\n");
        for (int i = 0; i < 100_000; i++) {
            sb.append("  - {id: g").append(i).append(", bogus: 1}\n");
        }
        Path f = Files.writeString(dir.resolve("bad.yaml"), sb);
        Run r = llmplan(LIGHT_S, "catalog", "validate", f.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.errLines()).hasSize(101);
        assertThat(r.errLines().get(100)).endsWith(": and 599900 more problems (the first 100 are shown)");
    }

    @Test
    void hugeNumbersInAUserCatalogAreRefusedAtLoad() throws Exception {
        Path f = Files.writeString(dir.resolve("huge.yaml"), """
                schemaVersion: 1
                gpus:
                  - {id: big, name: Big, vendor: nvidia, category: datacenter, memoryGiB: 80, source: x}
                systems:
                  - {id: big-sys, name: Big, vendor: nvidia, gpu: big, count: 2147483647, source: x}
                """);
        // Was: 'fit 7B' ran out of memory listing 2^31 cards.
        oneLine(llmplan(LIGHT_S, Map.of("LLMPLAN_CATALOG", f.toString()), "fit", "7B"), 3,
                "huge.yaml:5: big-sys: count: must be between 1 and 1024, got 2147483647");
    }

    @Test
    void aPlanWithYamlInfinityIsOneProblemWithItsLine() throws Exception {
        Path f = Files.writeString(dir.resolve("plan.yaml"), """
                schemaVersion: 1
                entries:
                  - name: a
                    model: 7B
                    hardware: {gpu: h100}
                    requirements: {maxCostUsd: .inf}
                """);
        oneLine(llmplan(LIGHT_S, "check", f.toString()), 3, "plan.yaml:6: a: requirements.maxCostUsd: must be a finite number");
    }

    // ---- argument files, FIFOs and devices (#1, #6, #7) ----

    @Test
    void argumentFilesThatAreNotRegularFilesAreOneLineUsageErrors() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        oneLine(llmplan(LIGHT_S, "fit", "@/dev/zero"), 2, "is not a regular file");
        oneLine(llmplan(LIGHT_S, "fit", "@" + dir), 2, "is a directory");
        Path fifo = dir.resolve("fifo/args");
        assumeTrue(mkfifo(fifo), "mkfifo is not available");
        oneLine(llmplan(LIGHT_S, "fit", "@" + fifo), 2, "is not a regular file");
    }

    @Test
    void fifosAreNeverOpenedAsModelCatalogOrPlan() throws Exception {
        Path gguf = dir.resolve("fifo/model.gguf");
        Path yaml = dir.resolve("fifo/catalog.yaml");
        Path plan = dir.resolve("fifo/plan.yaml");
        assumeTrue(mkfifo(gguf) && mkfifo(yaml) && mkfifo(plan), "mkfifo is not available");
        oneLine(llmplan(LIGHT_S, "inspect", gguf.toString()), 3, "not a regular file");
        oneLine(llmplan(LIGHT_S, "catalog", "validate", yaml.toString()), 3, "not a regular file");
        oneLine(llmplan(LIGHT_S, "check", plan.toString()), 3, "not a regular file");
        Path planToFifo = Files.writeString(dir.resolve("fifo-model-plan.yaml"), """
                schemaVersion: 1
                entries:
                  - name: a
                    model: fifo/model.gguf
                    hardware: {gpu: h100}
                """);
        oneLine(llmplan(LIGHT_S, "check", planToFifo.toString()), 3, "not a regular file");
    }

    @Test
    void aJunitReportIsNeverWrittenOverADevice() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/null")));
        Path plan = Files.writeString(dir.resolve("ok-plan.yaml"), """
                schemaVersion: 1
                entries:
                  - name: a
                    model: 7B
                    hardware: {gpu: h100}
                """);
        oneLine(llmplan(LIGHT_S, "check", plan.toString(), "--junit", "/dev/null"), 2, "character device");
        assertThat(Files.isRegularFile(Path.of("/dev/null"))).isFalse();
        Path fifo = dir.resolve("fifo/report.xml");
        assumeTrue(mkfifo(fifo), "mkfifo is not available");
        oneLine(llmplan(LIGHT_S, "check", plan.toString(), "--junit", fifo.toString()), 2, "a FIFO");
    }

    // ---- locale (#4) ----

    @Test
    void withoutALocaleANonAsciiHomeIsAOneLineErrorNotACrash() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")) || Files.isExecutable(Path.of("/usr/bin/env")));
        // The directory name is made by the shell from bytes, so this JVM's own locale does not matter.
        String script = "d=\"$1/h$(printf '\\303\\266')me\"; mkdir -p \"$d\"; "
                + "exec env -i PATH=\"$PATH\" HOME=\"$d\" XDG_CONFIG_HOME=\"$d/.config\" \"$2\" -Xmx" + HEAP
                + " -cp \"$3\" dev.llmplan.Main fit 7B --no-ladder";
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script, "sh", dir.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), classpath());
        pb.redirectErrorStream(false);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(LIGHT_S, TimeUnit.SECONDS)).isTrue();
        // Was: exit 4 with an InvalidPathException. Without the launcher the JVM encodes file names in ASCII,
        // so the path cannot be used: one line saying so and how to fix it.
        assertThat(p.exitValue()).as(err + out).isEqualTo(2);
        assertThat(err.lines().toList()).as(err).hasSize(1);
        assertThat(err).contains("cannot use the path").contains("LC_ALL=C.UTF-8").doesNotContain("\tat ");
    }
}
