package dev.llmplan.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A multimodal model's vision encoder as its own component: the tower and projector weights, and the
 * workspace of encoding the images of one step; its image tokens go into the KV cache (the text
 * sequence, or the cross-attention layers of Llama 3.2 Vision).
 */
final class VisionEncoderModel {
    private VisionEncoderModel() {
    }

    /** The encoder's parameters (part of the checkpoint's total); 0 for a model without one or a bare size. */
    static long parameters(ModelSpec model) {
        return model.visionEncoder() == null || model.origin() == ModelSpec.Origin.BARE_SIZE ? 0
                : model.visionEncoder().parameters();
    }

    /**
     * The encoder's weight bytes: 16-bit (the compute dtype; 32-bit in an fp32 workload) whatever the language
     * model's format, because the quantisers leave it alone: bitsandbytes and GPTQ/AWQ quantise the language
     * model's blocks, and llama.cpp keeps the encoder in a separate mmproj GGUF written in f16.
     */
    static long bytes(ModelSpec model, WeightFormat format) {
        return parameters(model) * format.computeBytes();
    }

    /** Images one step encodes: images per request x batch. */
    static long images(Workload w) {
        return (long) w.serving().imagesPerRequest() * w.batch();
    }

    /**
     * Image tokens a request adds to the text sequence (and so to the self-attention KV cache): images x tiles
     * x tokens per image; 0 when the tokens reach the text through cross-attention, or are unknown.
     */
    static int sequenceTokens(ModelSpec model, Workload w) {
        VisionEncoder v = parameters(model) == 0 ? null : model.visionEncoder();
        if (v == null || v.imageTokens() == null || v.crossAttentionLayers() != null) {
            return 0;
        }
        return Math.toIntExact((long) w.serving().imagesPerRequest() * v.tilesPerImage() * v.imageTokens());
    }

    /** The weights part (split over the GPUs like the language model's). */
    static Part weights(ModelSpec model, WeightFormat format) {
        VisionEncoder v = model.visionEncoder();
        int c = format.computeBytes();
        return Part.split(Component.VISION_ENCODER, Bytes.of(bytes(model, format)),
                Fmt.format("%s vision tower and projector parameters x %d B (%d-bit whatever {quant}: quantisers leave the"
                        + " encoder alone)", ParamCount.humanCount(v.parameters()), c, 8 * c),
                "bitsandbytes / GPTQ / AWQ quantise the language model's blocks; llama.cpp loads the encoder from an f16"
                        + " mmproj GGUF; " + v.source());
    }

    /**
     * The inference parts: the weights, the workspace of encoding one step's images (a per-GPU part) and, for
     * cross-attention models, the cross-attention KV cache of the image tokens.
     */
    static List<Part> inferenceParts(ModelSpec model, Workload w, Runtime runtime, int context, KvFormat kv,
                                     List<String> assumptions) {
        List<Part> parts = new ArrayList<>();
        VisionEncoder v = model.visionEncoder();
        parts.add(weights(model, w.format()));
        long images = images(w);
        if (images == 0) {
            assumptions.add("no images ({images} 0): the vision encoder's weights only");
            return parts;
        }
        if (v.hasShape()) {
            parts.add(runtime.visionWorkspace(v, images, w));
        } else {
            assumptions.add("the vision tower's shape is unknown: the workspace of encoding an image is not estimated");
        }
        int tokens = v.imageTokens() == null ? 0 : v.imageTokens() * v.tilesPerImage();
        if (v.crossAttentionLayers() != null && tokens > 0) {
            parts.add(crossAttentionCache(model.arch(), v, tokens, w, kv));
            assumptions.add(Fmt.format("%d image tokens per image (%d tiles x %d) reach the text through %d cross-attention"
                    + " layers: they are cached there, not in the text sequence", tokens, v.tilesPerImage(),
                    v.imageTokens(), v.crossAttentionLayers()));
        } else if (tokens > 0) {
            assumptions.add(Fmt.format("image tokens count toward the context: %d image(s) per request ({images}) x %d tokens"
                    + " are cached on top of the %d-token context", w.serving().imagesPerRequest(), tokens, context));
        }
        return parts;
    }

