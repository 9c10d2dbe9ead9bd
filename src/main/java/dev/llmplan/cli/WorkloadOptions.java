package dev.llmplan.cli;

import dev.llmplan.engine.KvFormat;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.Mode;
import dev.llmplan.engine.ParamCount;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.Runtime;
import dev.llmplan.engine.Tokens;
import dev.llmplan.engine.TrainingOptions;
import dev.llmplan.engine.WeightFormat;
import dev.llmplan.engine.Workload;
import dev.llmplan.modelfile.LocalModel;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.Map;
import java.util.LinkedHashMap;

/**
 * Workload options shared by {@code fit}, {@code recommend}, {@code models --fits} and plan files.
 * Values stay strings until {@link #toWorkload} so every parse error has one message style.
 */
public final class WorkloadOptions {
    @Option(names = {"-q", "--quant"}, completionCandidates = Candidates.Quant.class, paramLabel = "FORMAT",
            description = "Weights format: fp32 fp16 bf16 fp8 int8|8bit int4|4bit nf4 nf4-dq gptq-4bit gptq-8bit "
                    + "awq-4bit 4.65bpw, or a GGUF type (q4_k_m, q8_0, ...). Default: the model's 16-bit dtype.")
    String quant;

    @Option(names = "--group-size", paramLabel = "N", description = "GPTQ/AWQ group size (default 128).")
    Integer groupSize;

    @Option(names = {"-m", "--mode"}, completionCandidates = Candidates.Modes.class, paramLabel = "MODE",
            description = "load, inference (default), train, lora, qlora, adalora, prefix, prompt, p-tuning, rlhf.")
    String mode;

    @Option(names = {"-c", "--context"}, paramLabel = "TOKENS",
            description = "Context length (sequence length in training): 4096, 8k, 128k. Default 4096, "
                    + "or the model's maximum when smaller.")
    String context;

    @Option(names = {"-b", "--batch"}, paramLabel = "N",
            description = "Concurrent sequences (micro-batch per GPU in training). Default 1.")
    String batch;

    @Option(names = "--kv-cache", completionCandidates = Candidates.KvFormats.class, paramLabel = "FORMAT",
            description = "KV-cache precision: fp16 bf16 fp8 q8_0 q4_0 (default: the model's 16-bit dtype).")
    String kvCache;

    @Option(names = "--runtime", completionCandidates = Candidates.Runtimes.class, paramLabel = "RUNTIME",
            description = "transformers, vllm, llama.cpp or generic (default: llama.cpp for GGUF, else transformers).")
    String runtime;

    @Option(names = "--flash-attention", paramLabel = "on|off",
            description = "FlashAttention / SDPA kernels (default on).")
    String flashAttention;

    @Option(names = "--precision", completionCandidates = Candidates.Precisions.class, paramLabel = "P", description = "Training precision: fp32 fp16-mixed bf16-mixed bf16-pure.")
    String precision;

    @Option(names = "--optimizer", completionCandidates = Candidates.Optimizers.class, paramLabel = "OPT",
            description = "adamw adamw-8bit paged-adamw-8bit sgd sgd-momentum adafactor lion.")
    String optimizer;

    @Option(names = "--grad-checkpointing", paramLabel = "none|full|selective", description = "Activation recomputation.")
    String gradCheckpointing;

    @Option(names = "--lora-rank", paramLabel = "R", description = "LoRA rank (default 16; 64 for qlora).")
    String loraRank;

    @Option(names = "--lora-targets", paramLabel = "TARGETS",
            description = "qv, qkvo, all-linear, or module names such as q_proj,v_proj.")
    String loraTargets;

    @Option(names = "--zero", paramLabel = "STAGE", description = "DeepSpeed ZeRO stage 0, 1, 2, 3, or fsdp.")
    String zero;

    @Option(names = "--offload", paramLabel = "none|cpu|nvme", description = "ZeRO offload of optimizer states / parameters.")
    String offload;

    @Option(names = "--virtual-tokens", paramLabel = "N",
            description = "Soft tokens for prefix, prompt and p-tuning (default 20, PEFT's examples).")
    String virtualTokens;

    @Option(names = "--reward-model", paramLabel = "SIZE", description = "RLHF reward model size, e.g. 350M (default: the actor's).")
    String rewardModel;

    @Option(names = "--critic-model", paramLabel = "SIZE", description = "RLHF critic size, e.g. 350M (default: the actor's).")
    String criticModel;

    /** Plan-file keys (the long option names in camelCase) and the field each sets. */
    static final Map<String, BiConsumer<WorkloadOptions, String>> KEYS = keys();

