package dev.llmplan.engine;

/**
 * A multimodal model's vision encoder as the checkpoint holds it: the tower and its projector into the
 * language model. Its parameters are part of the model's total ({@link ModelSpec#parameters()}); the
 * language model alone is the total minus these. {@code imageTokens} is what one image costs the
 * language model (per tile for tiled encoders, see {@code notes}); {@code imageSize} the side in pixels the
 * encoder is fed. Unknown figures are null.
 */
public record VisionEncoder(long parameters, Integer imageTokens, Integer imageSize, String source, String notes) {
}
