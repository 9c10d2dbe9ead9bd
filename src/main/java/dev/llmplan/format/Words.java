package dev.llmplan.format;

import dev.llmplan.request.Options;

import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;

/**
 * Engine text (assumptions, notes, warnings, suggestions) names user settings as {@code {key}}; output
 * for the command line spells them as its flags ({@code --context}).
 */
final class Words {
    private Words() {
    }

    static String cli(String text) {
        return Options.forCommandLine(text);
    }

    static List<String> cli(List<String> texts) {
        return texts.stream().map(Options::forCommandLine).toList();
    }

    static <V> Map<String, V> cliKeys(Map<String, V> map) {
        Map<String, V> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(Options.forCommandLine(k), v));
        return out;
    }
}
