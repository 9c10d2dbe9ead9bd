package dev.llmplan.request;

import dev.llmplan.catalog.ErrorBandTable;
import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.Draft;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.KvFormat;
import dev.llmplan.engine.Mode;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.ParamCount;
import dev.llmplan.engine.Runtime;
import dev.llmplan.engine.Serving;
import dev.llmplan.engine.Tokens;
import dev.llmplan.engine.TrainingOptions;
import dev.llmplan.engine.WeightFormat;
import dev.llmplan.engine.Workload;
import dev.llmplan.modelfile.LocalModel;
import dev.llmplan.plan.ByteSize;
import dev.llmplan.plan.HeadroomPolicy;
import dev.llmplan.plan.PlanOptions;
import dev.llmplan.plan.SpeedAssumptions;
import dev.llmplan.plan.Strategy;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The settings a user gave, as text, keyed by their {@link UserOption}: from command-line options,
 * a plan entry or shell defaults alike. Values stay text until a request is built, so every parse
 * error has one wording wherever the value came from.
 */
public final class OptionValues {
    private final Map<UserOption, String> values = new LinkedHashMap<>();
    private final Map<UserOption, String> defaults = new LinkedHashMap<>();
    private final Set<String> notes = new LinkedHashSet<>();

    public void set(UserOption option, String text) {
        if (text == null) {
            values.remove(option);
        } else {
            values.put(option, text);
        }
    }

    /** A session default: used when the option is not given, and softer where it cannot apply (see context). */
    public void setDefault(UserOption option, String text) {
        defaults.put(option, text);
    }

    /** The value given, else the session default, else null. */
    public String get(UserOption option) {
        String v = values.get(option);
        return v != null ? v : defaults.get(option);
    }

    public boolean has(UserOption option) {
        return get(option) != null;
    }

    public Map<UserOption, String> asMap() {
        return Collections.unmodifiableMap(values);
    }

    /** What building a request adjusted on the way (a session default clamped), for the user to read. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** The value parsed, or null when it was not given. */
    private <T> T parsed(UserOption option, Function<String, T> parser) {
        String text = get(option);
        return text == null ? null : parser.apply(text);
    }

    public Workload toWorkload(ModelSpec model, int gpuCount) {
        return toWorkload(LocalModel.of(model), gpuCount);
    }

    /** As {@link #toWorkload(LocalModel, int, Function)} where no draft model can be named. */
    public Workload toWorkload(LocalModel local, int gpuCount) {
        return toWorkload(local, gpuCount, null);
    }

    /**
     * The workload; a model read from files defaults to the format its weights are stored in, and so does the
     * draft model, which {@code models} resolves as MODEL is resolved (catalog id, path or hub id).
     */
    public Workload toWorkload(LocalModel local, int gpuCount, Function<String, LocalModel> models) {
        ModelSpec model = local.spec();
        Mode m = parsed(Options.MODE, Mode::parse);
        m = m == null ? Mode.INFERENCE : m;
        TrainingOptions.Precision precision = parsed(Options.PRECISION, TrainingOptions.Precision::parse);
        WeightFormat format = weightFormat();
        if (format == null) {
            format = local.defaultQuant() != null && m != Mode.QLORA ? WeightFormat.parse(local.defaultQuant(), null)
                    : WeightFormat.defaultFor(model, m, precision);
        }
        Integer ctx = parsed(Options.CONTEXT, t -> Tokens.parse(t, "{context}"));
        Integer max = model.maxContext();
        if (ctx != null && max != null && ctx > max && !values.containsKey(Options.CONTEXT)) {
            // A session default is a preference, not a demand: one 8k default must not break every 4k model.
            notes.add("the session's context " + ctx + " is above " + model.name() + "'s maximum of " + max
                    + " tokens; using " + max);
            ctx = max;
        }
        Integer batch = parsed(Options.BATCH, t -> ValueParsers.positiveInt(t, "{batch}"));
        KvFormat kv = parsed(Options.KV_CACHE, KvFormat::parse);
        Runtime rt = parsed(Options.RUNTIME, Runtime::parse);
        Boolean flash = parsed(Options.FLASH_ATTENTION, t -> ValueParsers.onOff(t, "{flashAttention}"));
        TrainingOptions t = new TrainingOptions(precision,
                parsed(Options.OPTIMIZER, TrainingOptions.Optimizer::parse),
                parsed(Options.GRAD_CHECKPOINTING, TrainingOptions.Checkpointing::parse),
                parsed(Options.LORA_RANK, v -> ValueParsers.positiveInt(v, "{loraRank}")),
                parsed(Options.LORA_TARGETS, v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()),
                parsed(Options.ZERO, ValueParsers::zeroStage),
                parsed(Options.OFFLOAD, TrainingOptions.Offload::parse),
                parsed(Options.REWARD_MODEL, v -> ParamCount.parse(v).value()),
                parsed(Options.CRITIC_MODEL, v -> ParamCount.parse(v).value()),
                parsed(Options.VIRTUAL_TOKENS, v -> ValueParsers.positiveInt(v, "{virtualTokens}")),
                parsed(Options.LORA_DROPOUT, v -> ValueParsers.probability(v, "{loraDropout}")),
                parsed(Options.FSDP_WRAP, TrainingOptions.FsdpWrap::parse),
                parsed(Options.GRAD_ACCUMULATION, v -> ValueParsers.positiveInt(v, "{gradAccumulation}")),
                parsed(Options.TRAINER, TrainingOptions.Trainer::parse));
        Serving serving = new Serving(parsed(Options.PROMPT, v -> Tokens.parse(v, "{prompt}")),
                parsed(Options.MAX_NUM_SEQS, v -> ValueParsers.positiveInt(v, "{maxNumSeqs}")),
                parsed(Options.MAX_NUM_BATCHED_TOKENS, v -> Tokens.parse(v, "{maxNumBatchedTokens}")),
                parsed(Options.GPU_MEMORY_UTILIZATION, v -> ValueParsers.fraction(v, "{gpuMemoryUtilization}")),
                Boolean.TRUE.equals(parsed(Options.ENFORCE_EAGER, v -> ValueParsers.onOff(v, "{enforceEager}"))),
                cpuMoeLayers(), draft(models), parsed(Options.LORA_SLOTS, v -> ValueParsers.positiveInt(v, "{loraSlots}")),
                parsed(Options.IMAGES, v -> ValueParsers.count(v, "{images}")));
        return new Workload(m, format, ctx, batch == null ? 1 : batch, kv, rt, flash, gpuCount, t, serving);
    }

