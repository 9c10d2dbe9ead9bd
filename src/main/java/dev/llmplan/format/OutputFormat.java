package dev.llmplan.format;

import dev.llmplan.engine.LlmplanException;

import java.util.Locale;

/** Output formats every list and result command supports. */
public enum OutputFormat {
    TABLE, JSON, YAML, CSV, MARKDOWN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OutputFormat parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("md")) {
            return MARKDOWN;
        }
        for (OutputFormat f : values()) {
            if (f.id().equals(t)) {
                return f;
            }
        }
        throw LlmplanException.invalid("unknown format '" + text + "': expected table, json, yaml, csv or markdown");
    }
}
