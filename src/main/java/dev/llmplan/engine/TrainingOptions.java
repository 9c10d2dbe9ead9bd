package dev.llmplan.engine;

import java.util.List;
import java.util.Locale;

/** Fine-tuning settings; a null field means "the mode's default" (QLoRA differs from LoRA). */
public record TrainingOptions(
        Precision precision,
        Optimizer optimizer,
        Checkpointing checkpointing,
        Integer loraRank,
        List<String> loraTargets,
        Integer zeroStage,
        Offload offload,
        Long rewardModelParams,
        Long criticModelParams,
        Integer virtualTokens,
        Double loraDropout,
        FsdpWrap fsdpWrap,
        Integer gradAccumulation,
        Trainer trainer) {

    public static final TrainingOptions DEFAULTS = new TrainingOptions(null, null, null, null, null, null, null, null, null, null);

    /**
     * {@code zeroStage} of PyTorch FSDP (FULL_SHARD): it shards parameters, gradients and optimizer states as ZeRO-3
     * does (every "stage 3 or more" rule applies), and differs from DeepSpeed where FSDP's own code does: gradient
     * accumulation under no_sync, the flat parameters' gradients after zero_grad.
     */
    public static final int FSDP_STAGE = 4;

    /** Whether {@code {zero}} fsdp was asked for (FSDP by name). */
    public boolean fsdp() {
        return zeroStage != null && zeroStage == FSDP_STAGE;
    }

    /**
     * Whether {@code mode} runs sharded by PyTorch FSDP rather than DeepSpeed ZeRO: {@code {zero}} fsdp, or stage 3 of a
     * trainer that only shards with FSDP (LitGPT's Fabric, Answer.AI's train.py), or of adapters wrapped as whole blocks
     * ({@code {fsdpWrap}} blocks, an FSDP wrapping policy).
     */
    public boolean shardsWithFsdp(Mode mode) {
        return fsdp() || zeroStage != null && zeroStage == 3
                && (litgpt() || trainer == Trainer.ANSWERAI_FSDP || wrapsBlocks(mode));
    }

    /**
     * Whether {@code {fsdpWrap}} blocks applies: LoRA adapters ({@link Mode#hasLoraAdapters}) under stage 3 or FSDP,
     * wrapped with their whole transformer blocks. The one rule for what the option changes and when it is ignored.
     */
    public boolean wrapsBlocks(Mode mode) {
        return fsdpWrap == FsdpWrap.BLOCKS && zeroStage != null && zeroStage >= 3 && mode.hasLoraAdapters();
    }

    /** Settings without a LoRA dropout (PEFT's default, 0). */
    public TrainingOptions(Precision precision, Optimizer optimizer, Checkpointing checkpointing, Integer loraRank,
                           List<String> loraTargets, Integer zeroStage, Offload offload, Long rewardModelParams,
                           Long criticModelParams, Integer virtualTokens) {
        this(precision, optimizer, checkpointing, loraRank, loraTargets, zeroStage, offload, rewardModelParams,
                criticModelParams, virtualTokens, null, null, null, null);
    }

    /** The same settings with another ZeRO stage. */
    public TrainingOptions withZeroStage(int stage) {
        return new TrainingOptions(precision, optimizer, checkpointing, loraRank, loraTargets, stage, offload,
                rewardModelParams, criticModelParams, virtualTokens, loraDropout, fsdpWrap, gradAccumulation, trainer);
    }

    /** Whether the run is LitGPT's (Lightning Fabric) rather than Hugging Face Trainer + PEFT (the default). */
    public boolean litgpt() {
        return trainer == Trainer.LITGPT;
    }

    /**
     * Whether the gradients are freed between optimizer steps and so never alive with a forward's activations: one
     * micro-batch per step (HF Trainer's zero_grad(set_to_none=True) after each step). Unset is taken as accumulation,
     * the larger peak.
     */
    public boolean gradientsFreedBetweenSteps() {
        return gradAccumulation != null && gradAccumulation == 1;
    }

    /** Whether the adapters apply dropout to their inputs (PEFT LoraConfig lora_dropout > 0). */
    public boolean loraDropoutOn() {
        return loraDropout != null && loraDropout > 0;
    }

    public enum Precision {
        FP32("fp32"), FP16_MIXED("fp16-mixed"), BF16_MIXED("bf16-mixed"), BF16_PURE("bf16-pure");

        private final String id;

        Precision(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Precision parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            return Ids.parse(values(), Precision::id, t, text, "precision");
        }
    }

    public enum Optimizer {
        ADAMW("adamw"), ADAMW_8BIT("adamw-8bit"), PAGED_ADAMW_8BIT("paged-adamw-8bit"), SGD("sgd"),
        SGD_MOMENTUM("sgd-momentum"), ADAFACTOR("adafactor"), LION("lion");

        private final String id;

        Optimizer(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Optimizer parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            if (t.equals("adam")) {
                t = "adamw";
            }
            return Ids.parse(values(), Optimizer::id, t, text, "optimizer");
        }
    }

    public enum Checkpointing {
        NONE, FULL, SELECTIVE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Checkpointing parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            switch (t) {
                case "off", "false", "no" -> t = "none";
                case "on", "true", "yes" -> t = "full";
                default -> { }
            }
            return Ids.parse(values(), Checkpointing::id, t, text, "gradient checkpointing");
        }
    }

    /**
     * How FSDP wraps a model whose adapters are trained: {@code adapters} puts the trainable weights in units of
     * their own (PEFT's fsdp_auto_wrap_policy; FSDP2 shards per parameter), {@code blocks} wraps whole transformer
     * blocks, so frozen and adapter weights share one flat parameter (Lightning's FSDP strategy; LitGPT's recipes until
     * their move to FSDP2 in 2025).
     */
    public enum FsdpWrap {
        ADAPTERS, BLOCKS;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static FsdpWrap parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            return Ids.parse(values(), FsdpWrap::id, t, text, "FSDP wrapping");
        }
    }

    /**
     * The training code: {@code hf} (Hugging Face Trainer with PEFT adapters; the default), {@code trl} (TRL's
     * SFTTrainer: PEFT's k-bit preparation, then a 4-bit model's embeddings and head back in bf16) or {@code litgpt}
     * (Lightning-AI/litgpt on Lightning Fabric: its own GPT module with a fused qkv, LoRA layers and precision plugins)
     * or {@code answerai-fsdp} (Answer.AI's fsdp_qlora train.py: PEFT adapters on a bf16 model wrapped by PyTorch FSDP
     * with its own loop, see {@link AnswerAiFsdp}).
     */
    public enum Trainer {
        HF, TRL, LITGPT, ANSWERAI_FSDP;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Trainer parse(String text) {
            return Ids.parse(values(), Trainer::id, text.trim().toLowerCase(Locale.ROOT), text, "trainer");
        }
    }

    public enum Offload {
        NONE, CPU, NVME;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Offload parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            return Ids.parse(values(), Offload::id, t, text, "offload");
        }
    }
}
