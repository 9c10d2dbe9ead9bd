package dev.llmplan.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParamCountTest {
    @ParameterizedTest
    @CsvSource({"70B,70000000000", "1.3b,1300000000", "350M,350000000", "1.2T,1200000000000",
            "7000000000,7000000000", "125m,125000000", " 13B ,13000000000"})
    void parsesSizes(String text, long expected) {
        assertThat(ParamCount.parse(text).value()).isEqualTo(expected);
    }

    @Test
    void parsesMixtureOfExpertsShorthand() {
        ParamCount.Size size = ParamCount.parseSize("8x7B");
        assertThat(size.experts()).isEqualTo(8);
        assertThat(size.perExpert().value()).isEqualTo(7_000_000_000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"70Q", "-5B", "0B", "B", "", "7B7", "x7B"})
    void rejectsMalformedSizesWithUsageError(String text) {
        assertThatThrownBy(() -> ParamCount.parseSize(text))
                .isInstanceOf(LlmplanException.class)
                .satisfies(e -> assertThat(((LlmplanException) e).kind()).isEqualTo(LlmplanException.Kind.INVALID_REQUEST));
    }

    @Test
    void namesTheBadSuffix() {
        assertThatThrownBy(() -> ParamCount.parse("70Q")).hasMessageContaining("'Q'");
    }
}
