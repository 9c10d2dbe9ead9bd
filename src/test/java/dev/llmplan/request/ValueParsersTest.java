package dev.llmplan.request;

import dev.llmplan.engine.LlmplanException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parsers the issue-20 options added: counts that may be 0 (llama.cpp -ngl 0) and bandwidths in GB/s. */
class ValueParsersTest {
    @Test
    void aCountMayBeZeroButNotNegative() {
        assertThat(ValueParsers.count("0", "{gpuLayers}")).isZero();
        assertThat(ValueParsers.count(" 20 ", "{gpuLayers}")).isEqualTo(20);
        assertThatThrownBy(() -> ValueParsers.count("-1", "{gpuLayers}")).isInstanceOf(LlmplanException.class)
                .hasMessageContaining("{gpuLayers} must be 0 or more");
        assertThatThrownBy(() -> ValueParsers.count("all", "{gpuLayers}")).isInstanceOf(LlmplanException.class);
    }

    @Test
    void aBandwidthIsPositiveGigabytesPerSecond() {
        assertThat(ValueParsers.gbPerSecond("89.6", "{ramBandwidth}")).isEqualTo(89.6);
        assertThat(ValueParsers.gbPerSecond("204.8GB/s", "{ramBandwidth}")).isEqualTo(204.8);
        assertThat(ValueParsers.gbPerSecond("51.2 gbs", "{ramBandwidth}")).isEqualTo(51.2);
        assertThatThrownBy(() -> ValueParsers.gbPerSecond("0", "{ramBandwidth}")).isInstanceOf(LlmplanException.class);
        assertThatThrownBy(() -> ValueParsers.gbPerSecond("fast", "{ramBandwidth}")).isInstanceOf(LlmplanException.class);
    }
}
