package dev.llmplan.plan;

import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.WeightFormat;

/** A catalog model that fits given hardware: the highest-precision format that fits and the longest context. */
public record ModelFit(ModelSpec model, WeightFormat format, FitResult fit, Integer maxContext) {
}
