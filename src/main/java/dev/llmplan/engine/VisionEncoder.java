package dev.llmplan.engine;

/**
 * A multimodal model's vision encoder as the checkpoint holds it: the tower and its projector into the
 * language model. Its parameters are part of the model's total ({@link ModelSpec#parameters()}); the
 * language model alone is the total minus these. {@code imageTokens} is what one image costs the
 * language model (per tile for tiled encoders); {@code imageSize} the side in pixels the encoder is fed.
 * The tower's shape ({@code layers}, {@code hidden}, {@code ffn}, {@code patchSize}) sizes the workspace of
 * encoding one image; {@code tiles} is how many tiles of {@code imageSize} one image becomes at most
 * (Llama 3.2 Vision: 4; 1 otherwise). {@code crossAttentionLayers} is set when image tokens reach the text only
 * through that many cross-attention layers (Llama 3.2 Vision: 8) instead of sitting in the text sequence.
 * {@code heads} (the tower's attention heads) sizes the attention scores a runtime without fused attention
 * materialises. Unknown figures are null.
 */
public record VisionEncoder(long parameters, Integer imageTokens, Integer imageSize, String source, String notes,
                            Integer layers, Integer hidden, Integer ffn, Integer patchSize, Integer tiles,
                            Integer crossAttentionLayers, Integer heads) {

    /** An encoder whose tower shape is not known (only its size and what an image costs the text). */
    public VisionEncoder(long parameters, Integer imageTokens, Integer imageSize, String source, String notes) {
        this(parameters, imageTokens, imageSize, source, notes, null, null, null, null, null, null, null);
    }

    /** Tiles one image is cut into (1 unless the encoder tiles). */
    public int tilesPerImage() {
        return tiles == null ? 1 : tiles;
    }

    /** Whether the tower's shape is known well enough to size the workspace of one image. */
    public boolean hasShape() {
        return hidden != null && ffn != null && patchSize != null && imageSize != null;
    }

    /** Positions the tower runs per tile: (imageSize / patchSize)^2 patches. */
    public long patchesPerTile() {
        long side = imageSize / patchSize;
        return side * side;
    }
}
