package dev.llmplan.plan;

import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.Printable;

import java.util.Locale;

/** Ranking orders of {@code recommend --sort}; ties fall through to the other keys. */
public enum SortKey {
    COST, SPEED, HEADROOM, GPUS;

    public static SortKey parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw LlmplanException.invalid("--sort expects cost, speed, headroom or gpus, got '" + Printable.of(text) + "'");
        }
    }
}
