package dev.llmplan.engine;

/** Which error band applies to an estimate; the data behind it lives outside the engine. */
@FunctionalInterface
public interface ErrorBands {
    ErrorBands NONE = e -> ErrorBand.NONE;

    ErrorBand of(Estimate estimate);
}
