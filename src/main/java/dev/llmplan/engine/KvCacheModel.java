package dev.llmplan.engine;

import java.util.List;

/**
 * KV cache: 2 x layers x kv_heads x head_dim x tokens x batch x bytes, with sliding-window layers
 * capped at the window, MLA's compressed latent, cross-attention over the encoder input, and the
 * fixed recurrent state of RWKV-style models.
 */
final class KvCacheModel {
    private KvCacheModel() {
    }

    record Result(Bytes bytes, String formula, String source) {
    }

    /** RWKV-4 keeps 5 vectors of hidden size per layer in fp32 (att: xx, aa, bb, pp; ffn: xx). */
    static final int RWKV_STATE_VECTORS = 5;

    /** The cache without any runtime's layout quirks (the generation inside RLHF training). */
    static Result compute(ModelSpec model, int context, int batch, KvFormat kv, List<String> assumptions) {
        return compute(model, context, batch, kv, Runtime.GENERIC, assumptions);
    }

    static Result compute(ModelSpec model, int context, int batch, KvFormat kv, Runtime runtime, List<String> assumptions) {
        Architecture a = model.arch();
        double bytesPerValue = kv.bits() / 8.0;
        if (model.type() == ModelType.ENCODER) {
            return new Result(Bytes.ZERO, "encoder-only model: no KV cache", "");
        }
        if (model.type() == ModelType.RECURRENT) {
            if (a.hidden() == null || a.totalLayers() == 0) {
                assumptions.add("recurrent model without layer/hidden sizes: state not estimated");
                return new Result(Bytes.ZERO, "recurrent state unknown", "");
            }
            double b = (double) a.totalLayers() * RWKV_STATE_VECTORS * a.hidden() * 4 * batch;
            return new Result(Bytes.ofDouble(b), Fmt.format("recurrent state: %d layers x %d x %d hidden x 4 B x %d batch (no KV cache, constant in context)",
                    a.totalLayers(), RWKV_STATE_VECTORS, a.hidden(), batch), "RWKV-4 (Peng et al. 2023) state layout");
        }
        int layers = a.cachingLayers();
        if (layers == 0 || a.hidden() == null) {
            assumptions.add("layer count or hidden size unknown: KV cache not estimated");
            return new Result(Bytes.ZERO, "architecture unknown", "");
        }
        if (a.isMla() && a.kvLoraRank() != null) {
            int perToken = a.kvLoraRank() + (a.ropeHeadDim() == null ? 0 : a.ropeHeadDim());
            double b = (double) layers * perToken * context * batch * bytesPerValue;
            return new Result(Bytes.ofDouble(b), Fmt.format("MLA latent: %d layers x (%d latent + %d rope) x %d tokens x %d batch x %s B",
                    layers, a.kvLoraRank(), perToken - a.kvLoraRank(), context, batch, fmt(bytesPerValue)),
                    "DeepSeek-V2 paper §2.1 (MLA caches the compressed KV latent and the decoupled RoPE key)");
        }
        Integer kvHeads = a.effectiveKvHeads();
        Integer headDim = a.effectiveHeadDim();
        if (kvHeads == null || headDim == null) {
            assumptions.add("attention heads unknown: KV cache sized from the hidden size (MHA)");
            kvHeads = 1;
            headDim = a.hidden();
        } else if (a.headDim() == null) {
            assumptions.add("head dimension not given: assumed hidden / heads = " + headDim);
        }
        // The runtime decides which layers keep only the window and how many cells a window holds.
        int sliding = runtime.slidingLayers(a, layers, assumptions);
        int window = a.slidingWindow() == null ? context : runtime.slidingWindowTokens(a.slidingWindow(), context);
        double tokensAll = (double) (layers - sliding) * context + (double) sliding * window;
        double perTokenLayer = 2.0 * kvHeads * headDim * bytesPerValue;
        double b = tokensAll * perTokenLayer * batch;
        StringBuilder f = new StringBuilder(Fmt.format("2 (K,V) x %d kv_heads x %d head_dim x %s B x %d batch x ", kvHeads, headDim, fmt(bytesPerValue), batch));
        if (sliding > 0 && window < context) {
            f.append(Fmt.format("(%d full layers x %d tokens + %d sliding layers x %d window)",
                    layers - sliding, context, sliding, window));
        } else {
            f.append(Fmt.format("%d layers x %d tokens", layers, context));
        }
        if (model.type() == ModelType.ENCODER_DECODER) {
            // Each decoder layer also caches K and V of the encoder output (cross-attention), here
            // for an encoder input as long as the context.
            double cross = (double) layers * context * perTokenLayer * batch;
            b += cross;
            f.append(Fmt.format(" + cross-attention %d layers x %d encoder tokens", layers, context));
        }
        return new Result(Bytes.ofDouble(b), f.toString(),
                "2 x layers x kv_heads x head_dim x tokens x bytes (llama.cpp KV self size; vLLM cache engine)");
    }

    static String fmt(double x) {
        return x == Math.rint(x) ? String.valueOf((long) x) : Fmt.format("%.4g", x);
    }
}
