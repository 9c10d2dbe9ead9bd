package dev.llmplan.engine;

import java.util.List;

/**
 * A model known only by its size ("70B", "8x7B"). Weights always use the stated count; the KV cache
 * and activations need a shape, so one is derived from the size by a rule fitted to today's models:
 * a grouped-query decoder (8 KV heads of 128, SwiGLU MLP 3.5 x hidden, a 128,256-token vocabulary, as
 * in Llama 3) whose depth follows the catalog's dense GQA decoders of 2023 on,
 * layers = 21.1 x (P / 1e9)^0.282 (least squares on log-log over 59 models, LayerRuleTest re-derives it),
 * and whose width fills the remaining parameter budget. Depth and width both grow with the size, so
 * memory never falls as the size grows.
 */
public final class BareSize {
    /** Depth rule: layers = DEPTH_SCALE x (params / 1e9)^DEPTH_EXPONENT (catalog fit, see above). */
    public static final double DEPTH_SCALE = 21.1;
    public static final double DEPTH_EXPONENT = 0.282;
    /** Llama 3 / 3.1's vocabulary, the most common base of today's open models. */
    static final int VOCAB = 128_256;
    static final int HEAD_DIM = 128;
    /** Hidden sizes are whole multiples of this (see {@link #shape}). */
    static final int HIDDEN_STEP = 256;
    static final int KV_HEADS = 8;
    /** SwiGLU MLP width over hidden: Llama 2/3 70B (28672 / 8192) and Mistral 7B (14336 / 4096). */
    static final double FFN_RATIO = 3.5;

    private BareSize() {
    }

    /** The assumed shape of a dense model of {@code params} parameters. */
    static Architecture.Builder shape(long params) {
        double billions = Math.max(params, 1) / 1e9;
        double layersRaw = Math.max(2, DEPTH_SCALE * Math.pow(billions, DEPTH_EXPONENT));
        // Per layer: q and o (2 h^2), k and v (2 x h x 8 x 128), gated MLP (3 x 3.5 h^2); plus untied
        // input and output embeddings (2 V h). Solve layers x (12.5 h^2 + 2048 h) + 2 V h = params.
        double a = layersRaw * (2 + 3 * FFN_RATIO);
        double b = layersRaw * 2.0 * KV_HEADS * HEAD_DIM + 2.0 * VOCAB;
        double hiddenRaw = (-b + Math.sqrt(b * b + 4 * a * Math.max(params, 1))) / (2 * a);
        // Whole 256-wide rows, as today's models have (4096, 3584, 8192): k-quant super-blocks are 256
        // values (ggml QK_K), and a row that does not divide falls back to another type.
        int hidden = (int) Math.max(HIDDEN_STEP, Math.ceil(hiddenRaw / HIDDEN_STEP) * HIDDEN_STEP);
        int heads = hidden / HEAD_DIM;
        Architecture.Builder s = Architecture.builder();
        s.layers = (int) Math.round(layersRaw);
        s.hidden = hidden;
        s.heads = heads;
        s.kvHeads = Math.min(KV_HEADS, heads);
        s.headDim = HEAD_DIM;
        s.ffn = (int) (Math.ceil(FFN_RATIO * hidden / 256) * 256);
        s.ffnType = FfnType.SWIGLU;
        s.vocab = VOCAB;
        s.attention = s.kvHeads.equals(heads) ? AttentionKind.MHA : AttentionKind.GQA;
        return s;
    }

    public static ModelSpec of(String text) {
        ParamCount.Size size = ParamCount.parseSize(text);
        long perExpert = size.perExpert().value();
        Architecture.Builder b = shape(perExpert);
        long total = perExpert;
        Long active = null;
        if (size.isMoe()) {
            // Experts share attention and embeddings: scale only the MLP share of the dense shape.
            Architecture dense = b.build();
            TensorInventory inv = TensorInventory.of(dense, ModelType.DECODER);
            b.experts = size.experts();
            b.expertsPerToken = 2;
            double mlpShare = (inv.total(TensorRole.FFN_UP) + inv.total(TensorRole.FFN_GATE) + inv.total(TensorRole.FFN_DOWN))
                    / (double) inv.total();
            double mlp = perExpert * mlpShare;
            total = Math.round(perExpert - mlp + mlp * size.experts());
            active = Math.round(perExpert - mlp + mlp * 2);
        }
        String label = text.trim().toUpperCase(java.util.Locale.ROOT).replace('X', 'x');
        return new ModelSpec(label.toLowerCase(java.util.Locale.ROOT), label + " (bare size)", List.of(), null, null,
                null, null, true, ModelType.DECODER, total, active, null, null, null,
                "bare size given on the command line", null, b.build(), ModelSpec.Origin.BARE_SIZE, null);
    }

    /** The assumed shape and the rule behind it, for the assumptions list. */
    static String describe(Architecture a) {
        return a.layers() + " layers, hidden " + a.hidden() + ", " + a.kvHeads() + " KV heads x " + a.headDim() + ", MLP "
                + a.ffn() + ", vocabulary " + a.vocab() + (a.isMoe() ? ", " + a.experts() + " experts, 2 per token" : "")
                + Fmt.format("; layers = %.1f x (params per expert / 1e9)^%.3f, fitted to the "
                + "catalog's GQA decoders", DEPTH_SCALE, DEPTH_EXPONENT);
    }
}
