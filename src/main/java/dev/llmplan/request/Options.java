package dev.llmplan.request;

import dev.llmplan.engine.KvFormat;
import dev.llmplan.engine.Mode;
import dev.llmplan.engine.ParamCount;
import dev.llmplan.engine.Runtime;
import dev.llmplan.engine.Runtimes;
import dev.llmplan.engine.Tokens;
import dev.llmplan.engine.TrainingOptions;
import dev.llmplan.engine.WeightFormat;
import dev.llmplan.plan.ByteSize;
import dev.llmplan.plan.Strategy;
import dev.llmplan.planfile.PlanKey;
import dev.llmplan.planfile.PlanKey.ValueType;
import dev.llmplan.request.UserOption.Section;
import dev.llmplan.request.UserOption.Use;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every user setting of a workload and its hardware, declared once. The CLI builds its options from
 * this table, plan files read their keys from it, the shell's {@code set} and completion use it, and a
 * test holds the plan JSON Schema to it. Adding a setting is one entry here plus the code that uses it.
 */
public final class Options {
    private static final List<UserOption> ALL = new ArrayList<>();
    private static final Set<Use> EVERYWHERE = Use.ALL;
    private static final Set<Use> NOT_RECOMMEND = EnumSet.of(Use.FIT, Use.MODELS_FITS, Use.PLAN);

