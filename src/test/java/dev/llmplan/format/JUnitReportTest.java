package dev.llmplan.format;

import dev.llmplan.engine.LlmplanException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JUnitReportTest {
    @TempDir
    Path dir;

    @Test
    void replacesOnlyTheNamedFileAndLeavesNoTemporaryFile() throws Exception {
        Path other = Files.writeString(dir.resolve("other.xml"), "keep");
        Path target = Files.writeString(dir.resolve("report.xml"), "old");
        JUnitReport.write(target, "<testsuites/>\n");
        assertThat(Files.readString(target)).isEqualTo("<testsuites/>\n");
        assertThat(Files.readString(other)).isEqualTo("keep");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("other.xml", "report.xml");
        }
    }

    @Test
    void refusesDirectoriesAndMissingParentsWithoutWritingAnything() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        assertThatThrownBy(() -> JUnitReport.write(sub, "<x/>")).isInstanceOf(LlmplanException.class)
                .hasMessageContaining("is a directory");
        assertThatThrownBy(() -> JUnitReport.write(dir.resolve("missing/report.xml"), "<x/>"))
                .isInstanceOf(LlmplanException.class).hasMessageContaining("does not exist");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("sub");
        }
    }

    @Test
    void escapesMarkupAndDropsCharactersXmlCannotHold() {
        assertThat(JUnitReport.attr("a<b & \"c\"\n\u0001")).isEqualTo("a&lt;b &amp; &quot;c&quot;&#10;");
        assertThat(JUnitReport.text("x > y\u0000")).isEqualTo("x &gt; y");
    }
}