    /**
     * Blocks whose routed experts stay in host memory: all with {@code cpuMoe}, the first N with
     * {@code nCpuMoe} (llama.cpp applies both lists of overrides, so the larger wins); null for none.
     */
    private Integer cpuMoeLayers() {
        Boolean all = parsed(Options.CPU_MOE, v -> ValueParsers.onOff(v, "{cpuMoe}"));
        Integer first = parsed(Options.N_CPU_MOE, v -> ValueParsers.count(v, "{nCpuMoe}"));
        if (Boolean.TRUE.equals(all)) {
            return dev.llmplan.engine.Serving.ALL_LAYERS;
        }
        return first;
    }

    /** The draft model resolved once (a hub or file read is not repeated for every model of models --fits). */
    private Draft draft;
    private String draftKey;

    /** The speculative-decoding draft, or null when none is named. */
    private Draft draft(Function<String, LocalModel> models) {
        String name = get(Options.DRAFT);
        if (name == null) {
            if (has(Options.DRAFT_QUANT) || has(Options.DRAFT_ACCEPTANCE)) {
                throw LlmplanException.invalid("{draftQuant} and {draftAcceptance} need {draft}: the draft model");
            }
            return null;
        }
        String key = name + "|" + get(Options.DRAFT_QUANT) + "|" + get(Options.DRAFT_ACCEPTANCE);
        if (draft != null && key.equals(draftKey)) {
            return draft;
        }
        if (models == null) {
            throw LlmplanException.invalid("{draft} is not available here");
        }
        LocalModel local = models.apply(name);
        WeightFormat format = parsed(Options.DRAFT_QUANT, q -> WeightFormat.parse(q, null));
        if (format == null) {
            format = local.defaultQuant() != null ? WeightFormat.parse(local.defaultQuant(), null)
                    : WeightFormat.defaultFor(local.spec(), Mode.INFERENCE, null);
        }
        Double acceptance = parsed(Options.DRAFT_ACCEPTANCE, v -> ValueParsers.fraction(v, "{draftAcceptance}"));
        draft = new Draft(local.specFor(format.id()), format, acceptance);
        draftKey = key;
        return draft;
    }

    /** The weights format asked for ({@code --quant} with its group size), or null for the model's default. */
    public WeightFormat weightFormat() {
        Integer group = parsed(Options.GROUP_SIZE, v -> ValueParsers.positiveInt(v, "{groupSize}"));
        return parsed(Options.QUANT, q -> WeightFormat.parse(q, group));
    }

    /** Placement choices: strategy, per-card reserve, host RAM, layers on the GPUs. */
    public PlanOptions planOptions() {
        Strategy s = parsed(Options.PARALLEL, Strategy::parse);
        Bytes reserve = parsed(Options.RESERVE, v -> ByteSize.parse(v, "{reserve}"));
        Bytes ram = parsed(Options.RAM, ValueParsers::ram);
        Double margin = parsed(Options.MIN_HEADROOM, v -> ValueParsers.percent(v, "{minHeadroom}"));
        Integer gpuLayers = parsed(Options.GPU_LAYERS, v -> ValueParsers.count(v, "{gpuLayers}"));
        return new PlanOptions(s, reserve, ram, gpuLayers, margin == null ? null : new HeadroomPolicy(margin),
                ErrorBandTable.builtin());
    }

    /** Speed assumptions: MFU and training tokens. */
    public SpeedAssumptions speed() {
        Long tokens = parsed(Options.TRAIN_TOKENS, v -> ParamCount.parse(v).value());
        return SpeedAssumptions.of(parsed(Options.MFU, v -> ValueParsers.fraction(v, "{mfu}")), tokens)
                .withRamBandwidth(parsed(Options.RAM_BANDWIDTH, v -> ValueParsers.gbPerSecond(v, "{ramBandwidth}")));
    }

    /** With {@code gpu: auto}: plan on whole cards rather than their free memory. */
    public boolean ignoreUsed() {
        Boolean b = parsed(Options.IGNORE_USED, v -> ValueParsers.onOff(v, "{ignoreUsed}"));
        return b != null && b;
    }

    /** Nodes of the hardware (1 when not given). */
    public int nodes() {
        Integer n = parsed(Options.NODES, v -> ValueParsers.positiveInt(v, "{nodes}"));
        return n == null ? 1 : n;
    }

    /**
     * Checks every given value that can be checked on its own, so a bad one is one error up front rather than a
     * note on every model a listing skips.
     */
    public void validateValues() {
        asMap().forEach((option, text) -> {
            if (option.check() != null && text != null) {
                option.check().accept(text);
            }
        });
    }

    /** Parses every planning value now, so a bad one is an error even where it would not be used. */
    public void validatePlanning() {
        planOptions();
        speed();
        nodes();
        ignoreUsed();
    }
}
