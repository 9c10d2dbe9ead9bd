package dev.llmplan;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages form layers with arrows pointing one way (docs/ARCHITECTURE.md). A package may use
 * its own layer and those below it, never one above; the engine uses nothing but {@code java.*}.
 * Every reference is checked, imports and fully qualified names in code alike.
 */
class LayersTest {
    static final Path MAIN = Path.of("src/main/java/dev/llmplan");

    /** Lower numbers are lower layers; packages on the same layer must not use each other. */
    static final Map<String, Integer> LAYER = Map.ofEntries(
            Map.entry("engine", 0),
            Map.entry("plan", 1), Map.entry("yaml", 1),
            Map.entry("catalog", 2), Map.entry("modelfile", 2), Map.entry("planfile", 2), Map.entry("hub", 2),
            Map.entry("device", 2),
            Map.entry("request", 3),
            Map.entry("format", 4),
            Map.entry("cli", 5),
            Map.entry("shell", 6),
            Map.entry("", 7));

    static final Pattern REFERENCE = Pattern.compile("\\bdev\\.llmplan\\.([a-z]+)\\.[A-Z]");
    static final Pattern ROOT_REFERENCE = Pattern.compile("\\bdev\\.llmplan\\.[A-Z]");
    static final Pattern IMPORT = Pattern.compile("^import (static )?([\\w.]+)", Pattern.MULTILINE);

    record Violation(Path file, String used) {
    }

    @Test
    void noPackageUsesOneAboveItOrBesideIt() throws IOException {
        List<Violation> violations = new ArrayList<>();
        for (Path f : sources()) {
            String pkg = packageOf(f);
            assertThat(LAYER).as("layer of package '%s' (%s)", pkg, f).containsKey(pkg);
            String code = Files.readString(f);
            Matcher m = REFERENCE.matcher(code);
            while (m.find()) {
                String used = m.group(1);
                assertThat(LAYER).as("layer of package '%s' used in %s", used, f).containsKey(used);
                if (!used.equals(pkg) && LAYER.get(used) >= LAYER.get(pkg)) {
                    violations.add(new Violation(f, used));
                }
            }
            if (!pkg.isEmpty() && ROOT_REFERENCE.matcher(code).find()) {
                violations.add(new Violation(f, "dev.llmplan (root)"));
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theEngineImportsOnlyJava() throws IOException {
        List<String> foreign = new ArrayList<>();
        for (Path f : sources()) {
            if (!packageOf(f).equals("engine")) {
                continue;
            }
            Matcher m = IMPORT.matcher(Files.readString(f));
            while (m.find()) {
                String imported = m.group(2);
                if (!imported.startsWith("java.") && !imported.startsWith("dev.llmplan.engine.")) {
                    foreign.add(f.getFileName() + ": " + imported);
                }
            }
        }
        assertThat(foreign).isEmpty();
    }

    @Test
    void theLayerTableCoversEveryPackage() throws IOException {
        try (Stream<Path> dirs = Files.list(MAIN)) {
            dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
                    .forEach(p -> assertThat(LAYER).as("package %s has a layer", p).containsKey(p));
        }
    }

    static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    static String packageOf(Path f) {
        Path rel = MAIN.relativize(f.getParent());
        return rel.toString().replace('/', '.');
    }
}
