package dev.llmplan.properties;

import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.ParamCount;
import dev.llmplan.engine.Tokens;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The size and token parsers accept what the README documents and reject the rest with a message. */
class ParserPropertiesTest {
    @Property
    void sizesRoundTripThroughTheirSuffix(@ForAll @IntRange(min = 1, max = 999) int n) {
        assertThat(ParamCount.parse(n + "B").value()).isEqualTo(n * 1_000_000_000L);
        assertThat(ParamCount.parse(n + "m").value()).isEqualTo(n * 1_000_000L);
        assertThat(ParamCount.parseSize(n + "x7B").experts()).isEqualTo(n);
    }

    @Property
    void contextsUseBinaryK(@ForAll @IntRange(min = 1, max = 1024) int k) {
        assertThat(Tokens.parse(k + "k", "--context")).isEqualTo(k * 1024);
    }

    @Property(tries = 500)
    void anyStringIsParsedOrRejectedWithAUsageMessage(@ForAll @StringLength(max = 12) String text) {
        try {
            long v = ParamCount.parse(text).value();
            assertThat(v).isPositive();
        } catch (LlmplanException e) {
            assertThat(e.kind()).isEqualTo(LlmplanException.Kind.INVALID_REQUEST);
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
        }
        try {
            assertThat(Tokens.parse(text, "--context")).isPositive();
        } catch (LlmplanException e) {
            assertThat(e.getMessage()).startsWith("--context");
        }
    }

    @Property
    void negativeAndZeroSizesAreRejected(@ForAll @IntRange(min = 0, max = 1000) int n) {
        assertThatThrownBy(() -> ParamCount.parse("-" + n + "B")).isInstanceOf(LlmplanException.class);
        assertThatThrownBy(() -> ParamCount.parse("0" + "B")).isInstanceOf(LlmplanException.class);
    }
}
