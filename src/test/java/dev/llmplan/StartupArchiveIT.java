package dev.llmplan;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up mechanisms of README "Start-up", after `mvn package`: the class-data sharing archive maps
 * and holds our and picocli's classes, picocli's classes are compiled for Java 17 (CDS refuses class files
 * older than Java 6), and on a Java 25 JDK the launcher records and uses its ahead-of-time cache. Timings
 * are not asserted (scripts/startup-benchmark.sh measures them).
 */
class StartupArchiveIT {
    private static final Path JAR = Path.of("target/llmplan.jar").toAbsolutePath();
    private static final Path ARCHIVE = Path.of("target/llmplan.jsa").toAbsolutePath();
    private static final Path DOCUMENTS_ARCHIVE = Path.of("target/llmplan-documents.jsa").toAbsolutePath();

    record Run(int code, String out) {
    }

    private static Run run(List<String> command, List<String> pathPrefix) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .directory(new File(System.getProperty("java.io.tmpdir")));
        if (!pathPrefix.isEmpty()) {
            pb.environment().put("PATH", String.join(File.pathSeparator, pathPrefix) + File.pathSeparator
                    + System.getenv("PATH"));
        }
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** The java that runs the tests: the one the package step recorded the archive with. */
    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs a command on an archive with -Xshare:on, which refuses to start when the archive cannot be used. */
    private static Run onArchive(Path archive, String... command) throws Exception {
        assertThat(archive).exists();
        List<String> line = new ArrayList<>(List.of(java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:on",
                "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info", "-jar", JAR.toString()));
        line.addAll(List.of(command));
        Run r = run(line, List.of());
        assertThat(r.code()).as(r.out()).isZero();
        return r;
    }

    private static void assertArchived(Run r, String... classes) {
        for (String cls : classes) {
            assertThat(r.out()).as(cls).containsPattern("\\] " + java.util.regex.Pattern.quote(cls)
                    + " source: shared objects file");
        }
    }

    @Test
    void theArchiveMapsAndHoldsTheClassesOfACommand() throws Exception {
        Run r = onArchive(ARCHIVE, "fit", "70B", "--quant", "8bit");
        assertThat(r.out()).contains("weights 65.19 GiB");
        assertArchived(r, "dev.llmplan.Main", "dev.llmplan.catalog.CompiledCatalog", "picocli.CommandLine",
                "picocli.CommandLine$Model$CommandSpec", "dev.llmplan.format.FitReport");
        // Jackson's serialisers are only in the documents archive (each start maps its archive's size).
        assertThat(r.out()).doesNotContain("com.fasterxml.jackson.databind.ObjectMapper");
    }

    /**
     * A record's generated equals/hashCode link through ObjectMethods.bootstrap, which spins about twenty
     * method-handle classes no archive holds; the table fit must not call one (records on its path that are
     * compared write equals/hashCode out, as RuntimeVersion does).
     */
    @Test
    void aTableFitLinksNoRecordObjectMethods() throws Exception {
        List<String> line = List.of(java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-XX:SharedArchiveFile=" + ARCHIVE, "-Djava.lang.invoke.MethodHandle.TRACE_METHOD_LINKAGE=true",
                "-jar", JAR.toString(), "fit", "70B", "--quant", "8bit");
        Run r = run(line, List.of());
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("linkCallSite").doesNotContain("ObjectMethods.bootstrap");
    }

    @Test
    void theDocumentsArchiveHoldsJacksonForJsonOutput() throws Exception {
        Run r = onArchive(DOCUMENTS_ARCHIVE, "fit", "llama-2-7b", "--format", "json");
        assertThat(r.out()).contains("\"schemaVersion\"");
        assertArchived(r, "dev.llmplan.Main", "com.fasterxml.jackson.databind.ObjectMapper",
                "com.fasterxml.jackson.databind.ser.BeanSerializerFactory");
    }

    @Test
    void picocliIsCompiledForJava17() throws IOException {
        int checked = 0;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (JarEntry e : java.util.Collections.list(jar.entries())) {
                if (e.getName().startsWith("picocli/") && e.getName().endsWith(".class")) {
                    try (InputStream in = jar.getInputStream(e)) {
                        byte[] head = in.readNBytes(8);
                        int major = ((head[6] & 0xff) << 8) | (head[7] & 0xff);
                        assertThat(major).as(e.getName()).isGreaterThanOrEqualTo(61);
                    }
                    checked++;
                }
            }
        }
        assertThat(checked).as("picocli classes in the jar").isGreaterThan(100);
    }

    /** A JDK of feature version 25 or later next to this one (/usr/lib/jvm), if any. */
    private static Path java25() throws IOException {
        Path jvms = Path.of(System.getProperty("java.home")).getParent();
        if (jvms == null || !Files.isDirectory(jvms)) {
            return null;
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            for (Path home : (Iterable<Path>) homes.sorted()::iterator) {
                Path release = home.resolve("release");
                if (Files.isRegularFile(release) && Files.isExecutable(home.resolve("bin/java"))) {
                    for (String line : Files.readAllLines(release)) {
                        if (line.startsWith("JAVA_VERSION=\"")) {
                            String v = line.substring("JAVA_VERSION=\"".length()).replaceAll("[.\"+-].*", "");
                            if (v.matches("\\d+") && Integer.parseInt(v) >= 25) {
                                return home;
                            }
                        }
                    }
                }
            }
        }
        return null;
    }

    @Test
    void onJava25TheLauncherRecordsAndUsesAnAheadOfTimeCache() throws Exception {
        Path home = java25();
        Assumptions.assumeTrue(home != null, "no Java 25 JDK next to " + System.getProperty("java.home"));
        Path launcher = Path.of("llmplan").toAbsolutePath();
        List<String> bin = List.of(home.resolve("bin").toString());
        try (Stream<Path> old = Files.list(JAR.getParent())) {
            for (Path p : (Iterable<Path>) old::iterator) {
                if (p.getFileName().toString().contains(".aot")) {
                    Files.delete(p);
                }
            }
        }
        Run first = run(List.of("bash", launcher.toString(), "fit", "70B", "--quant", "8bit"), bin);
        assertThat(first.code()).as(first.out()).isZero();
        assertThat(first.out()).contains("recording the start-up cache").contains("weights 65.19 GiB");
        List<Path> caches = new ArrayList<>();
        try (Stream<Path> files = Files.list(JAR.getParent())) {
            files.filter(p -> p.getFileName().toString().endsWith(".aot")).forEach(caches::add);
        }
        assertThat(caches).hasSize(1);
        // AOTMode=on refuses to start when the cache cannot be used.
        Run strict = run(List.of(home.resolve("bin/java").toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:AOTMode=on", "-XX:AOTCache=" + caches.get(0), "-jar", JAR.toString(), "--version"), List.of());
        assertThat(strict.code()).as(strict.out()).isZero();
        Run second = run(List.of("bash", launcher.toString(), "fit", "70B", "--quant", "8bit"), bin);
        assertThat(second.code()).isZero();
        assertThat(second.out()).doesNotContain("recording").isEqualTo(first.out().substring(first.out().indexOf('\n') + 1));
    }
}