    public static final UserOption QUANT = add("quant", List.of("-q", "--quant"), "QUANT", ValueType.TEXT,
            "Weights format: fp32 fp16 bf16 fp8 int8|8bit int4|4bit nf4 nf4-dq gptq-4bit gptq-8bit awq-4bit 4.65bpw, "
                    + "or a GGUF type (q4_k_m, q8_0, ...). Default: the model's 16-bit dtype.",
            () -> ids(WeightFormat.all(), WeightFormat::id), v -> WeightFormat.parse(v, null));
    public static final UserOption GROUP_SIZE = add("groupSize", List.of("--group-size"), "N", ValueType.INTEGER,
            "GPTQ/AWQ group size (default 128).", null, v -> ValueParsers.positiveInt(v, "{groupSize}"));
    public static final UserOption MODE = add("mode", List.of("-m", "--mode"), "MODE", ValueType.TEXT,
            "load, inference (default), train, lora, qlora, adalora, prefix, prompt, p-tuning, rlhf.",
            () -> ids(Mode.values(), Mode::id), Mode::parse);
    /** {@code --max-model-len} is vLLM's name for the same setting: the longest sequence the KV cache must hold. */
    public static final UserOption CONTEXT = add("context", List.of("-c", "--max-model-len", "--context"), "TOKENS", ValueType.TOKENS,
            "Context length (sequence length in training; vLLM's --max-model-len): 4096, 8k, 128k. Default 4096, or the"
                    + " model's maximum when smaller.",
            () -> List.of("2k", "4k", "8k", "16k", "32k", "64k", "128k"), v -> Tokens.parse(v, "{context}"));
    public static final UserOption BATCH = add("batch", List.of("-b", "--batch"), "N", ValueType.INTEGER,
            "Concurrent sequences (micro-batch per GPU in training). Default 1.", null,
            v -> ValueParsers.positiveInt(v, "{batch}"));
    public static final UserOption KV_CACHE = add("kvCache", List.of("--kv-cache"), "KV_FORMAT", ValueType.TEXT,
            "KV-cache precision: fp16 bf16 fp8 q8_0 q4_0 (default: the model's 16-bit dtype).",
            () -> ids(KvFormat.values(), KvFormat::id), KvFormat::parse);
    public static final UserOption RUNTIME = add("runtime", List.of("--runtime"), "RUNTIME", ValueType.TEXT,
            Runtimes.alternatives() + " (default: llama.cpp for GGUF, else transformers).",
            () -> ids(Runtimes.all(), Runtime::id), Runtime::parse);
    public static final UserOption FLASH_ATTENTION = add("flashAttention", List.of("--flash-attention"), "on|off",
            ValueType.ON_OFF, "FlashAttention / SDPA kernels (default on).", () -> List.of("on", "off"),
            v -> ValueParsers.onOff(v, "{flashAttention}"));
    public static final UserOption PRECISION = add("precision", List.of("--precision"), "PRECISION", ValueType.TEXT,
            "Training precision: fp32 fp16-mixed bf16-mixed bf16-pure.",
            () -> ids(TrainingOptions.Precision.values(), TrainingOptions.Precision::id), TrainingOptions.Precision::parse);
    public static final UserOption OPTIMIZER = add("optimizer", List.of("--optimizer"), "OPTIMIZER", ValueType.TEXT,
            "adamw adamw-8bit paged-adamw-8bit sgd sgd-momentum adafactor lion.",
            () -> ids(TrainingOptions.Optimizer.values(), TrainingOptions.Optimizer::id), TrainingOptions.Optimizer::parse);
    public static final UserOption GRAD_CHECKPOINTING = add("gradCheckpointing", List.of("--grad-checkpointing"),
            "CHECKPOINTING", ValueType.TEXT, "Activation recomputation: none, full or selective.",
            () -> ids(TrainingOptions.Checkpointing.values(), TrainingOptions.Checkpointing::id),
            TrainingOptions.Checkpointing::parse);
    public static final UserOption LORA_RANK = add("loraRank", List.of("--lora-rank"), "R", ValueType.INTEGER,
            "LoRA rank (default 16; 64 for qlora).", null, v -> ValueParsers.positiveInt(v, "{loraRank}"));
    public static final UserOption LORA_TARGETS = add("loraTargets", List.of("--lora-targets"), "TARGETS", ValueType.LIST,
            "qv, qkvo, all-linear, or module names such as q_proj,v_proj.", () -> List.of("qv", "qkvo", "all-linear"), null);
    public static final UserOption LORA_DROPOUT = add("loraDropout", List.of("--lora-dropout"), "P", ValueType.TEXT,
            "LoRA dropout probability (PEFT lora_dropout; default 0): above 0 every adapted module keeps its own"
                    + " dropped-out input and mask for backward.", null, v -> ValueParsers.probability(v, "{loraDropout}"));
    public static final UserOption GRAD_ACCUMULATION = add("gradAccumulation", List.of("--grad-accumulation"), "N",
            ValueType.INTEGER, "Micro-batches per optimizer step (gradient_accumulation_steps). 1 frees the gradients"
                    + " between steps, so they never meet a forward's activations; unset or above 1 keeps them alive"
                    + " through every forward.", null, v -> ValueParsers.positiveInt(v, "{gradAccumulation}"));
    public static final UserOption TRAINER = add("trainer", List.of("--trainer"), "TRAINER", ValueType.TEXT,
            "Training code: hf (Hugging Face Trainer + PEFT; default), trl (TRL's SFTTrainer: a 4-bit bitsandbytes base's"
                    + " embeddings and head back in bf16 unless sharded or fp16), litgpt (LitGPT on Lightning Fabric: fused qkv adapters, fp32"
                    + " model outputs, untied embeddings, bitsandbytes without k-bit preparation) or answerai-fsdp"
                    + " (Answer.AI's fsdp_qlora train.py, LoRA and QLoRA: a bf16 model under FSDP, its loop holding the"
                    + " logits through backward).",
            () -> ids(TrainingOptions.Trainer.values(), TrainingOptions.Trainer::id), TrainingOptions.Trainer::parse);
    public static final UserOption ZERO = add("zero", List.of("--zero"), "STAGE", ValueType.TEXT,
            "DeepSpeed ZeRO stage 0, 1, 2, 3, or fsdp (PyTorch FSDP: sharded as stage 3; accumulating micro-batches"
                    + " keep whole gradients under no_sync).", () -> List.of("0", "1", "2", "3", "fsdp"), ValueParsers::zeroStage);
    public static final UserOption OFFLOAD = add("offload", List.of("--offload"), "OFFLOAD", ValueType.TEXT,
            "ZeRO offload of optimizer states / parameters: none, cpu or nvme.",
            () -> ids(TrainingOptions.Offload.values(), TrainingOptions.Offload::id), TrainingOptions.Offload::parse);
    public static final UserOption FSDP_WRAP = add("fsdpWrap", List.of("--fsdp-wrap"), "POLICY", ValueType.TEXT,
            "FSDP wrapping when adapters are trained with --zero fsdp: adapters (their own units, PEFT's policy;"
                    + " default) or blocks (whole transformer blocks: every GPU holds the blocks' full gradient under gradient"
                    + " accumulation; with --grad-accumulation 1 it is sharded after each block's backward).",
            () -> ids(TrainingOptions.FsdpWrap.values(), TrainingOptions.FsdpWrap::id), TrainingOptions.FsdpWrap::parse);
    public static final UserOption VIRTUAL_TOKENS = add("virtualTokens", List.of("--virtual-tokens"), "N", ValueType.INTEGER,
            "Soft tokens for prefix, prompt and p-tuning (default 20, PEFT's examples).", null,
            v -> ValueParsers.positiveInt(v, "{virtualTokens}"));
    public static final UserOption REWARD_MODEL = add("rewardModel", List.of("--reward-model"), "SIZE", ValueType.TEXT,
            "RLHF reward model size, e.g. 350M (default: the actor's).", null, ParamCount::parse);
    public static final UserOption CRITIC_MODEL = add("criticModel", List.of("--critic-model"), "SIZE", ValueType.TEXT,
            "RLHF critic size, e.g. 350M (default: the actor's).", null, ParamCount::parse);

