package dev.llmplan.shell;

import dev.llmplan.engine.LlmplanException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shell lines split as a POSIX shell splits plain words (IEEE Std 1003.1, 2.2 Quoting). */
class LineSplitterTest {
    @Test
    void quotesGroupWordsAndAreRemoved() {
        assertThat(LineSplitter.split("fit llama-2-70b --quant 4bit --gpu \"2x rtx-4090\""))
                .containsExactly("fit", "llama-2-70b", "--quant", "4bit", "--gpu", "2x rtx-4090");
        assertThat(LineSplitter.split("set gpu '2x rtx-4060-ti-16gb'")).containsExactly("set", "gpu", "2x rtx-4060-ti-16gb");
        assertThat(LineSplitter.split("fit \"Llama 2 70B\"")).containsExactly("fit", "Llama 2 70B");
    }

    @Test
    void backslashesEscapeOutsideAndSomeCharactersInsideDoubleQuotes() {
        assertThat(LineSplitter.split("a\\ b c")).containsExactly("a b", "c");
        assertThat(LineSplitter.split("\"say \\\"hi\\\" \\n\"")).containsExactly("say \"hi\" \\n");
        assertThat(LineSplitter.split("'it''s'")).containsExactly("its");
        assertThat(LineSplitter.split("'a \\ b'")).containsExactly("a \\ b");
    }

    @Test
    void emptyQuotesAreAnEmptyWordAndBlanksSeparate() {
        assertThat(LineSplitter.split("  fit\t''  x ")).containsExactly("fit", "", "x");
        assertThat(LineSplitter.split("   ")).isEqualTo(List.of());
    }

    @Test
    void anUnterminatedQuoteIsAnError() {
        assertThatThrownBy(() -> LineSplitter.split("fit \"7B")).isInstanceOf(LlmplanException.class)
                .hasMessageContaining("unterminated \" quote");
        assertThatThrownBy(() -> LineSplitter.split("fit '7B")).isInstanceOf(LlmplanException.class);
    }

    @Test
    void aReadmeLinePastedIntoTheShellRuns() throws Exception {
        ShellHarness.Session s = ShellHarness.run("fit llama-2-70b --quant 4bit --gpu \"2x rtx-4090\" --no-ladder\nexit\n",
                java.util.Map.of(), null);
        assertThat(s.output()).contains("On 2x rtx-4090").doesNotContain("unknown GPU");
    }
}
