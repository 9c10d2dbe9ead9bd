package dev.llmplan.engine;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Fine-tuning memory (full training, PEFT, RLHF) with ZeRO sharding and offload. Model states
 * per trainable parameter (mixed precision AdamW, ZeRO paper §3.1): 16-bit weights 2 + 16-bit
 * gradients 2 + fp32 master 4 + m 4 + v 4 = 16 B; pure bf16 AdamW 8 B; fp32 16 B.
 * Under ZeRO (DeepSpeed) mixed precision also keeps an fp32 copy of the gradient partition for
 * the optimizer step (4 B, DeepSpeed's "18 bytes per parameter"). Placement over N data-parallel
 * GPUs: replicated amounts are per-GPU parts, sharded ones split parts, offloaded ones host parts.
 */
final class TrainingModel {
    private TrainingModel() {
    }

    record Result(List<Part> parts, List<Part> hostParts, long trainableParams) {
    }

    /** LoRA rank when none is given (a common recipe value); QLoRA's paper uses 64 (QLoRA §4, Guanaco). */
    static final int DEFAULT_LORA_RANK = 16;
    static final int DEFAULT_QLORA_RANK = 64;
    /** AdaLoRA: PEFT AdaLoraConfig target_r = 8, init_r = 12, i.e. starts at 1.5 x the target rank. */
    static final int DEFAULT_ADALORA_TARGET_RANK = 8;
    static final double ADALORA_INIT_FACTOR = 1.5;
    /** AdaLoRA's RankAllocator keeps ipt, exp_avg_ipt and exp_avg_unc shaped like each adapter tensor (PEFT adalora). */
    static final int ADALORA_ALLOCATOR_TENSORS = 3;
    /** DeepSpeed ZeRO-3 gather buffer: 4 bytes (16-bit parameters and gradients) per parameter of the largest layer. */
    static final int ZERO3_GATHER_BYTES = 4;
    /** DeepSpeed mixed precision keeps the optimizer's gradient partition in fp32. */
    static final int FP32_GRAD_BYTES = 4;

    static final String ZERO_SOURCE = "Rajbhandari et al. 2020 (ZeRO) §5; DeepSpeed estimate_zero2/zero3_model_states_mem_needs";

    /** The workload's training settings with every default resolved. */
    record Settings(TrainingOptions.Precision precision, TrainingOptions.Optimizer optimizer,
                    TrainingOptions.Checkpointing ckpt, int zero, TrainingOptions.Offload offload, int gpus,
                    boolean flash, int batch, int logitBytes, TrainingOptions.Trainer trainer, boolean accumulating,
                    boolean fsdp) {
        boolean litgpt() {
            return trainer == TrainingOptions.Trainer.LITGPT;
        }

        boolean answerai() {
            return trainer == TrainingOptions.Trainer.ANSWERAI_FSDP;
        }

        boolean mixed() {
            return precision == TrainingOptions.Precision.BF16_MIXED || precision == TrainingOptions.Precision.FP16_MIXED;
        }

        int weightBytes() {
            return precision == TrainingOptions.Precision.FP32 ? 4 : 2;
        }

        boolean offloaded() {
            return offload != TrainingOptions.Offload.NONE;
        }

        /** ZeRO-3 or FSDP bringing each unit to the GPU to run: its parameters sharded over several GPUs, or offloaded. */
        boolean gathersUnits() {
            return zero >= 3 && (gpus > 1 || offloaded());
        }
    }

    static Result compute(ModelSpec model, Workload w, int context, Runtime runtime, List<String> assumptions) {
        Settings s = settings(model, w, runtime, assumptions);
        List<Part> parts = new ArrayList<>();
        List<Part> host = new ArrayList<>();
        Architecture a = model.arch();
        long trainable;
        Bytes activations;
        String actFormula;
        String actSource;
        switch (w.mode()) {
            case TRAIN -> {
                // LitGPT unties a tied head (see addUntiedHead): in full fine-tuning the copy is trained too.
                trainable = model.parameters() + (s.litgpt() ? untiedHeadParameters(model) : 0);
                if (trainable > model.parameters()) {
                    assumptions.add(Fmt.format("LitGPT unties the tied embeddings: the lm_head copy (%s parameters) is"
                            + " trained with the rest", ParamCount.humanCount(trainable - model.parameters())));
                }
                addStates(s, trainable, Component.WEIGHTS, "", factored(model), 0, parts, host, assumptions);
                addGatherBuffer(s, model, null, false, parts, assumptions);
                TrainingActivations.Result act = fullActivations(model, context, s);
                activations = act.bytes();
                actFormula = act.formula();
                actSource = act.source();
            }
            case RLHF -> {
                Rlhf r = rlhf(model, w, context, s, parts, host, assumptions);
                trainable = r.trainable;
                activations = r.activations.bytes();
                actFormula = r.activations.formula();
                actSource = r.activations.source();
            }
            default -> {
                Peft p = peft(model, w, context, runtime, s, parts, host, assumptions);
                trainable = p.trainable;
                activations = p.activations.bytes();
                actFormula = p.activations.formula();
                actSource = p.activations.source();
            }
        }
        if (w.mode() == Mode.TRAIN) {
            Part step = stepPhases(parts, activations, OptimizerStep.temporaryBytes(s, trainable, runtime), s,
                    w.training(), assumptions);
            actFormula += step.formula();
            activations = step.bytes();
        } else {
            actFormula += "; gradient accumulation adds none (micro-batch " + s.batch() + " per GPU)";
        }
        parts.add(Part.perGpu(Component.ACTIVATIONS, activations, actFormula, actSource));
        if (!s.litgpt()) {
            // Buffers of the transformers model code; LitGPT runs its own.
            parts.addAll(runtime.modelBuffers(model, context));
        }
        assumptions.add(AllocatorReserve.assumption(perGpu(parts, s.gpus()),
                runtime.perGpuOverheadBytes() + NcclBuffers.bytes(s.gpus())));
        parts.add(runtime.overhead());
        if (s.gpus() > 1) {
            parts.add(NcclBuffers.part(s.gpus()));
        }
        if (a.hidden() == null) {
            assumptions.add("architecture unknown: training activations not estimated");
        }
        return new Result(parts, host, trainable);
    }

    /**
     * A full fine-tune's step in phases: the forward and backward hold the activations, the optimizer step the
     * gradients and its temporary ({@link OptimizerStep}). With one micro-batch per step the gradients are freed
     * between steps, so the peak is the larger of the activations and gradients plus temporary, and the activations
     * add only what exceeds the latter. Under accumulation the gradients live through every forward and the
     * temporary adds only what exceeds the activations (returned as an optimizer part in {@code parts}). Returns
     * the activations that count (bytes) with the text that says why (formula).
     */
    private static Part stepPhases(List<Part> parts, Bytes activations, double temp, Settings s, TrainingOptions o,
                                   List<String> assumptions) {
        double a = activations.value();
        if (o.gradientsFreedBetweenSteps()) {
            // FSDP's unsharded root, blocks and gradients live in the backward, not at the step: they join the
            // activations' phase.
            double fsdp = removeFsdpTransients(parts);
            double overlap = perGpu(parts, s.gpus(), Component.GRADIENTS) + temp;
            if (temp > 0) {
                parts.add(Part.perGpu(Component.OPTIMIZER, Bytes.ofDouble(temp),
                        OptimizerStep.LABEL + ": one moment of the trainable parameters", OptimizerStep.SOURCE)
                        .as(Part.Role.OPTIMIZER_STEP));
            }
            return Part.perGpu(Component.ACTIVATIONS, Bytes.ofDouble(Math.max(0, a + fsdp - overlap)), Fmt.format(
                    " = %.2f GiB at the loss%s; one micro-batch per step ({gradAccumulation} 1): the gradients are freed"
                            + " between steps and the activations before the step, so these never meet the gradients and"
                            + " the step's temporary (%.2f GiB) and add max(0, %.2f - %.2f) GiB",
                    a / Bytes.GIB, fsdp > 0 ? Fmt.format(", + %.2f GiB FSDP holds unsharded in the backward (root unit,"
                            + " two blocks, gradients before their reduce-scatter)", fsdp / Bytes.GIB) : "",
                    overlap / Bytes.GIB, (a + fsdp) / Bytes.GIB, overlap / Bytes.GIB),
                    OptimizerStep.SOURCE + (fsdp > 0 ? "; " + FsdpUnits.SOURCE : ""));
        }
        // FSDP's unsharded parts meet the activations in the backward, not the step's temporary.
        double beyond = Math.max(0, temp - a - perGpuFsdpTransients(parts));
        if (beyond > 0) {
            parts.add(Part.perGpu(Component.OPTIMIZER, Bytes.ofDouble(beyond), Fmt.format(
                    OptimizerStep.LABEL + ": one moment of the trainable parameters, %.2f GiB, beyond the %.2f GiB of"
                            + " activations the backward freed before the step", temp / Bytes.GIB, a / Bytes.GIB),
                    OptimizerStep.SOURCE).as(Part.Role.OPTIMIZER_STEP));
        }
        if (o.gradAccumulation() == null) {
            assumptions.add("gradients taken as alive through every forward (gradient accumulation); {gradAccumulation} 1"
                    + " frees them between steps, and the activations then meet neither them nor the optimizer step");
        }
        return Part.perGpu(Component.ACTIVATIONS, activations, Fmt.format(
                "; gradients kept through the forwards of %s micro-batches", o.gradAccumulation() == null
                        ? "accumulated" : Integer.toString(o.gradAccumulation())), OptimizerStep.SOURCE);
    }

    /** One GPU's share of {@code parts}: per-GPU parts whole, split parts divided evenly. */
    private static double perGpu(List<Part> parts, int gpus) {
        return perGpu(parts, gpus, null);
    }

    /** Whether {@code p} is one of FSDP's backward-only unsharded parts ({@link FsdpUnits}). */
    private static boolean fsdpTransient(Part p) {
        return p.perGpu() && (p.role() == Part.Role.FSDP_UNSHARDED || p.role() == Part.Role.FSDP_GRADIENTS);
    }

    private static double perGpuFsdpTransients(List<Part> parts) {
        return parts.stream().filter(TrainingModel::fsdpTransient).mapToDouble(p -> p.bytes().value()).sum();
    }

    /** Takes FSDP's backward-only parts out of {@code parts}; returns their per-GPU bytes. */
    private static double removeFsdpTransients(List<Part> parts) {
        double sum = perGpuFsdpTransients(parts);
        parts.removeIf(TrainingModel::fsdpTransient);
        return sum;
    }

    /** As above for the parts of {@code only} (null: every part). */
    private static double perGpu(List<Part> parts, int gpus, Component only) {
        double sum = 0;
        for (Part p : parts) {
            if (only == null || p.component() == only) {
                sum += p.perGpu() ? p.bytes().value() : p.bytes().value() / (double) gpus;
            }
        }
        return sum;
    }

    // ---------------------------------------------------------------- settings and checks

    private static Settings settings(ModelSpec model, Workload w, Runtime runtime, List<String> assumptions) {
        TrainingOptions o = w.training();
        Mode mode = w.mode();
        if (!runtime.trains()) {
            throw LlmplanException.invalid("fine-tuning runs on PyTorch (transformers, PEFT, DeepSpeed), not " + runtime.id()
                    + ": use {runtime} transformers");
        }
        WeightFormat f = w.format();
        if (mode == Mode.TRAIN || mode == Mode.RLHF) {
            if (f.kind() != WeightFormat.Kind.FLOAT) {
                throw LlmplanException.invalid("{mode} " + mode.id() + " updates every weight, which needs float weights, not "
                        + f.id() + ": use {mode} qlora or lora for a quantised base");
            }
        } else if (f.isGguf() || f.kind() == WeightFormat.Kind.EXL2) {
            throw LlmplanException.invalid("PEFT trains on a float, bitsandbytes, GPTQ or AWQ base, not " + f.id());
        }
        TrainingOptions.Precision precision = o.precision();
        boolean litgpt = o.litgpt();
        if (litgpt && mode != Mode.TRAIN && mode != Mode.LORA && mode != Mode.QLORA) {
            throw LlmplanException.invalid("{trainer} litgpt fine-tunes in full, with LoRA or with QLoRA; LitGPT has no "
                    + mode.id() + " mode");
        }
        if (litgpt && f.kind() != WeightFormat.Kind.FLOAT && f.kind() != WeightFormat.Kind.BITSANDBYTES) {
            throw LlmplanException.invalid("{trainer} litgpt quantises with bitsandbytes (nf4, nf4-dq, int8), not " + f.id());
        }
        boolean answerai = o.trainer() == TrainingOptions.Trainer.ANSWERAI_FSDP;
        if (answerai && mode != Mode.LORA && mode != Mode.QLORA) {
            throw LlmplanException.invalid("{trainer} answerai-fsdp prices train.py's lora and qlora train types, not "
                    + mode.id());
        }
        if (answerai && f.kind() != WeightFormat.Kind.FLOAT
                && !(f.kind() == WeightFormat.Kind.BITSANDBYTES && f.blockBits() < 8)) {
            throw LlmplanException.invalid("{trainer} answerai-fsdp quantises with bitsandbytes 4-bit (nf4, nf4-dq), not "
                    + f.id());
        }
        if (precision == null && answerai) {
            // train.py@4cd69234 l.1015: precision "bf16" (the model, adapters included, in bf16; no autocast).
            precision = TrainingOptions.Precision.BF16_PURE;
        }
        if (precision == null && litgpt) {
            // LitGPT's fine-tuning scripts default to bf16-true where the GPU supports it
            // (get_default_supported_precision(training=True)), adapters included.
            precision = TrainingOptions.Precision.BF16_PURE;
        }
        if (precision == null) {
            // QLoRA keeps its adapters in bf16 without fp32 master copies (qlora.py casts LoRA modules to
            // bfloat16); PEFT's LoRA keeps fp32 adapters under autocast, 16 B per parameter like bf16-mixed.
            // PEFT >= 0.12 keeps adapters in fp32 (get_peft_model autocast_adapter_dtype=True, tuners_utils.py
            // cast_adapter_dtype): on a bitsandbytes base nothing else is trained, so the adapters are fp32.
            precision = f.kind() == WeightFormat.Kind.FLOAT && f.blockBits() == 32 ? TrainingOptions.Precision.FP32
                    : f.kind() == WeightFormat.Kind.BITSANDBYTES && mode.isPeft() ? TrainingOptions.Precision.FP32
                    : TrainingOptions.Precision.BF16_MIXED;
        }
        // LitGPT's scripts default to torch AdamW, quantised base or not.
        // Answer.AI's train.py: torch AdamW (optimizer "adamw") and FSDP activation checkpointing by default (l.1007).
        TrainingOptions.Optimizer opt = o.optimizer() != null ? o.optimizer()
                : mode == Mode.QLORA && !litgpt && !answerai ? TrainingOptions.Optimizer.PAGED_ADAMW_8BIT
                : TrainingOptions.Optimizer.ADAMW;
        // A bitsandbytes base is trained the PEFT way (see addKbitUpcast): prepare_model_for_kbit_training
        // also turns gradient checkpointing on (use_gradient_checkpointing=True by default, peft
        // src/peft/utils/other.py), so LoRA on an 8-bit base checkpoints as QLoRA does.
        // LitGPT quantises through Fabric's bitsandbytes plugin and checkpoints nothing on one GPU.
        boolean kbitRecipe = mode.isPeft() && f.kind() == WeightFormat.Kind.BITSANDBYTES && !litgpt;
        TrainingOptions.Checkpointing ckpt = o.checkpointing() != null ? o.checkpointing()
                : (mode == Mode.QLORA && !litgpt) || kbitRecipe || answerai ? TrainingOptions.Checkpointing.FULL
                : TrainingOptions.Checkpointing.NONE;
        // FSDP shards as ZeRO-3 does; the stage-3 rules apply to it, its own mechanisms read Settings.fsdp.
        boolean fsdp = o.shardsWithFsdp(mode);
        int zero = o.zeroStage() == null ? 0 : o.fsdp() ? 3 : o.zeroStage();
        if (zero < 0 || zero > 3) {
            throw LlmplanException.invalid("{zero} expects 0, 1, 2, 3 or fsdp, got " + zero);
        }
        TrainingOptions.Offload offload = o.offload() == null ? TrainingOptions.Offload.NONE : o.offload();
        if (offload != TrainingOptions.Offload.NONE && zero == 0) {
            throw LlmplanException.invalid("{offload} " + offload.id() + " needs ZeRO: DeepSpeed offloads the states ZeRO "
                    + "partitions; add {zero} 1, 2 or 3");
        }
        int n = w.gpuCount();
        if (zero == 3 && n == 1 && fsdp) {
            // FSDP switches to NO_SHARD on a world of one; with parameter offload each unit still comes to the GPU to run.
            assumptions.add("FSDP on one GPU runs NO_SHARD: nothing is sharded or gathered"
                    + (offload == TrainingOptions.Offload.NONE ? "; it pays off with {offload} cpu"
                    : Fmt.format(", the offloaded units (root and %s) are copied to the GPU to run",
                    blocksText(fsdpBlocksGathered(mode.isPeft(), o.wrapsBlocks(mode), litgpt)))));
        } else if (zero == 3 && n == 1) {
            assumptions.add("ZeRO-3 on one GPU shards nothing: it only adds the gather buffer"
                    + (offload == TrainingOptions.Offload.NONE ? "; it pays off with {offload} cpu" : ""));
        } else if (zero > 0 && n == 1 && offload == TrainingOptions.Offload.NONE) {
            assumptions.add("ZeRO-" + zero + " on one GPU shards nothing");
        }
        if (n > 1 && zero == 0) {
            assumptions.add(n + " GPUs as data-parallel replicas (DDP): each holds everything; {zero} 1/2/3 shards the states");
        }
        // LitGPT computes soft-capped scores eagerly whatever the kernels on offer (TrainingActivations.SOFTCAP_SOURCE).
        boolean eagerSoftcap = litgpt && model.arch().attentionSoftcap() != null;
        if (eagerSoftcap) {
            assumptions.add(Fmt.format("LitGPT computes %s's soft-capped attention (cap %s) eagerly: no fused kernel caps"
                    + " the logits, so every layer keeps its s^2 scores", model.name(),
                    Fmt.format("%.1f", model.arch().attentionSoftcap())));
        }
        boolean flash = (w.flashAttention() == null || w.flashAttention()) && !eagerSoftcap;
        Settings s = new Settings(precision, opt, ckpt, zero, offload, n, flash, w.batch(), runtime.lossBytesPerLogit(),
                o.trainer() == null ? TrainingOptions.Trainer.HF : o.trainer(), !o.gradientsFreedBetweenSteps(), fsdp);
        if (litgpt) {
            assumptions.add("trained as LitGPT does ({trainer} litgpt): Lightning Fabric casts the model outputs to fp32,"
                    + " q, k and v are one fused module, tied embeddings are untied"
                    + (f.kind() == WeightFormat.Kind.BITSANDBYTES ? ", and the bitsandbytes base (lm_head included) is"
                    + " quantised by Fabric's plugin without prepare_model_for_kbit_training: the residual stream stays bf16" : ""));
        }
        if (answerai) {
            assumptions.add("trained as Answer.AI's fsdp_qlora train.py does ({trainer} answerai-fsdp): PEFT adapters on a"
                    + " model loaded in the training dtype (a bitsandbytes base without prepare_model_for_kbit_training:"
                    + " the residual stream stays bf16)"
                    + (s.gathersUnits()
                    ? ", FSDP keeping its root unit and " + blocksText(fsdpBlocksGathered(mode.isPeft(), o.wrapsBlocks(mode), false))
                    + " unsharded" : "")
                    + ", and the loop holding the model's output ("
                    + (AnswerAiFsdp.logitBytes(runtime, s.weightBytes()) == AnswerAiFsdp.FP32 ? "fp32" : "16-bit")
                    + " logits) until after backward");
        }
        assumptions.add(Fmt.format("training: %s precision, %s optimizer, gradient checkpointing %s, FlashAttention %s, micro-batch %d per GPU%s%s",
                precision.id(), opt.id(), ckpt.id(), flash ? "on" : "off", w.batch(),
                o.precision() == null ? " (precision default" + (mode == Mode.QLORA && !litgpt
                        ? "; QLoRA defaults: fp32 adapters (PEFT >= 0.12), paged 8-bit AdamW, full checkpointing)" : ")") : "",
                zero > 0 ? ", " + (fsdp ? "FSDP" : "ZeRO-" + zero) + (offload.equals(TrainingOptions.Offload.NONE) ? "" : " with " + offload.id() + " offload") + " over " + n + " GPU(s)" : ""));
        if (KeptGradients.applies(s)) {
            assumptions.add("FSDP: each flat parameter keeps its gradient shard after the Trainer's zero_grad until the"
                    + " next forward (use_orig_params, accelerate's default), so memory read between steps includes the"
                    + " sharded gradients; the peak does not change");
        }
        if (s.mixed()) {
            assumptions.add("mixed precision: 16-bit weights and gradients + fp32 master weights and AdamW moments = 16 B per "
                    + "trainable parameter (PyTorch AMP keeps fp32 weights and gradients instead: also 16 B)"
                    + (zero > 0 ? "; under ZeRO, DeepSpeed adds an fp32 gradient partition (its 18 B per parameter)" : ""));
        }
        return s;
    }

    // ---------------------------------------------------------------- model states and ZeRO placement

    /**
     * Adds weights, gradients and optimizer states of {@code p} trainable parameters, placed by the
     * ZeRO stage: 1 shards optimizer states, 2 also gradients, 3 also parameters; offload moves the
     * sharded states (and with ZeRO-3 the parameters) to host memory.
     */
    private static void addStates(Settings s, long p, Component weightComponent, String label, long factored,
                                  int extraFp32Copies, List<Part> parts, List<Part> host, List<String> assumptions) {
        String n = ParamCount.humanCount(p);
        String who = label.isEmpty() ? "" : label + " ";
        int wB = s.weightBytes();
        int zero = s.zero();
        boolean mixed = s.mixed();
        place(s, parts, host, assumptions, weightComponent, (double) wB * p, zero >= 3,
                Fmt.format("%s%s trainable parameters x %d B (%s)", who, n, wB, s.precision().id()),
                "parameters x bytes of the training dtype");
        // The gradients backward produces, in the training dtype. ZeRO-3 with mixed precision reduces each
        // layer's 16-bit gradient into the fp32 partition as it is produced (DeepSpeed's 18P/N has no 16-bit
        // gradient term); offload sends them to host buffers. DeepSpeed's estimator keeps them whole in
        // stages 1 and 2 (4P + 16P/N); stage 2 here shards them as the ZeRO paper does (2P + 18P/N).
        boolean producedKept = !s.offloaded() && !(zero >= 3 && mixed);
        // FSDP's flat parameter keeps its gradient shard after zero_grad until the next forward (KeptGradients).
        String kept = KeptGradients.applies(s) ? KeptGradients.LABEL + ": " : "";
        Part.Role keptRole = kept.isEmpty() ? Part.Role.PLAIN : Part.Role.KEPT_GRADIENTS;
        boolean noSync = weightComponent == Component.WEIGHTS && noSyncKeepsWholeGradients(s);
        if (noSync) {
            // The unsharded gradient in the compute dtype: 16-bit under mixed precision, where FSDP reduces it into the
            // sharded fp32 gradient (below) only at the sync micro-batch.
            parts.add(Part.perGpu(Component.GRADIENTS, Bytes.ofDouble((double) wB * p), Fmt.format(
                    "%sgradients %s x %d B on every GPU: FSDP's no_sync accumulates whole gradients until the sync"
                            + " micro-batch", who, n, wB), NO_SYNC_SOURCE));
            addOnce(assumptions, "gradient accumulation under FSDP runs its micro-batches under no_sync, which keeps every"
                    + " GPU's whole gradient unsharded until the last one; {gradAccumulation} 1 shards them after each backward");
        } else if (producedKept) {
            Bytes g = Bytes.ofDouble((double) wB * p);
            String f = Fmt.format("%s%sgradients %s x %d B%s", kept, who, n, wB,
                    zero >= 2 ? " sharded over " + s.gpus() + " GPUs (" + (s.fsdp() ? "FSDP" : "ZeRO-" + zero) + ")" : "");
            parts.add((zero >= 2 ? Part.split(Component.GRADIENTS, g, f, kept.isEmpty() ? ZERO_SOURCE
                    : ZERO_SOURCE + "; " + KeptGradients.SOURCE)
                    : Part.perGpu(Component.GRADIENTS, g, f, "one gradient per trainable parameter")).as(keptRole));
        }
        if (mixed && zero >= 1) {
            place(s, parts, host, assumptions, Component.GRADIENTS, (double) FP32_GRAD_BYTES * p, true,
                    Fmt.format("%s%sfp32 gradient partition %s x 4 B (%s mixed precision)", kept, who, n,
                            s.fsdp() ? "FSDP" : "DeepSpeed"),
                    kept.isEmpty() ? ZERO_SOURCE : ZERO_SOURCE + "; " + KeptGradients.SOURCE, keptRole);
        }
        OptimizerStates.Result opt = OptimizerStates.compute(s.optimizer(), s.precision(), p, factored);
        double master = mixed ? 4.0 * p : 0;
        double extra = 4.0 * extraFp32Copies * p;
        String f = (mixed ? Fmt.format("fp32 master weights 4 B x %s + ", n) : "") + opt.formula()
                + (extraFp32Copies > 0 ? Fmt.format(" + AdaLoRA rank allocator %d x 4 B x %s",
                extraFp32Copies, n) : "");
        place(s, parts, host, assumptions, Component.OPTIMIZER, master + opt.bytes() + extra, zero >= 1,
                who + f, opt.source() + (mixed ? "; Micikevicius et al. 2018 (mixed precision master weights)" : ""));
    }

    static final String NO_SYNC_SOURCE = "torch FullyShardedDataParallel.no_sync (\"FSDP will accumulate the full model"
            + " gradients (instead of gradient shards) until the eventual sync\"); accelerate Accelerator.no_sync (FSDP1"
            + " model.no_sync, FSDP2 set_requires_gradient_sync(False)); Lightning Fabric no_backward_sync, used by LitGPT"
            + " finetune/full.py@00af8b0d l.254";

    /**
     * Whether the whole weights' gradients stay unsharded on every GPU: PyTorch FSDP over several GPUs with gradient
     * accumulation, whose micro-batches the Hugging Face Trainer (accelerate) and LitGPT (Fabric) run under no_sync.
     * DeepSpeed ZeRO-3 partitions gradients as they are produced. Answer.AI's train.py uses no_sync only when told to
     * (its no_sync flag, forced on with CPU offload and accumulation; train.py@4cd69234 l.1012, l.1062-1066).
     */
    private static boolean noSyncKeepsWholeGradients(Settings s) {
        return s.fsdp() && s.gpus() > 1 && s.accumulating() && !s.offloaded() && !s.answerai();
    }

    /** Adds an assumption unless it is already there (a rule met by the actor and the critic alike). */
    private static void addOnce(List<String> assumptions, String text) {
        if (!assumptions.contains(text)) {
            assumptions.add(text);
        }
    }

    static final String AUTOCAST_SOURCE = "torch aten/src/ATen/autocast_mode.cpp cached_cast (casts are cached only for"
            + " leaf tensors that require grad); the matmul backward keeps its weight operand to compute the input's gradient";

    /**
     * An fp32 frozen base trained under autocast (bf16-/fp16-mixed on one GPU or DDP): every linear casts its frozen
     * weight to 16 bits on each call, autocast does not cache casts of tensors that need no gradient, and the matmul
     * keeps the 16-bit copy for the backward of its input: each layer holds a 16-bit copy of its linear weights, and
     * the head one of its own, until its backward. Under checkpointing only the recomputed layer's copies are alive.
     * Sharded runs are left out: DeepSpeed's bf16/fp16 modes hold 16-bit parameters and FSDP's MixedPrecision casts its
     * flat parameters before the forward; an autocast over fp32 FSDP parameters (Answer.AI's bf16_autocast) would
     * keep these copies too and is not priced.
     */
    private static void addAutocastWeightCopies(ModelSpec model, WeightFormat f, Settings s, List<Part> parts,
                                                List<String> assumptions) {
        if (!s.mixed() || s.zero() > 0 || f.kind() != WeightFormat.Kind.FLOAT || f.computeBytes() != 4) {
            return;
        }
        TensorInventory inv = inventory(model);
        long layerLinears = inv.tensors().stream().filter(t -> t.role().isProjection()).mapToLong(Tensor::params).sum();
        long head = inv.total(TensorRole.OUTPUT_HEAD) > 0 ? inv.total(TensorRole.OUTPUT_HEAD)
                : model.type() == ModelType.ENCODER ? 0 : inv.total(TensorRole.TOKEN_EMBEDDING);
        int layers = Math.max(1, model.arch().totalLayers());
        boolean all = s.ckpt() == TrainingOptions.Checkpointing.NONE;
        long copied = (all ? layerLinears : layerLinears / layers) + head;
        parts.add(Part.perGpu(Component.ACTIVATIONS, Bytes.ofDouble(2.0 * copied), Fmt.format(
                "autocast's 16-bit copies of the fp32 frozen weights kept for backward: %s linear weights%s + head %s,"
                        + " x 2 B", ParamCount.humanCount(all ? layerLinears : layerLinears / layers),
                all ? " of every layer" : " of the recomputed layer", ParamCount.humanCount(head)), AUTOCAST_SOURCE));
        assumptions.add("an fp32 base under " + s.precision().id() + " autocast: each linear's 16-bit weight cast is kept"
                + " for its backward (autocast caches only trainable weights' casts); {quant} bf16 stores the base in 16 bits");
    }

    /** Puts an amount on every GPU, shards it, or (offloaded) moves it to host memory or NVMe. */
    private static void place(Settings s, List<Part> parts, List<Part> host, List<String> assumptions, Component c,
                              double bytes, boolean sharded, String formula, String source) {
        place(s, parts, host, assumptions, c, bytes, sharded, formula, source, Part.Role.PLAIN);
    }

    /** {@link #place} for a part in {@code role} (its role applies on the GPU; offloaded parts are plain host memory). */
    private static void place(Settings s, List<Part> parts, List<Part> host, List<String> assumptions, Component c,
                              double bytes, boolean sharded, String formula, String source, Part.Role role) {
        Bytes b = Bytes.ofDouble(bytes);
        if (!sharded) {
            parts.add(Part.perGpu(c, b, formula, source).as(role));
        } else if (!s.offloaded()) {
            parts.add(Part.split(c, b, formula + (s.gpus() > 1 ? " sharded over " + s.gpus() + " GPUs" : ""), source)
                    .as(role));
        } else if (s.offload() == TrainingOptions.Offload.CPU) {
            host.add(Part.split(c, b, formula + " offloaded to CPU memory", source
                    + " (DeepSpeed's estimator adds a 1.5x buffer factor on host memory, left out here)"));
        } else {
            assumptions.add(Fmt.format("%s (%.2f GB) offloaded to NVMe, not RAM", formula, b.gb()));
        }
    }

    /**
     * Blocks PyTorch FSDP holds unsharded beside its root unit: adapters wrapped as units of their own (PEFT's policy,
     * Answer.AI's, around a frozen base) come between the blocks in the backward order, so BACKWARD_PRE prefetches an
     * adapter, not the next block: one; where whole blocks follow one another ({fsdpWrap} blocks, LitGPT, a trained
     * base): two.
     */
    private static int fsdpBlocksGathered(boolean frozenBase, boolean wrapsBlocks, boolean litgpt) {
        return frozenBase && !wrapsBlocks && !litgpt ? 1 : FsdpUnits.LAYERS_UNSHARDED;
    }

    private static String blocksText(int blocks) {
        return blocks == 1 ? "one block" : blocks == 2 ? "two blocks" : blocks + " blocks";
    }

    /**
     * ZeRO-3 gathers one layer's 16-bit parameters (and gradients) at a time: 4 B x the largest layer; a frozen PEFT
     * base ({@code frozen}: its format, null when the base is trained) gathers only 16-bit parameters (2 B). PyTorch
     * FSDP keeps its root unit and one or two blocks unsharded instead ({@link FsdpUnits}); on one GPU (NO_SHARD) only when its
     * parameters are offloaded, since each unit is copied to the GPU to run.
     */
    private static void addGatherBuffer(Settings s, ModelSpec model, WeightFormat frozen, boolean wrapsBlocks,
                                        List<Part> parts, List<String> assumptions) {
        if (s.zero() < 3) {
            return;
        }
        if (s.fsdp()) {
            if (s.gathersUnits()) {
                int trained = s.weightBytes();
                // LitGPT's untied copy of a tied head sits in the root unit beside the embedding.
                long untied = s.litgpt() ? untiedHeadParameters(model) : 0;
                int layers = fsdpBlocksGathered(frozen != null, wrapsBlocks, s.litgpt());
                // A quantised checkpoint keeps its embeddings and head in the compute dtype (LitGPT's quantised head
                // is priced so too: an over-estimate).
                List<Part> units = frozen == null ? FsdpUnits.parts(model, untied, trained, trained, layers, trained)
                        : FsdpUnits.parts(model, untied, frozen.computeBytes(), FsdpUnits.frozenLayerBytes(frozen),
                        layers, 0);
                if (units.isEmpty()) {
                    assumptions.add("architecture unknown: FSDP's unsharded root unit and blocks are not priced");
                }
                parts.addAll(units);
            }
            return;
        }
        long largest = inventory(model).largestLayer();
        int bytes = (frozen != null ? ZERO3_GATHER_BYTES / 2 : ZERO3_GATHER_BYTES)
                * (s.precision() == TrainingOptions.Precision.FP32 ? 2 : 1);
        parts.add(Part.perGpu(Component.WEIGHTS, Bytes.ofDouble((double) bytes * largest),
                Fmt.format(StepTransients.GATHER_LABEL + ": %d B x largest layer %s parameters", bytes,
                        ParamCount.humanCount(largest)), ZERO_SOURCE + " (largest_layer_memory = 4 x largest_layer_params)")
                .as(Part.Role.ZERO3_GATHER));
    }

    private static TensorInventory inventory(ModelSpec model) {
        return TensorInventory.derivable(model.arch()) ? TensorInventory.of(model.arch(), model.type())
                : TensorInventory.opaque(model.parameters());
    }

    private static long factored(ModelSpec model) {
        Architecture a = model.arch();
        return TensorInventory.derivable(a) && a.vocab() != null ? OptimizerStates.factoredElements(a, model.type()) : -1;
    }

    /** Full fine-tuning (and RLHF's actor and critic): every linear's input is kept and the norms are trained. */
    private static TrainingActivations.Result fullActivations(ModelSpec model, int tokens, Settings s) {
        return activations(model, tokens, s, EnumSet.allOf(LinearModules.Group.class), null, true,
                litgptTerms(model, List.of(), tokens, s, false, false, 0));
    }

    /** LitGPT's own activation terms ({@link LitgptActivations}); null for the Hugging Face code or an unknown shape. */
    private static LitgptActivations.Terms litgptTerms(ModelSpec model, List<List<LinearModules.Linear>> adapters,
                                                       int tokens, Settings s, boolean quantisedHead, boolean headKeepsInput,
                                                       double pinnedPerToken) {
        if (!s.litgpt() || !TrainingActivations.known(model.arch())) {
            return null;
        }
        return LitgptActivations.of(model.arch(), adapters, s.weightBytes(), tokens, s.batch(), quantisedHead,
                headKeepsInput, pinnedPerToken);
    }

    /** Activations in the training dtype, with the copies LoRA dropout keeps (null: none). */
    private static TrainingActivations.Result activations(ModelSpec model, int tokens, Settings s,
                                                          Set<LinearModules.Group> kept, LoraDropout.Result dropout,
                                                          boolean normsTrained, LitgptActivations.Terms litgpt) {
        return TrainingActivations.compute(model.arch(), model.type(), tokens, s.batch(), s.flash(), s.ckpt(), kept,
                s.weightBytes(), model.type() != ModelType.ENCODER ? s.logitBytes() : 0, dropout, normsTrained, litgpt);
    }

    // ---------------------------------------------------------------- PEFT

    private record Peft(long trainable, TrainingActivations.Result activations) {
    }

    private static Peft peft(ModelSpec model, Workload w, int context, Runtime runtime, Settings s, List<Part> parts,
                             List<Part> host, List<String> assumptions) {
        Architecture a = model.arch();
        Mode mode = w.mode();
        if (!TensorInventory.derivable(a)) {
            throw LlmplanException.badData(model.name() + " has no layer shapes (hidden size, heads, layers): "
                    + mode.id() + " adapters cannot be counted; add the architecture to the catalog entry");
        }
        // Frozen base in the --quant format, sharded only by ZeRO-3.
        boolean bnb = w.format().kind() == WeightFormat.Kind.BITSANDBYTES;
        WeightsModel.Result base = WeightsModel.compute(model, s.litgpt() ? w.format().withQuantisedHead() : w.format(),
                runtime, assumptions);
        // Answer.AI's loader leaves a 4-bit base's quant_state on every GPU when the packed weights are sharded or
        // offloaded (on one GPU without offload FSDP runs NO_SHARD and the whole base stays there anyway).
        Part quantState = s.answerai() && s.gathersUnits()
                ? AnswerAiFsdp.quantState(model, w.format()) : null;
        double packed = base.gpu().value() - (quantState == null ? 0 : quantState.bytes().value());
        place(s, parts, host, assumptions, Component.WEIGHTS, packed, s.zero() >= 3,
                "frozen base: " + base.formula() + (quantState == null ? "" : ", less its quant_state"), base.source());
        if (quantState != null) {
            parts.add(quantState);
        }
        addGatherBuffer(s, model, w.format(), w.training().wrapsBlocks(w.mode()), parts, assumptions);
        // Answer.AI's train.py loads a bitsandbytes base in bf16 and never prepares it for k-bit training.
        boolean bf16Stream = s.litgpt() || s.answerai();
        if (bnb && !bf16Stream) {
            addKbitUpcast(model, w.format().blockBits() < 8, s, parts, assumptions);
        }
        if (s.answerai() && a.vocab() != null && model.type() != ModelType.ENCODER) {
            parts.add(AnswerAiFsdp.heldLogits(a, context, s.batch(), AnswerAiFsdp.logitBytes(runtime, s.weightBytes())));
        }
        if (s.litgpt()) {
            addUntiedHead(model, w.format(), s, parts, host, assumptions);
        }
        addAutocastWeightCopies(model, w.format(), s, parts, assumptions);
        long trainable;
        Set<LinearModules.Group> kept;
        LoraTargets loraTargets = null;
        int tokens = context;
        int extraCopies = 0;
        TrainingOptions o = w.training();
        if (mode.hasLoraAdapters()) {
            List<String> requested = o.loraTargets() != null ? o.loraTargets()
                    : List.of(mode == Mode.QLORA ? "all-linear" : "qv");
            LoraTargets targets = LoraTargets.parse(requested, a, model.type());
            int rank;
            int extraPerRank = 0;
            if (mode == Mode.ADALORA) {
                int target = o.loraRank() != null ? o.loraRank() : DEFAULT_ADALORA_TARGET_RANK;
                checkRank(target);
                rank = (int) Math.ceil(target * ADALORA_INIT_FACTOR);
                extraPerRank = 1; // lora_E: one singular value per rank
                extraCopies = ADALORA_ALLOCATOR_TENSORS;
                assumptions.add(Fmt.format("AdaLoRA starts at init_r = %d (1.5 x target_r %d, PEFT defaults 12 and 8) "
                        + "and prunes down; memory is set by the initial rank; the orthogonality penalty (A·Aᵀ − I, r x r) is negligible", rank, target));
            } else {
                rank = o.loraRank() != null ? o.loraRank() : mode == Mode.QLORA ? DEFAULT_QLORA_RANK : DEFAULT_LORA_RANK;
                checkRank(rank);
            }
            trainable = targets.params(a, model.type(), rank, extraPerRank);
            assumptions.add(Fmt.format("%s rank %d on %s: %s trainable parameters (%.3f%% of %s)%s",
                    mode == Mode.ADALORA ? "AdaLoRA" : "LoRA", rank, targets.description(), ParamCount.humanCount(trainable),
                    100.0 * trainable / model.parameters(), ParamCount.humanCount(model.parameters()),
                    o.loraRank() == null && mode != Mode.ADALORA ? (mode == Mode.QLORA
                            ? " (QLoRA paper defaults: r 64 on all linear layers)" : " (defaults: r 16 on q_proj, v_proj)") : ""));
            kept = targets.trainableGroups(a, model.type());
            loraTargets = targets;
        } else {
            int virtual = virtualTokens(o);
            PeftParams.Result pp = PeftParams.of(mode, a, virtual);
            trainable = pp.params();
            assumptions.add(Fmt.format("%s: %s = %s trainable parameters (%s; %d virtual tokens%s)",
                    mode.id(), pp.formula(), ParamCount.humanCount(trainable), pp.source(), virtual,
                    o.virtualTokens() == null ? ", PEFT examples' value" : ""));
            kept = EnumSet.noneOf(LinearModules.Group.class);
            if (mode == Mode.PREFIX) {
                addPrefixKv(model, s, virtual, parts);
            } else {
                tokens = context + virtual;
            }
        }
        addStates(s, trainable, Component.ADAPTERS, "adapter", -1, extraCopies, parts, host, assumptions);
        if (o.wrapsBlocks(mode)) {
            addBlockGradients(model, w.format().computeBytes(), o.fsdp(), s, parts, assumptions);
        }
        if (bnb && !s.litgpt()) {
            addDequantBuffer(a, model.type(), parts);
        }
        boolean dropout = loraTargets != null && o.loraDropoutOn();
        if (dropout) {
            assumptions.add(Fmt.format("LoRA dropout %s ({loraDropout}): every adapted module keeps its own dropped-out input"
                    + " and mask for backward%s", Fmt.format("%.2f", o.loraDropout()),
                    s.litgpt() ? " (LitGPT's fused qkv is one module)" : ""));
        }
        if (s.litgpt()) {
            return new Peft(trainable, litgptPeftActivations(model, w, runtime, tokens, s, kept, loraTargets, dropout,
                    assumptions));
        }
        if (bnb && s.answerai()) {
            return new Peft(trainable, bf16StreamActivations(model, w, runtime, tokens, s, kept, loraTargets, dropout,
                    assumptions));
        }
        if (bnb) {
            // prepare_model_for_kbit_training leaves the residual stream in fp32 (see addKbitUpcast).
            boolean keepsInputs = bnbKeepsInputs(w, runtime);
            if (keepsInputs) {
                assumptions.add(BNB_KEEPS_INPUT);
            }
            return new Peft(trainable, KbitActivations.compute(a, model.type(), tokens, s.batch(), s.flash(), s.ckpt(),
                    loraTargets == null ? List.of() : loraTargets.adapters(a, model.type()),
                    loraTargets != null && loraTargets.head(), dropout, keepsInputs,
                    model.type() != ModelType.ENCODER ? s.logitBytes() : 0));
        }
        LoraDropout.Result copies = dropout ? dropoutCopies(loraTargets, model, s, false, false) : null;
        return new Peft(trainable, activations(model, tokens, s, kept, copies, false, null));
    }

    /**
     * The copies LoRA dropout keeps beyond inputs kept anyway: every linear's when bitsandbytes keeps its inputs,
     * otherwise o_proj's under FlashAttention (the kernel's output, kept anyway); {@code fusedQkv}: one copy for LitGPT's
     * fused qkv.
     */
    private static LoraDropout.Result dropoutCopies(LoraTargets targets, ModelSpec model, Settings s, boolean keepsInputs,
                                                    boolean fusedQkv) {
        Set<LinearModules.Group> inputsKept = keepsInputs ? EnumSet.allOf(LinearModules.Group.class)
                : s.flash() ? EnumSet.of(LinearModules.Group.ATTN_OUT) : EnumSet.noneOf(LinearModules.Group.class);
        return LoraDropout.compute(targets, model.arch(), model.type(), s.weightBytes(), inputsKept, fusedQkv);
    }

    private static final String BNB_KEEPS_INPUT = "bitsandbytes keeps each quantised linear's input for backward (8-bit always,"
            + " 4-bit before 0.43.2)";

    /** Whether a bitsandbytes base's matmuls keep their inputs: MatMul8bitLt always, MatMul4Bit before 0.43.2. */
    private static boolean bnbKeepsInputs(Workload w, Runtime runtime) {
        return w.format().blockBits() >= 8 || runtime.fourBitMatmulKeepsInput();
    }

    /**
     * Adapter training as LitGPT runs it, in the training dtype throughout: the bf16 model is built under Fabric's
     * init_module and a bitsandbytes base gets no prepare_model_for_kbit_training (Lightning BitsandbytesPrecision
     * convert_module only swaps nn.Linear, lm_head included), so the stream, norms and MLP intermediates are bf16.
     * An old bitsandbytes 4-bit matmul (and the 8-bit one) keeps its input, once per distinct tensor: the qkv input,
     * the input fc_1 and fc_2 share, the MLP down input, and the attention output (a view of the flash output, kept
     * anyway); LoRA dropout copies follow LitGPT's modules (one for the fused qkv).
     */
    private static TrainingActivations.Result litgptPeftActivations(ModelSpec model, Workload w, Runtime runtime, int tokens,
                                                                    Settings s, Set<LinearModules.Group> kept,
                                                                    LoraTargets targets, boolean dropout,
                                                                    List<String> assumptions) {
        Architecture a = model.arch();
        boolean bnb = w.format().kind() == WeightFormat.Kind.BITSANDBYTES;
        boolean keepsInputs = bnb && bnbKeepsInputs(w, runtime);
        Set<LinearModules.Group> saved = keepsInputs ? EnumSet.allOf(LinearModules.Group.class) : kept;
        if (keepsInputs) {
            assumptions.add(BNB_KEEPS_INPUT + ", once per distinct input tensor: LitGPT's fused qkv, the fc_1/fc_2 input"
                    + " and the MLP's down input");
        }
        LoraDropout.Result copies = dropout ? dropoutCopies(targets, model, s, keepsInputs, true) : null;
        List<List<LinearModules.Linear>> adapters = targets == null ? List.of() : targets.adapters(a, model.type());
        double pinned = keepsInputs && s.ckpt() == TrainingOptions.Checkpointing.NONE && TrainingActivations.known(a)
                ? pinnedInputsPerToken(a, s.weightBytes()) : 0;
        LitgptActivations.Terms terms = litgptTerms(model, adapters, tokens, s, bnb, keepsInputs, pinned);
        if (pinned > 0) {
            assumptions.add("the step at {context} follows one as long (steady state): LitGPT frees a step's graph only"
                    + " when the next forward has ended, and until then old bitsandbytes keeps that step's matmul inputs"
                    + " (ctx attributes, not saved tensors)");
        }
        return activations(model, tokens, s, saved, copies, false, terms);
    }

    /**
     * A bitsandbytes base kept in bf16 throughout, as Answer.AI's train.py loads it (see {@link AnswerAiFsdp}): the
     * Hugging Face model code's activations in bf16, plus each quantised linear's input where bitsandbytes keeps it
     * and a dropout copy per adapted module.
     */
    private static TrainingActivations.Result bf16StreamActivations(ModelSpec model, Workload w, Runtime runtime,
                                                                    int tokens, Settings s, Set<LinearModules.Group> kept,
                                                                    LoraTargets targets, boolean dropout,
                                                                    List<String> assumptions) {
        Architecture a = model.arch();
        boolean keepsInputs = bnbKeepsInputs(w, runtime);
        Set<LinearModules.Group> saved = keepsInputs ? EnumSet.allOf(LinearModules.Group.class) : kept;
        if (keepsInputs) {
            assumptions.add(BNB_KEEPS_INPUT);
        }
        LoraDropout.Result copies = dropout ? dropoutCopies(targets, model, s, keepsInputs, false) : null;
        return activations(model, tokens, s, saved, copies, false, null);
    }

    /**
     * A step's quantised-linear inputs that bitsandbytes (MatMul4Bit before 0.43.2, MatMul8bitLt) keeps as ctx
     * attributes, per token over the layers and the head: the qkv input h, the attention output heads x headDim (a
     * view of the flash output), the fc input h and the down input f of every layer, less layer 0's qkv input (it
     * does not require grad with frozen embeddings, so ctx.tensors is (None, None), _functions.py@0.42.0 l.524-525),
     * plus the lm_head's input h. Autograd frees saved tensors after backward but ctx attributes only with the graph.
     */
    private static double pinnedInputsPerToken(Architecture a, int c) {
        TrainingActivations.Shape x = new TrainingActivations.Shape(a);
        double perLayer = 2.0 * x.h + x.heads * x.d + x.f;
        // Layer 0's missing qkv input (h) and the head's input (h) cancel out.
        return a.totalLayers() * perLayer * c;
    }

    /** The parameters of the head LitGPT copies out of tied embeddings (0 for an untied model). */
    private static long untiedHeadParameters(ModelSpec model) {
        Architecture a = model.arch();
        if (!Boolean.TRUE.equals(a.tiedEmbeddings()) || a.vocab() == null || a.hidden() == null
                || model.type() == ModelType.ENCODER) {
            return 0;
        }
        return (long) a.vocab() * a.hidden();
    }

    /**
     * LitGPT's GPT has separate wte and lm_head, and its checkpoint conversion copies a tied embedding into lm_head
     * (scripts/convert_hf_checkpoint.py@00af8b0d l.206-207 llama, l.281-282 gemma-2): a tied model gets a frozen head
     * of vocab x hidden weights, in the base's format (Fabric's bitsandbytes plugin quantises lm_head too).
     */
    private static void addUntiedHead(ModelSpec model, WeightFormat format, Settings s, List<Part> parts, List<Part> host,
                                      List<String> assumptions) {
        Architecture a = model.arch();
        long params = untiedHeadParameters(model);
        if (params == 0) {
            return;
        }
        double bits = format.kind() == WeightFormat.Kind.BITSANDBYTES ? format.blockBits()
                : 8.0 * format.computeBytes();
        place(s, parts, host, assumptions, Component.WEIGHTS, params * bits / 8, s.zero() >= 3,
                Fmt.format("LitGPT unties the tied embeddings: lm_head a copy of wte, %d vocab x %d hidden x %s bits",
                        a.vocab(), a.hidden(), Fmt.format("%.4g", bits)),
                "Lightning-AI/litgpt scripts/convert_hf_checkpoint.py@00af8b0d l.206-207, l.281-282 (lm_head = wte copy)");
    }

    /**
     * FSDP with whole transformer blocks as units and use_orig_params (Lightning's default) flattens a block's
     * frozen weights and its adapters into one flat parameter, which then requires grad: autograd computes the
     * gradient of every element, frozen ones included, into one unsharded flat gradient in the parameter dtype
     * ("gradient memory ... equivalent to not freezing those parameters", PyTorch FSDP docs; Lightning-AI/litgpt
     * issue 1417), and under gradient accumulation no_sync keeps it unsharded until the optimizer step. Every GPU
     * then holds the blocks' full gradient (unless {gradAccumulation} is 1 on several GPUs, which shards it).
     */
    private static void addBlockGradients(ModelSpec model, int bytes, boolean fsdpByName, Settings s, List<Part> parts,
                                          List<String> assumptions) {
        if (!TensorInventory.derivable(model.arch())) {
            return;
        }
        TensorInventory inv = inventory(model);
        long blocks = inv.total() - inv.total(TensorRole.TOKEN_EMBEDDING) - inv.total(TensorRole.OUTPUT_HEAD)
                - inv.total(TensorRole.POSITION_EMBEDDING);
        // Under no_sync (accumulation) every block's gradient stays whole until the sync micro-batch, as on one GPU
        // (NO_SHARD); with one micro-batch a step each block's is reduce-scattered after its backward, leaving the
        // shards and the block being reduced.
        boolean whole = s.accumulating() || s.gpus() == 1;
        long largest = inv.largestBlock();
        double held = whole ? (double) blocks : (double) blocks / s.gpus() + largest;
        parts.add(Part.perGpu(Component.GRADIENTS, Bytes.ofDouble(held * bytes), whole
                ? Fmt.format("FSDP flat-parameter gradients: %s block parameters x %d B, unsharded on every GPU (frozen and"
                        + " adapter weights share a flat parameter per block)", ParamCount.humanCount(blocks), bytes)
                : Fmt.format("FSDP flat-parameter gradients: %s block parameters x %d B sharded over %d GPUs + one block's"
                        + " %s unsharded before its reduce-scatter (frozen and adapter weights share a flat parameter per"
                        + " block)", ParamCount.humanCount(blocks), bytes, s.gpus(), ParamCount.humanCount(largest)),
                "PyTorch FSDP docs (use_orig_params with frozen parameters); Lightning-AI/litgpt issue 1417"));
        assumptions.add("FSDP wraps whole blocks ({fsdpWrap} blocks" + (fsdpByName ? "" : "; {zero} 3 is taken as FSDP here")
                + "): each block's gradient is materialised in full, frozen weights' included, and "
                + (whole ? "kept unsharded through gradient accumulation (no_sync); {gradAccumulation} 1 shards it after"
                + " each backward" : "reduce-scattered after its backward ({gradAccumulation} 1)"));
    }

    /**
     * PEFT's prepare_model_for_kbit_training (the QLoRA recipe, and TRL's SFTTrainer given a 4-bit
     * model) casts every parameter bitsandbytes left in 16 bits to fp32: the embeddings, the output
     * head and the norms (peft src/peft/utils/other.py). The residual stream then runs in fp32: every
     * norm output, the 4-bit linears' outputs (cast back to their input's dtype) and the checkpoints.
     * Measured: +28.5% peak (bitsandbytes issue #1569), +35% (TRL PR #4335). TRL skips it for sharded
     * QLoRA (FSDP / ZeRO-3), but those runs' peaks sit at or above an estimate with an fp32 stream (fms-acceleration's
     * two-GPU Llama-2-70B QLoRA: 46.7 GB allocated against 46.4 with it and about 36 without), so it stays priced
     * there: a known gap, in the README.
     */
    private static void addKbitUpcast(ModelSpec model, boolean fourBit, Settings s, List<Part> parts,
                                      List<String> assumptions) {
        Architecture a = model.arch();
        if (!TensorInventory.derivable(a)) {
            return;
        }
        TensorInventory inv = TensorInventory.of(a, model.type());
        // qlora.py (--precision bf16-pure) casts the embeddings and the head back to bf16 and keeps only the
        // norms in fp32; PEFT/TRL leave everything prepare_model_for_kbit_training upcast.
        boolean qloraScript = s.precision() == TrainingOptions.Precision.BF16_PURE;
        // TRL's SFTTrainer, after prepare_model_for_kbit_training, casts a 4-bit model's embeddings and head back to
        // bf16 when training in bf16 (args.bf16 and is_loaded_in_4bit) and keeps the norms in fp32 (trl/trainer/utils.py
        // peft_module_casting_to_bf16); it skips both for sharded QLoRA, priced as the PEFT way here (a known gap).
        boolean trlRecast = s.trainer() == TrainingOptions.Trainer.TRL && fourBit && s.zero() < 3
                && s.precision() != TrainingOptions.Precision.FP16_MIXED;
        boolean normsOnly = qloraScript || trlRecast;
        long unquantised = inv.total(TensorRole.NORM) + (normsOnly ? 0 : inv.total(TensorRole.TOKEN_EMBEDDING)
                + inv.total(TensorRole.OUTPUT_HEAD) + inv.total(TensorRole.POSITION_EMBEDDING));
        parts.add(Part.perGpu(Component.WEIGHTS, Bytes.ofDouble(2.0 * unquantised), Fmt.format("prepare_model_for_kbit_training: %s (%s parameters) upcast from 16 to 32 bits: +2 B each",
                normsOnly ? "norms" : "embeddings, output head and norms", ParamCount.humanCount(unquantised)),
                qloraScript ? "artidoro/qlora qlora.py (norms fp32, embeddings and head bf16)"
                        : trlRecast ? "peft prepare_model_for_kbit_training; trl peft_module_casting_to_bf16 (embeddings and"
                        + " head back to bf16, norms fp32)"
                        : "peft prepare_model_for_kbit_training (src/peft/utils/other.py)"));
        assumptions.add(qloraScript
                ? "bitsandbytes base trained as qlora.py does: bf16 adapters, embeddings and head, fp32 norms, so the"
                        + " residual stream (activations, checkpoints) is fp32"
                : trlRecast
                ? "bitsandbytes base trained as TRL's SFTTrainer does ({trainer} trl): prepare_model_for_kbit_training, then"
                        + " the embeddings and head back in bf16 with the norms in fp32, so the residual stream stays fp32"
                : "bitsandbytes base trained the PEFT way: prepare_model_for_kbit_training upcasts the unquantised"
                        + " parameters to fp32, so activations and checkpoints are fp32 and adapters are fp32 (PEFT >= 0.12)");
    }

    private static void checkRank(int rank) {
        if (rank < 1) {
            throw LlmplanException.invalid("{loraRank} must be at least 1, got " + rank);
        }
    }

    static int virtualTokens(TrainingOptions o) {
        return o.virtualTokens() == null ? PeftParams.DEFAULT_VIRTUAL_TOKENS : o.virtualTokens();
    }

    /** Prefix tuning prepends trainable keys and values in every layer: their KV for each sequence. */
    private static void addPrefixKv(ModelSpec model, Settings s, int virtualTokens, List<Part> parts) {
        Architecture a = model.arch();
        long kvWidth = (long) (a.effectiveKvHeads() == null ? a.heads() : a.effectiveKvHeads()) * a.effectiveHeadDim();
        double bytes = 2.0 * a.cachingLayers() * kvWidth * virtualTokens * s.batch() * 2;
        parts.add(Part.perGpu(Component.KV_CACHE, Bytes.ofDouble(bytes), Fmt.format("prefix keys/values: 2 x %d layers x %d x %d virtual tokens x %d batch x 2 B", a.cachingLayers(), kvWidth,
                virtualTokens, s.batch()), "Li & Liang 2021: the prefix extends every layer's keys and values"));
    }

    /** bitsandbytes dequantises one 4/8-bit weight matrix at a time to 16-bit for the matmul. */
    private static void addDequantBuffer(Architecture a, ModelType type, List<Part> parts) {
        long largest = 0;
        for (List<LinearModules.Linear> layer : LinearModules.of(a, type)) {
            for (LinearModules.Linear l : layer) {
                largest = Math.max(largest, l.dIn() * l.dOut());
            }
        }
        parts.add(Part.perGpu(Component.ACTIVATIONS, Bytes.ofDouble(2.0 * largest), Fmt.format("dequantised weight: largest matrix %s x 2 B", ParamCount.humanCount(largest)),
                "bitsandbytes MatMul4Bit / MatMul8bitLt dequantise per matmul"));
    }

    // ---------------------------------------------------------------- RLHF (PPO)

    private record Rlhf(long trainable, TrainingActivations.Result activations) {
    }

    /**
     * PPO as in DeepSpeed-Chat step 3 and trl: the actor and the critic are trained, the reference
     * (a frozen copy of the actor) and the reward model only run forward. Actor and critic train one
     * after the other, so only the larger activation set is alive; the actor also generates, with a
     * KV cache for the batch.
     */
    private static Rlhf rlhf(ModelSpec actor, Workload w, int context, Settings s, List<Part> parts, List<Part> host,
                             List<String> assumptions) {
        TrainingOptions o = w.training();
        ModelSpec critic = o.criticModelParams() == null ? actor : BareSize.of(String.valueOf(o.criticModelParams()));
        ModelSpec reward = o.rewardModelParams() == null ? actor : BareSize.of(String.valueOf(o.rewardModelParams()));
        long pa = actor.parameters();
        long pc = critic.parameters();
        long pr = reward.parameters();
        assumptions.add(Fmt.format("PPO RLHF: actor %s and critic %s trained, reference %s and reward %s frozen "
                        + "in 16-bit%s", ParamCount.humanCount(pa), ParamCount.humanCount(pc), ParamCount.humanCount(pa),
                ParamCount.humanCount(pr), o.criticModelParams() == null && o.rewardModelParams() == null
                        ? " (critic and reward default to the actor's size; DeepSpeed-Chat often uses a smaller reward model)" : ""));
        addStates(s, pa, Component.WEIGHTS, "actor", factored(actor), 0, parts, host, assumptions);
        addStates(s, pc, Component.WEIGHTS, "critic", factored(critic), 0, parts, host, assumptions);
        addGatherBuffer(s, actor, null, false, parts, assumptions);
        place(s, parts, host, assumptions, Component.WEIGHTS, 2.0 * pa, s.zero() >= 3,
                Fmt.format("frozen reference %s x 2 B", ParamCount.humanCount(pa)), "DeepSpeed-Chat step 3 (ref model)");
        place(s, parts, host, assumptions, Component.WEIGHTS, 2.0 * pr, s.zero() >= 3,
                Fmt.format("frozen reward %s x 2 B", ParamCount.humanCount(pr)), "DeepSpeed-Chat step 3 (reward model)");
        KvCacheModel.Result kv = KvCacheModel.compute(actor, context, s.batch(), MemoryEstimator.defaultKv(actor), assumptions);
        parts.add(Part.perGpu(Component.KV_CACHE, kv.bytes(), "actor generation: " + kv.formula(), kv.source()));
        TrainingActivations.Result actorAct = fullActivations(actor, context, s);
        TrainingActivations.Result criticAct = fullActivations(critic, context, s);
        TrainingActivations.Result larger = actorAct.bytes().compareTo(criticAct.bytes()) >= 0 ? actorAct : criticAct;
        return new Rlhf(pa + pc, new TrainingActivations.Result(larger.bytes(),
                (larger == actorAct ? "actor" : "critic") + " (the larger; they train in turn): " + larger.formula(),
                larger.source()));
    }
}