    /**
     * One transformer layer of the tower is alive at a time (inference, no autograd): per patch position the
     * residual, the normed input and the layer output (3 x hidden) and the MLP's fc1 output and its activation
     * (2 x ffn), in the compute dtype; attention runs in fused SDPA / FlashAttention kernels (no positions^2
     * score matrix). Positions per tile = (imageSize / patchSize)^2.
     */
    static Part torchWorkspace(VisionEncoder v, long images, int computeBytes) {
        long positions = v.patchesPerTile() * v.tilesPerImage();
        double bytes = (double) images * positions * (2.0 * v.ffn() + 3.0 * v.hidden()) * computeBytes;
        return Part.perGpu(Component.VISION_ENCODER, Bytes.ofDouble(bytes),
                Fmt.format("encoding %d image(s) x %d positions ((%d / %d)^2 x %d tiles) x (2 x %d MLP + 3 x %d hidden) x %d B",
                        images, positions, v.imageSize(), v.patchSize(), v.tilesPerImage(), v.ffn(), v.hidden(), computeBytes),
                "one ViT layer's working set at the encoder's resolution (tower shape from the checkpoint's vision_config)");
    }

    /**
     * llama.cpp's clip compute buffer (tools/mtmd/clip.cpp): reserved once at load for one image at the encoder's
     * size, since images are encoded one at a time, and computed in f32 whatever the mmproj's type. ggml's graph
     * allocator frees a tensor after its last use and runs the GELU in place, so per position the peak is the
     * larger of the MLP phase (residual, normed input, fc1 output, layer output: ffn + 3 x hidden) and the
     * attention phase (residual, Q, K, V, V's contiguous copy and the attention output: 6 x hidden, plus
     * heads x positions f32 scores when flash attention is off).
     */
    static Part ggmlWorkspace(VisionEncoder v, boolean flashAttention) {
        long positions = v.patchesPerTile() * v.tilesPerImage();
        boolean scores = !flashAttention && v.heads() != null;
        long attention = 6L * v.hidden() + (scores ? (long) v.heads() * positions : 0);
        long mlp = (long) v.ffn() + 3L * v.hidden();
        double bytes = (double) positions * Math.max(attention, mlp) * GGML_F32;
        String attentionTerm = scores ? Fmt.format("6 x %d hidden + %d heads x %d positions", v.hidden(), v.heads(), positions)
                : Fmt.format("6 x %d hidden%s", v.hidden(),
                flashAttention ? "" : "; the tower's heads are unknown, so its attention scores are not counted");
        return Part.perGpu(Component.VISION_ENCODER, Bytes.ofDouble(bytes),
                Fmt.format("clip compute buffer: one image x %d positions ((%d / %d)^2 x %d tiles) x max(%d MLP + 3 x %d hidden,"
                        + " %s) x 4 B (f32)", positions, v.imageSize(), v.patchSize(), v.tilesPerImage(), v.ffn(), v.hidden(),
                        attentionTerm),
                "llama.cpp tools/mtmd/clip.cpp: one image's graph in f32, reserved at load; checked against gemma3's clip"
                        + " compute buffer, 121 MiB with flash attention and 1132 MiB without (gpustack/gguf-parser-go issue 44)");
    }

    /** ggml computes the clip graph's activations in f32. */
    private static final int GGML_F32 = 4;

    /** Each cross-attention layer caches K and V of the image tokens: 2 x kv_heads x head_dim per token. */
    static Part crossAttentionCache(Architecture a, VisionEncoder v, int tokensPerImage, Workload w, KvFormat kv) {
        int kvHeads = a.effectiveKvHeads() == null ? 1 : a.effectiveKvHeads();
        int headDim = a.effectiveHeadDim() == null ? a.hidden() : a.effectiveHeadDim();
        long tokens = (long) tokensPerImage * w.serving().imagesPerRequest();
        double bytes = 2.0 * v.crossAttentionLayers() * kvHeads * headDim * (kv.bits() / 8.0) * tokens * w.batch();
        return Part.split(Component.KV_CACHE, Bytes.ofDouble(bytes),
                Fmt.format("cross-attention: 2 (K,V) x %d layers x %d kv_heads x %d head_dim x %s B x %d image tokens x %d batch",
                        v.crossAttentionLayers(), kvHeads, headDim, KvCacheModel.fmt(kv.bits() / 8.0), tokens, w.batch()),
                "Llama 3.2 Vision: image tokens are keys and values of the gated cross-attention layers (mllama)");
    }
}
