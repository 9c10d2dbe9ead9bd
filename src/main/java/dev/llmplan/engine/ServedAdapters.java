package dev.llmplan.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * LoRA adapters served next to the base model (multi-LoRA serving), counted in {@code adapters}.
 *
 * <p>vLLM pre-allocates, for every linear module it supports LoRA on, stacked buffers for max_loras slots at
 * max_lora_rank whatever the adapters target: lora_a_stacked (max_loras, 1, rank, input_size) and
 * lora_b_stacked (max_loras, 1, output_size, rank) in lora_dtype, the model's dtype by default
 * (vllm/lora/layers/base_linear.py create_lora_weights; MoE experts in fused_moe.py the same per expert). Under
 * tensor parallelism a column-parallel layer (q, k, v, gate, up) shards B and keeps A whole, a row-parallel
 * layer (o, down) shards A and keeps B whole. Adapters waiting to be used sit in a CPU pool of max_cpu_loras
 * (default max_loras) in every worker (vllm/config/lora.py; LRU cache in vllm/lora/models.py).
 *
 * <p>Other runtimes load the adapters given (llama.cpp --lora FILE per adapter, PEFT load_adapter): N adapters of
 * r x (d_in + d_out) per targeted matrix per layer at 16 bit, on the GPUs, no pool.
 */
final class ServedAdapters {
    private ServedAdapters() {
    }

    /** vLLM's default max_lora_rank (vllm/config/lora.py) and the --lora-rank default. */
    static final int DEFAULT_RANK = 16;

    record Result(List<Part> parts, List<Part> hostParts) {
    }

    static Result compute(ModelSpec model, Workload w, Runtime runtime, List<String> assumptions) {
        Architecture a = model.arch();
        if (!TensorInventory.derivable(a)) {
            throw LlmplanException.badData(model.name() + " has no layer shapes (hidden size, heads, layers): served LoRA"
                    + " adapters cannot be counted");
        }
        int slots = w.serving().loraSlots();
        TrainingOptions t = w.training();
        int rank = t.loraRank() != null ? t.loraRank() : DEFAULT_RANK;
        int bytes = w.format().computeBytes();
        if (runtime.preallocatesLoraSlots()) {
            return vllm(model, w, slots, rank, bytes, assumptions);
        }
        List<String> targets = t.loraTargets() != null ? t.loraTargets() : List.of("all-linear");
        long params = LoraTargets.parse(targets, a, model.type()).params(a, model.type(), rank, 0);
        double total = (double) slots * params * bytes;
        assumptions.add(Fmt.format("%d LoRA adapter(s) of rank %d on %s loaded with the model ({loraSlots}, {loraRank},"
                + " {loraTargets})", slots, rank, String.join(",", targets)));
        return new Result(List.of(Part.split(Component.ADAPTERS, Bytes.ofDouble(total),
                Fmt.format("%d adapters x %s parameters (r %d x (d_in + d_out) per targeted matrix per layer) x %d B",
                        slots, ParamCount.humanCount(params), rank, bytes),
                "Hu et al. 2021 (LoRA); llama.cpp --lora / PEFT load_adapter keep each adapter's A and B on the GPU")),
                List.of());
    }

    private static Result vllm(ModelSpec model, Workload w, int slots, int rank, int bytes, List<String> assumptions) {
        int tp = w.gpuCount();
        // Per slot: the part a tensor-parallel split shards, and the part every rank keeps whole.
        long sharded = 0;
        long whole = 0;
        for (List<LinearModules.Linear> layer : LinearModules.of(model.arch(), model.type())) {
            for (LinearModules.Linear l : layer) {
                boolean column = l.group() == LinearModules.Group.ATTN_IN || l.group() == LinearModules.Group.MLP_IN;
                long a = l.count() * rank * l.dIn();
                long b = l.count() * rank * l.dOut();
                whole += column ? a : b;
                sharded += column ? b : a;
            }
        }
        List<Part> parts = new ArrayList<>();
        long perSlot = sharded + whole;
        if (tp == 1) {
            parts.add(Part.split(Component.ADAPTERS, Bytes.of(slots * perSlot * bytes),
                    Fmt.format("%d slots (max_loras) x %s parameters (max_lora_rank %d x (d_in + d_out) on every linear module)"
                            + " x %d B", slots, ParamCount.humanCount(perSlot), rank, bytes), SOURCE));
        } else {
            parts.add(Part.split(Component.ADAPTERS, Bytes.of(slots * sharded * bytes),
                    Fmt.format("%d slots x %s sharded parameters (B of column-parallel, A of row-parallel layers) x %d B",
                            slots, ParamCount.humanCount(sharded), bytes), SOURCE));
            parts.add(Part.perGpu(Component.ADAPTERS, Bytes.of(slots * whole * bytes),
                    Fmt.format("%d slots x %s parameters every GPU keeps whole (A of column-parallel, B of row-parallel layers)"
                            + " x %d B", slots, ParamCount.humanCount(whole), bytes), SOURCE));
        }
        long pool = (long) tp * slots * perSlot * bytes;
        List<Part> host = List.of(Part.split(Component.ADAPTERS, Bytes.of(pool),
                Fmt.format("CPU pool: max_cpu_loras %d (= max_loras) x %s parameters x %d B%s", slots,
                        ParamCount.humanCount(perSlot), bytes, tp > 1 ? " in each of " + tp + " workers" : ""),
                "vLLM max_cpu_loras (default max_loras): adapters cached in host memory"));
        assumptions.add(Fmt.format("vLLM pre-allocates %d LoRA slots at rank %d on every supported linear module, whatever"
                + " the adapters target ({loraSlots}, {loraRank}); the CPU pool (max_cpu_loras) is taken equal to the slots"
                + " and the adapters as wide as the slots", slots, rank));
        return new Result(parts, host);
    }

    private static final String SOURCE = "vLLM create_lora_weights (vllm/lora/layers/base_linear.py): lora_a_stacked"
            + " (max_loras, 1, max_lora_rank, input_size) and lora_b_stacked (max_loras, 1, output_size, max_lora_rank)"
            + " in the model dtype";
}
