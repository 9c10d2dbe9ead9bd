package dev.llmplan.shell;

import dev.llmplan.engine.LlmplanException;
import dev.llmplan.request.Options;
import dev.llmplan.request.UserOption;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Session defaults set with {@code set KEY VALUE}: a key is the long name of an option that takes a
 * value ({@code gpu} for {@code --gpu}). They live only here, as text, and are added to a line's
 * arguments when the line does not give that option and its command accepts it; the command objects
 * themselves are rebuilt for every line, so nothing else carries over.
 */
final class SessionDefaults {
    /** Options that change what is loaded rather than what is planned; a default would reload per line. */
    private static final List<String> NOT_SETTABLE = List.of("catalog");

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, List<String>> commandsByKey;

    /** @param root the command tree, read once for the option names and which commands accept them */
    SessionDefaults(CommandSpec root) {
        Map<String, List<String>> keys = new TreeMap<>();
        collect(root, keys);
        NOT_SETTABLE.forEach(keys::remove);
        this.commandsByKey = keys;
    }

    private static void collect(CommandSpec cmd, Map<String, List<String>> keys) {
        for (CommandLine sub : new LinkedHashMap<>(cmd.subcommands()).values()) {
            CommandSpec s = sub.getCommandSpec();
            for (OptionSpec o : s.options()) {
                if (LinePosition.takesValue(o) && !o.usageHelp() && !o.versionHelp() && o.longestName().startsWith("--")) {
                    // A table option is set by its own shell name, not by a longer alias (--max-model-len for --context).
                    String key = Options.byName(o.longestName()).map(UserOption::shellName).orElse(o.longestName().substring(2));
                    List<String> cmds = keys.computeIfAbsent(key, k -> new ArrayList<>());
                    if (!cmds.contains(s.qualifiedName(" ").replaceFirst("^\\S+ ", ""))) {
                        cmds.add(s.qualifiedName(" ").replaceFirst("^\\S+ ", ""));
                    }
                }
            }
            collect(s, keys);
        }
    }

    /** Every key {@code set} accepts, sorted. */
    List<String> keys() {
        return new ArrayList<>(commandsByKey.keySet());
    }

    /** The commands whose option a key sets (for {@code settings}). */
    List<String> commandsFor(String key) {
        return commandsByKey.getOrDefault(key, List.of());
    }

    Map<String, String> values() {
        return Collections.unmodifiableMap(values);
    }

    /** Checks the key (with a suggestion when it is close to one) and stores the value as typed. */
    void set(String key, String value) {
        String k = canonical(key);
        if (value == null || value.isBlank()) {
            throw LlmplanException.invalid("set " + k + " needs a value, e.g. " + example(k));
        }
        values.put(k, value.trim());
    }

    /** Removes a default; {@code all} removes every one. Returns false when the key was not set. */
    boolean unset(String key) {
        if (key.equals("all")) {
            boolean any = !values.isEmpty();
            values.clear();
            return any;
        }
        return values.remove(canonical(key)) != null;
    }

    private String canonical(String key) {
        String k = key.startsWith("--") ? key.substring(2) : key;
        if (!commandsByKey.containsKey(k)) {
            throw LlmplanException.invalid("unknown setting '" + key + "': expected one of " + String.join(", ", keys()));
        }
        return k;
    }

    private static String example(String key) {
        return switch (key) {
            case "gpu" -> "set gpu 2x rtx-4060-ti-16gb";
            case "quant" -> "set quant 4bit";
            case "context" -> "set context 8k";
            case "mode" -> "set mode qlora";
            default -> "set " + key + " VALUE";
        };
    }

    /** The defaults that are option-table settings, handed to commands through their context. */
    Map<String, String> tableValues() {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (Options.byName("--" + k).isPresent()) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * The line's arguments plus {@code --key value} for each default that {@code target} accepts and
     * the line does not already give (under any of the option's names).
     */
    List<String> inject(List<String> args, CommandSpec target) {
        List<String> extra = new ArrayList<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (Options.byName("--" + e.getKey()).isPresent()) {
                continue; // workload and hardware settings reach the command through the context (tableValues)
            }
            OptionSpec opt = target.findOption("--" + e.getKey());
            if (opt != null && !given(args, opt)) {
                extra.add(opt.longestName());
                extra.add(e.getValue());
            }
        }
        if (extra.isEmpty()) {
            return args;
        }
        List<String> out = new ArrayList<>(args);
        int end = out.indexOf("--");
        out.addAll(end < 0 ? out.size() : end, extra);
        return out;
    }

    private static boolean given(List<String> args, OptionSpec opt) {
        TreeSet<String> names = new TreeSet<>(List.of(opt.names()));
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            for (String n : names) {
                if (a.equals(n) || (n.startsWith("--") && a.startsWith(n + "="))
                        || (!n.startsWith("--") && a.length() > n.length() && a.startsWith(n) && !a.startsWith("--"))) {
                    return true;
                }
            }
        }
        return false;
    }
}
