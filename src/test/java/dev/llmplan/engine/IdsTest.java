package dev.llmplan.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The option enums share one lookup; their error messages keep the wording users already see. */
class IdsTest {
    @Test
    void messagesListTheIdsAsAlternatives() {
        assertThatThrownBy(() -> TrainingOptions.Precision.parse("fp8"))
                .hasMessage("unknown precision 'fp8': expected fp32, fp16-mixed, bf16-mixed or bf16-pure");
        assertThatThrownBy(() -> TrainingOptions.Optimizer.parse("adagrad")).hasMessage("unknown optimizer 'adagrad':"
                + " expected adamw, adamw-8bit, paged-adamw-8bit, sgd, sgd-momentum, adafactor or lion");
        assertThatThrownBy(() -> TrainingOptions.Checkpointing.parse("some"))
                .hasMessage("unknown gradient checkpointing 'some': expected none, full or selective");
        assertThatThrownBy(() -> TrainingOptions.Offload.parse("disk"))
                .hasMessage("unknown offload 'disk': expected none, cpu or nvme");
    }

    @Test
    void messagesListTheIdsAsOneOf() {
        assertThatThrownBy(() -> Mode.parse("dance")).hasMessage("unknown mode 'dance': expected one of " + Mode.ids());
        assertThat(Mode.ids()).startsWith("load, inference, train, lora, qlora");
        assertThatThrownBy(() -> KvFormat.parse("q3")).hasMessage("unknown KV-cache format 'q3': expected one of "
                + "fp32, fp16, bf16, fp8, q8_0, q5_1, q5_0, q4_1, q4_0, iq4_nl");
    }

    @Test
    void aliasesAndNormalisationStillResolve() {
        assertThat(TrainingOptions.Precision.parse(" BF16_MIXED ")).isEqualTo(TrainingOptions.Precision.BF16_MIXED);
        assertThat(TrainingOptions.Optimizer.parse("adam")).isEqualTo(TrainingOptions.Optimizer.ADAMW);
        assertThat(TrainingOptions.Checkpointing.parse("on")).isEqualTo(TrainingOptions.Checkpointing.FULL);
        assertThat(Mode.parse("ptuning")).isEqualTo(Mode.P_TUNING);
        assertThat(KvFormat.parse("int8")).isEqualTo(KvFormat.Q8_0);
    }
}
