package dev.llmplan.engine;

import java.util.List;

/**
 * A model known only by its size ("70B", "8x7B"): a Llama-like shape is chosen so that KV cache
 * and activations can be estimated. Shapes are Llama 2/3's published configs (hidden, layers,
 * KV heads), picked by the nearest size; weights always use the stated count.
 */
public final class BareSize {
    private BareSize() {
    }

    private record Shape(long params, int layers, int hidden, int heads, int kvHeads, int ffn, int vocab) {
    }

    // Llama 3.2 1B/3B, Mistral 7B, Llama 2 13B, Code Llama 34B, Llama 2 70B, Llama 3.1 405B config.json
    // shapes. The 7B point is Mistral's (GQA, 14336 MLP) as today's 7-8B models are, which also makes
    // "8x7B" come out as Mixtral's 46.7B.
    private static final List<Shape> SHAPES = List.of(
            new Shape(1_240_000_000L, 16, 2048, 32, 8, 8192, 128256),
            new Shape(3_210_000_000L, 28, 3072, 24, 8, 8192, 128256),
            new Shape(7_240_000_000L, 32, 4096, 32, 8, 14336, 32000),
            new Shape(13_000_000_000L, 40, 5120, 40, 40, 13824, 32000),
            new Shape(33_700_000_000L, 48, 8192, 64, 8, 22016, 32000),
            new Shape(69_000_000_000L, 80, 8192, 64, 8, 28672, 32000),
            new Shape(405_000_000_000L, 126, 16384, 128, 8, 53248, 128256));

    public static ModelSpec of(String text) {
        ParamCount.Size size = ParamCount.parseSize(text);
        long perExpert = size.perExpert().value();
        Shape shape = nearest(perExpert);
        Architecture.Builder b = Architecture.builder();
        b.layers = shape.layers;
        b.hidden = shape.hidden;
        b.heads = shape.heads;
        b.kvHeads = shape.kvHeads;
        b.headDim = shape.hidden / shape.heads;
        b.ffn = shape.ffn;
        b.ffnType = FfnType.SWIGLU;
        b.vocab = shape.vocab;
        b.attention = shape.kvHeads == shape.heads ? AttentionKind.MHA : AttentionKind.GQA;
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

    private static Shape nearest(long params) {
        Shape best = SHAPES.get(0);
        for (Shape s : SHAPES) {
            if (Math.abs(Math.log((double) s.params / params)) < Math.abs(Math.log((double) best.params / params))) {
                best = s;
            }
        }
        return best;
    }

    static String describe(Architecture a) {
        return a.layers() + " layers, hidden " + a.hidden() + ", " + a.kvHeads() + " KV heads x " + a.headDim()
                + (a.isMoe() ? ", " + a.experts() + " experts, 2 per token" : "");
    }
}