    public static final UserOption PROMPT = add("prompt", List.of("--prompt"), "TOKENS", ValueType.TOKENS,
            "Tokens of one prefill pass (the prompt; default: the whole context; 1 for decode only).", null,
            v -> Tokens.parse(v, "{prompt}"));
    public static final UserOption MAX_NUM_SEQS = add("maxNumSeqs", List.of("--max-num-seqs"), "N", ValueType.INTEGER,
            "vLLM max_num_seqs: sequences scheduled and sampled together (default 256).", null,
            v -> ValueParsers.positiveInt(v, "{maxNumSeqs}"));
    public static final UserOption MAX_NUM_BATCHED_TOKENS = add("maxNumBatchedTokens", List.of("--max-num-batched-tokens"),
            "TOKENS", ValueType.TOKENS, "vLLM max_num_batched_tokens: tokens of one step and of the profile run (default 8192).",
            null, v -> Tokens.parse(v, "{maxNumBatchedTokens}"));
    public static final UserOption GPU_MEMORY_UTILIZATION = add("gpuMemoryUtilization", List.of("--gpu-memory-utilization"),
            "FRACTION", ValueType.TEXT, "vLLM gpu_memory_utilization: the share of each card vLLM takes (default 0.92; 0.9"
                    + " before vLLM 0.21).", null, v -> ValueParsers.fraction(v, "{gpuMemoryUtilization}"));
    public static final UserOption ENFORCE_EAGER = add("enforceEager", List.of("--enforce-eager"), null, Section.WORKLOAD,
            ValueType.ON_OFF, EVERYWHERE, "vLLM --enforce-eager: no CUDA graphs (less memory, slower decode).", null,
            v -> ValueParsers.onOff(v, "{enforceEager}"));
    public static final UserOption DRAFT = add("draft", List.of("--draft"), "MODEL", ValueType.TEXT,
            "Speculative decoding: the draft model (catalog id, path or hub id, as MODEL); adds its weights and its own KV"
                    + " cache at the same context and batch as 'draft'.", null, null);
    public static final UserOption DRAFT_QUANT = add("draftQuant", List.of("--draft-quant"), "DRAFT_QUANT", ValueType.TEXT,
            "Weights format of the draft model (default: its checkpoint's, as for MODEL).",
            () -> ids(WeightFormat.all(), WeightFormat::id), v -> WeightFormat.parse(v, null));
    public static final UserOption DRAFT_ACCEPTANCE = add("draftAcceptance", List.of("--draft-acceptance"), "FRACTION",
            ValueType.TEXT, "Chance the target accepts a drafted token (0.7 or 70%%); without it the speed-up is not estimated.",
            null, v -> ValueParsers.fraction(v, "{draftAcceptance}"));
    public static final UserOption LORA_SLOTS = add("loraSlots", List.of("--lora-slots"), "N", ValueType.INTEGER,
            "Multi-LoRA serving: adapters held on the GPU at once (vLLM max_loras; llama.cpp --lora files) at the LoRA rank.",
            null, v -> ValueParsers.positiveInt(v, "{loraSlots}"));
    public static final UserOption IMAGES = add("images", List.of("--images"), "N", ValueType.INTEGER,
            "Images per request of a multimodal model (default 1; 0 for text only).", null,
            v -> ValueParsers.count(v, "{images}"));

