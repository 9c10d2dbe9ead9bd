package dev.llmplan.plan;

import dev.llmplan.engine.Architecture;

/**
 * Whether attention heads split over a tensor-parallel degree. Megatron-LM and vLLM shard
 * query heads evenly, so heads % tp must be 0; KV heads either divide too or, when the degree is
 * a multiple of them, are replicated (vLLM's QKVParallelLinear replicates KV heads when
 * tp_size >= num_kv_heads), each card then holding one KV head's cache.
 */
public final class TensorParallelCheck {
    private TensorParallelCheck() {
    }

    /** Null when the degree works; otherwise the reason, naming the counts. */
    public static String problem(Architecture arch, int degree) {
        if (degree <= 1 || arch.heads() == null) {
            return null;
        }
        int heads = arch.heads();
        if (heads % degree != 0) {
            return heads + " attention heads are not divisible by " + degree;
        }
        Integer kv = arch.effectiveKvHeads();
        if (kv != null && kv % degree != 0 && degree % kv != 0) {
            return kv + " KV heads are neither divisible by " + degree + " nor a divisor of it";
        }
        return null;
    }

    /**
     * Fraction of the KV cache each card holds: 1/degree normally, 1/kvHeads when KV heads are
     * replicated because the degree exceeds them.
     */
    public static double kvShare(Architecture arch, int degree) {
        Integer kv = arch.effectiveKvHeads();
        if (kv != null && kv < degree && kv > 0) {
            return 1.0 / kv;
        }
        return 1.0 / degree;
    }
}