    private static Map<String, BiConsumer<WorkloadOptions, String>> keys() {
        Map<String, BiConsumer<WorkloadOptions, String>> m = new LinkedHashMap<>();
        m.put("quant", (o, v) -> o.quant = v);
        m.put("groupSize", (o, v) -> o.groupSize = Integer.valueOf(v));
        m.put("mode", (o, v) -> o.mode = v);
        m.put("context", (o, v) -> o.context = v);
        m.put("batch", (o, v) -> o.batch = v);
        m.put("kvCache", (o, v) -> o.kvCache = v);
        m.put("runtime", (o, v) -> o.runtime = v);
        m.put("flashAttention", (o, v) -> o.flashAttention = v);
        m.put("precision", (o, v) -> o.precision = v);
        m.put("optimizer", (o, v) -> o.optimizer = v);
        m.put("gradCheckpointing", (o, v) -> o.gradCheckpointing = v);
        m.put("loraRank", (o, v) -> o.loraRank = v);
        m.put("loraTargets", (o, v) -> o.loraTargets = v);
        m.put("zero", (o, v) -> o.zero = v);
        m.put("offload", (o, v) -> o.offload = v);
        m.put("virtualTokens", (o, v) -> o.virtualTokens = v);
        m.put("rewardModel", (o, v) -> o.rewardModel = v);
        m.put("criticModel", (o, v) -> o.criticModel = v);
        return m;
    }

    /** Sets one option from a plan file's key and text value. */
    void set(String key, String value) {
        BiConsumer<WorkloadOptions, String> setter = KEYS.get(key);
        if (setter == null) {
            throw new IllegalArgumentException("not a workload key: " + key);
        }
        setter.accept(this, value);
    }

    public Workload toWorkload(ModelSpec model, int gpuCount) {
        return toWorkload(LocalModel.of(model), gpuCount);
    }

    /** As above; a model read from files defaults to the format its weights are stored in. */
    public Workload toWorkload(LocalModel local, int gpuCount) {
        ModelSpec model = local.spec();
        Mode m = mode == null ? Mode.INFERENCE : Mode.parse(mode);
        WeightFormat format = quant != null ? WeightFormat.parse(quant, positive(groupSize, "--group-size"))
                : local.defaultQuant() != null && m != Mode.QLORA ? WeightFormat.parse(local.defaultQuant(), null)
                : WeightFormat.defaultFor(model, m, precision == null ? null : TrainingOptions.Precision.parse(precision));
        Integer ctx = context == null ? null : Tokens.parse(context, "--context");
        int b = batch == null ? 1 : positiveInt(batch, "--batch");
        KvFormat kv = kvCache == null ? null : KvFormat.parse(kvCache);
        Runtime rt = runtime == null ? null : Runtime.parse(runtime);
        Boolean flash = flashAttention == null ? null : onOff(flashAttention, "--flash-attention");
        TrainingOptions t = new TrainingOptions(
                precision == null ? null : TrainingOptions.Precision.parse(precision),
                optimizer == null ? null : TrainingOptions.Optimizer.parse(optimizer),
                gradCheckpointing == null ? null : TrainingOptions.Checkpointing.parse(gradCheckpointing),
                loraRank == null ? null : positiveInt(loraRank, "--lora-rank"),
                loraTargets == null ? null : Arrays.stream(loraTargets.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                zero == null ? null : zeroStage(zero),
                offload == null ? null : TrainingOptions.Offload.parse(offload),
                rewardModel == null ? null : ParamCount.parse(rewardModel).value(),
                criticModel == null ? null : ParamCount.parse(criticModel).value(),
                virtualTokens == null ? null : positiveInt(virtualTokens, "--virtual-tokens"));
        return new Workload(m, format, ctx, b, kv, rt, flash, gpuCount, t);
    }


    static int positiveInt(String text, String option) {
        try {
            long v = Long.parseLong(text.trim());
            if (v < 1 || v > 100_000_000) {
                throw LlmplanException.usage(option + " must be between 1 and 100000000, got " + text);
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw LlmplanException.usage(option + " '" + text + "' is not a whole number");
        }
    }

    static Integer positive(Integer v, String option) {
        if (v != null && v < 1) {
            throw LlmplanException.usage(option + " must be positive, got " + v);
        }
        return v;
    }

    static boolean onOff(String text, String option) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes", "1" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw LlmplanException.usage(option + " expects on or off, got '" + text + "'");
        };
    }

    static int zeroStage(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("fsdp")) {
            return 3;
        }
        if (List.of("0", "1", "2", "3").contains(t)) {
            return Integer.parseInt(t);
        }
        throw LlmplanException.usage("--zero expects 0, 1, 2, 3 or fsdp, got '" + text + "'");
    }
}