    public static final UserOption GPU = add("gpu", List.of("-g", "--gpu"), "HARDWARE", Section.HARDWARE, ValueType.TEXT,
            EnumSet.of(Use.FIT, Use.PLAN), "GPUs to fit on: a100-80gb, \"2x rtx-4060-ti-16gb\", dgx-a100, rtx-4090,rtx-3090, "
                    + "auto (this machine's GPUs, memory in use subtracted), or cpu (none: everything in host memory).",
            null, null);
    /** A flag (no label): on the command line it takes no value; plan files and the shell write on/off. */
    public static final UserOption IGNORE_USED = add("ignoreUsed", List.of("--ignore-used"), null, Section.HARDWARE,
            ValueType.ON_OFF, EnumSet.of(Use.FIT, Use.MODELS_FITS, Use.PLAN),
            "With --gpu auto (or --fits auto): plan on each card's whole memory, not only what is free now.", null,
            v -> ValueParsers.onOff(v, "{ignoreUsed}"));
    public static final UserOption NODES = add("nodes", List.of("--nodes"), "N", Section.HARDWARE, ValueType.INTEGER,
            NOT_RECOMMEND, "Number of identical nodes (default 1).", null, v -> ValueParsers.positiveInt(v, "{nodes}"));
    public static final UserOption PARALLEL = add("parallel", List.of("--parallel"), "tp|pp|layers|dp", Section.HARDWARE,
            ValueType.TEXT, EVERYWHERE,
            "Multi-GPU strategy (default: tp on identical cards, layers for llama.cpp or mixed cards, dp for training).",
            () -> List.of("tp", "pp", "layers", "dp"), Strategy::parse);
    public static final UserOption RAM = add("ram", List.of("--ram"), "SIZE", Section.HARDWARE, ValueType.TEXT, EVERYWHERE,
            "Host RAM: a plan whose host memory (offloaded layers, experts, CPU buffers) is larger does not fit; with it,"
                    + " layers that do not fit on the GPUs go to host memory (e.g. 64GiB).", null, ValueParsers::ram);
    // llama.cpp placement of weights in host memory (issue 20 items 5-6): experts and layers the CPU runs.
    public static final UserOption CPU_MOE = add("cpuMoe", List.of("-cmoe", "--cpu-moe"), null, Section.WORKLOAD,
            ValueType.ON_OFF, EVERYWHERE, "llama.cpp --cpu-moe: every MoE block's routed experts in host memory, run by the"
                    + " CPU; attention, shared experts, router and KV cache stay on the GPU (same as -ot exps=CPU).", null,
            v -> ValueParsers.onOff(v, "{cpuMoe}"));
    public static final UserOption N_CPU_MOE = add("nCpuMoe", List.of("-ncmoe", "--n-cpu-moe"), "N", Section.WORKLOAD,
            ValueType.INTEGER, EVERYWHERE, "llama.cpp --n-cpu-moe: the routed experts of the first N blocks in host memory,"
                    + " run by the CPU.", null, v -> ValueParsers.count(v, "{nCpuMoe}"));
    public static final UserOption GPU_LAYERS = add("gpuLayers", List.of("-ngl", "--gpu-layers"), "N",
            Section.HARDWARE, ValueType.INTEGER, NOT_RECOMMEND, "llama.cpp -ngl: layers on the GPUs; the rest stay in host"
                    + " memory and run on the CPU (streamed over PCIe by other runtimes). Default: all that fit.", null,
            v -> ValueParsers.count(v, "{gpuLayers}"));
    public static final UserOption RAM_BANDWIDTH = add("ramBandwidth", List.of("--ram-bandwidth"), "GB/S", Section.HARDWARE,
            ValueType.TEXT, EVERYWHERE, "Host memory bandwidth in GB/s for everything the CPU runs (default 89.6,"
                    + " dual-channel DDR5-5600; used at the decode bandwidth efficiency).", null,
            v -> ValueParsers.gbPerSecond(v, "{ramBandwidth}"));
    public static final UserOption RESERVE = add("reserve", List.of("--reserve"), "SIZE", Section.HARDWARE, ValueType.TEXT,
            EVERYWHERE, "Memory each card keeps for the runtime (default: the runtime's CUDA overhead), e.g. 1GiB.", null,
            v -> ByteSize.parse(v, "{reserve}"));
    public static final UserOption MIN_HEADROOM = add("minHeadroom", List.of("--min-headroom"), "PERCENT", Section.HARDWARE,
            ValueType.TEXT, EVERYWHERE, "Percent of each card to keep free: below it a plan is 'tight', not 'fits' "
                    + "(default 5; 0 keeps none; e.g. 10 or 10%%).", null, v -> ValueParsers.percent(v, "{minHeadroom}"));
    public static final UserOption TRAIN_TOKENS = add("trainTokens", List.of("--train-tokens"), "TOKENS", Section.WORKLOAD,
            ValueType.TEXT, EVERYWHERE, "Training tokens for total time and cost (e.g. 300B, 1.4T).", null, ParamCount::parse);
    public static final UserOption MFU = add("mfu", List.of("--mfu"), "FRACTION", Section.WORKLOAD, ValueType.TEXT, EVERYWHERE,
            "Compute utilisation for prefill and training (default 0.462, PaLM's MFU); 0.3 or 30%%.", null,
            v -> ValueParsers.fraction(v, "{mfu}"));

