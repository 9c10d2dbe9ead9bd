package dev.llmplan.catalog;

import dev.llmplan.yaml.YamlReader;

import dev.llmplan.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Hostile catalog files: each must end in a clean one-line error and exit code 3, within bounded
 * time and memory (YamlReader's limits), never a stack trace or an out-of-memory.
 */
class HostileYamlTest {
    /** Generous: a real run takes milliseconds; this only catches a hang or an exponential blow-up. */
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private CliRunner.Result validate(byte[] content) throws Exception {
        Path file = dir.resolve("hostile.yaml");
        Files.write(file, content);
        return assertTimeoutPreemptively(BOUND, () -> CliRunner.run("catalog", "validate", file.toString()));
    }

    private CliRunner.Result validate(String content) throws Exception {
        return validate(content.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertCleanBadData(CliRunner.Result r) {
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).startsWith("llmplan catalog validate: ").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void billionLaughsAliasBomb() throws Exception {
        StringBuilder sb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'j'; c++) {
            sb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                sb.append(i == 0 ? "" : ",").append('*').append(prev);
            }
            sb.append("]\n");
            prev = c;
        }
        assertCleanBadData(validate(sb.toString()));
    }

    @Test
    void deepNesting() throws Exception {
        assertCleanBadData(validate("models: " + "[".repeat(5000) + "]".repeat(5000) + "\n"));
    }

    @Test
    void hugeScalar() throws Exception {
        assertCleanBadData(validate("schemaVersion: 1\nmodels:\n  - id: \"" + "x".repeat(2_000_000) + "\"\n"));
    }

    @Test
    void aLongValueIsRefusedEvenWhenItSpansShortLines() throws Exception {
        // Issue 16 #8: the documented 64 KiB value limit held only for JSON; a 1 MB notes field validated.
        StringBuilder notes = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            notes.append("      the same line of notes, fifty characters long\n");
        }
        CliRunner.Result r = validate("schemaVersion: 1\nmodels:\n  - id: x\n    notes: |\n" + notes);
        assertCleanBadData(r);
        assertThat(r.err()).contains("hostile.yaml:4: a value longer than 65536 characters");
    }

    @Test
    void aFourMegabyteQuotedScalarIsRefusedBeforeScanning() throws Exception {
        // SnakeYAML's look-ahead made this take about 10 s (quadratic in the run without spaces).
        CliRunner.Result r = validate("schemaVersion: 1\nmodels:\n  - id: \"" + "x".repeat(4_000_000) + "\"\n");
        assertCleanBadData(r);
        assertThat(r.err()).contains("hostile.yaml:3: line longer than 66560 characters");
    }

    @Test
    void fileLargerThanTheLimit() throws Exception {
        assertCleanBadData(validate("# " + "x".repeat(YamlReader.MAX_DOCUMENT_CHARS + 10) + "\n"));
    }

    @Test
    void tabsForIndentation() throws Exception {
        assertCleanBadData(validate("schemaVersion: 1\nmodels:\n\t- id: x\n"));
    }

    @Test
    void duplicateKeys() throws Exception {
        CliRunner.Result r = validate("schemaVersion: 1\nschemaVersion: 1\n");
        assertCleanBadData(r);
        assertThat(r.err()).contains(":2:").containsIgnoringCase("duplicate").contains("schemaVersion");
    }

    @Test
    void nonUtf8Bytes() throws Exception {
        CliRunner.Result r = validate(new byte[] {'m', 'o', 'd', 'e', 'l', 's', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
        assertCleanBadData(r);
        assertThat(r.err()).contains("not valid UTF-8");
    }

    @Test
    void emptyFile() throws Exception {
        CliRunner.Result r = validate("");
        assertCleanBadData(r);
        assertThat(r.err()).contains("empty");
    }

    @Test
    void wrongTopLevelTypes() throws Exception {
        assertCleanBadData(validate("- just\n- a list\n"));
        assertCleanBadData(validate("models: 42\n"));
        assertCleanBadData(validate("models:\n  - 42\n"));
    }

    @Test
    void missingFileIsBadData() {
        CliRunner.Result r = CliRunner.run("catalog", "validate", dir.resolve("nope.yaml").toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("no such file");
    }
}