    private static final Map<String, UserOption> BY_KEY = index(UserOption::key);
    private static final Map<String, UserOption> BY_NAME = indexNames();

    private Options() {
    }

    private static UserOption add(String key, List<String> names, String label, ValueType type, String description,
                                  Supplier<List<String>> values, Consumer<String> check) {
        return add(key, names, label, Section.WORKLOAD, type, EVERYWHERE, description, values, check);
    }

    private static UserOption add(String key, List<String> names, String label, Section section, ValueType type, Set<Use> uses,
                                  String description, Supplier<List<String>> values, Consumer<String> check) {
        UserOption o = new UserOption(key, names, label, section, type, uses, description, values, check);
        ALL.add(o);
        return o;
    }

    private static <E> List<String> ids(E[] values, Function<E, String> id) {
        return Arrays.stream(values).map(id).toList();
    }

    private static <E> List<String> ids(List<E> values, Function<E, String> id) {
        return values.stream().map(id).toList();
    }

    private static Map<String, UserOption> index(Function<UserOption, String> key) {
        Map<String, UserOption> m = new LinkedHashMap<>();
        for (UserOption o : ALL) {
            m.put(key.apply(o), o);
        }
        return m;
    }

    private static Map<String, UserOption> indexNames() {
        Map<String, UserOption> m = new LinkedHashMap<>();
        for (UserOption o : ALL) {
            for (String n : o.names()) {
                m.put(n, o);
            }
        }
        return m;
    }

    /** Every option, in declaration order. */
    public static List<UserOption> all() {
        return List.copyOf(ALL);
    }

    /** The options one command (or plan files) accepts. */
    public static List<UserOption> usedBy(Use use) {
        return ALL.stream().filter(o -> o.usedBy(use)).toList();
    }

    /** The keys plan files accept, with their sections and value types. */
    public static List<PlanKey> planKeys() {
        return usedBy(Use.PLAN).stream().map(UserOption::planKey).toList();
    }

    /** By plan-file key ({@code kvCache}). */
    public static Optional<UserOption> byKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /** By a command-line name ({@code --kv-cache}, {@code -q}). */
    public static Optional<UserOption> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    private static final Pattern REFERENCE = Pattern.compile("\\{([a-zA-Z]+)}");

    /**
     * Writes the settings a message names as {@code {key}} the way the command line spells them
     * ({@code {context}} becomes {@code --context}); unknown keys are left as they are.
     */
    public static String forCommandLine(String message) {
        return expand(message, UserOption::flag);
    }

    /** As {@link #forCommandLine}, with the plan-file key ({@code {context}} becomes {@code context}). */
    public static String forPlanFile(String message) {
        return expand(message, UserOption::key);
    }

    private static String expand(String message, Function<UserOption, String> spelling) {
        if (message == null || message.indexOf('{') < 0) {
            return message;
        }
        Matcher m = REFERENCE.matcher(message);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            UserOption o = BY_KEY.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(o == null ? m.group() : spelling.apply(o)));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
