package dev.llmplan.shell;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.engine.GgufFileType;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.Mode;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.SystemSpec;
import dev.llmplan.engine.WeightFormat;
import dev.llmplan.format.OutputFormat;
import dev.llmplan.request.HardwareResolver;
import dev.llmplan.request.Options;
import dev.llmplan.request.UserOption;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Completion candidates for a shell line, from the picocli tree (commands, options), the engine's
 * own value lists (formats, modes, runtimes, ...) and the catalog in use (models, GPUs, systems).
 * Free of JLine so it can be tested on plain word lists; {@link ShellCompleter} adapts it.
 */
final class Completions {
    /** A candidate: the text to insert, a short description, and whether a space may follow it. */
    record Suggestion(String value, String description, boolean complete) {
        Suggestion(String value) {
            this(value, null, true);
        }
    }

    /** A count in front of a GPU name, as HardwareParser accepts it: "2x", "2 x ", "4×". */
    private static final Pattern COUNT = Pattern.compile("(?i)^(\\d+\\s*[x×*]\\s*)(.*)$");


    private final CommandSpec root;
    private final Supplier<Catalog> catalog;
    private final SessionDefaults defaults;
    private final FileCandidates files;

    /** @param catalog the catalog in use, or null when it cannot be loaded (no catalog candidates then) */
    Completions(CommandSpec root, Supplier<Catalog> catalog, SessionDefaults defaults, Path workingDir) {
        this.root = root;
        this.catalog = catalog;
        this.defaults = defaults;
        this.files = new FileCandidates(workingDir);
    }

    /** Candidates for {@code partial}, the current word up to the cursor, after the complete words {@code before}. */
    List<Suggestion> complete(List<String> before, String partial) {
        List<Suggestion> all = candidates(before, partial);
        String p = partial.toLowerCase(Locale.ROOT);
        Set<String> seen = new LinkedHashSet<>();
        List<Suggestion> out = new ArrayList<>();
        for (Suggestion s : all) {
            if (s.value().toLowerCase(Locale.ROOT).startsWith(p) && seen.add(s.value())) {
                out.add(s);
            }
        }
        return out;
    }

    private List<Suggestion> candidates(List<String> before, String partial) {
        if (before.isEmpty()) {
            List<Suggestion> out = new ArrayList<>(commands(root));
            ShellBuiltins.NAMES.forEach(n -> out.add(new Suggestion(n, "shell", true)));
            return out;
        }
        String first = before.get(0);
        switch (first) {
            case "set":
                if (before.size() == 1) {
                    return defaults.keys().stream().map(k -> new Suggestion(k, "--" + k, true)).toList();
                }
                return settingValue(before, partial);
            case "unset":
                List<Suggestion> set = new ArrayList<>(defaults.values().keySet().stream().map(Suggestion::new).toList());
                set.add(new Suggestion("all"));
                return before.size() == 1 ? set : List.of();
            case "help":
                List<Suggestion> names = new ArrayList<>(commands(root));
                ShellBuiltins.NAMES.forEach(n -> names.add(new Suggestion(n)));
                return before.size() == 1 ? names : List.of();
            case "exit", "quit", "settings":
                return List.of();
            default:
                return inCommand(before, partial);
        }
    }

    /** {@code set KEY VALUE}: the option's values; {@code set gpu 2x rtx-<TAB>} completes the GPU after the count. */
    private List<Suggestion> settingValue(List<String> before, String partial) {
        String key = before.get(1);
        if (key.equals("gpu") && before.size() == 3 && COUNT.matcher(before.get(2)).matches()
                && COUNT.matcher(before.get(2)).replaceFirst("$2").isEmpty()) {
            return hardware("");
        }
        if (before.size() > 2) {
            return List.of();
        }
        OptionSpec opt = findAnywhere(root, "--" + key);
        return opt == null ? List.of() : values(opt, partial);
    }

    private List<Suggestion> inCommand(List<String> before, String partial) {
        LinePosition pos = LinePosition.of(root, before);
        CommandSpec cmd = pos.command();
        if (pos.awaitingValue() != null) {
            return values(pos.awaitingValue(), partial);
        }
        int eq = partial.indexOf('=');
        if (partial.startsWith("--") && eq > 0) {
            OptionSpec opt = cmd.findOption(partial.substring(0, eq));
            if (opt == null || !LinePosition.takesValue(opt)) {
                return List.of();
            }
            String prefix = partial.substring(0, eq + 1);
            return values(opt, partial.substring(eq + 1)).stream()
                    .map(s -> new Suggestion(prefix + s.value(), s.description(), s.complete())).toList();
        }
        if (partial.startsWith("-")) {
            return options(cmd);
        }
        if (pos.positionalIndex() == 0 && !cmd.subcommands().isEmpty()) {
            return commands(cmd);
        }
        PositionalParamSpec param = positional(cmd, pos.positionalIndex());
        if (param == null) {
            return partial.isEmpty() ? options(cmd) : List.of();
        }
        return values(param, partial);
    }

    private static PositionalParamSpec positional(CommandSpec cmd, int index) {
        for (PositionalParamSpec p : cmd.positionalParameters()) {
            if (p.index().contains(index)) {
                return p;
            }
        }
        return null;
    }

    private static List<Suggestion> commands(CommandSpec cmd) {
        List<Suggestion> out = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : cmd.subcommands().entrySet()) {
            CommandSpec s = e.getValue().getCommandSpec();
            if (!s.usageMessage().hidden()) {
                String[] d = s.usageMessage().description();
                out.add(new Suggestion(e.getKey(), d.length == 0 ? null : d[0], true));
            }
        }
        return out;
    }

    private static List<Suggestion> options(CommandSpec cmd) {
        List<Suggestion> out = new ArrayList<>();
        for (OptionSpec o : cmd.options()) {
            if (o.hidden()) {
                continue;
            }
            String[] d = o.description();
            for (String n : o.names()) {
                out.add(new Suggestion(n, d.length == 0 ? null : d[0], true));
            }
        }
        return out;
    }

    private static OptionSpec findAnywhere(CommandSpec cmd, String name) {
        for (CommandLine sub : cmd.subcommands().values()) {
            OptionSpec o = sub.getCommandSpec().findOption(name);
            if (o == null) {
                o = findAnywhere(sub.getCommandSpec(), name);
            }
            if (o != null) {
                return o;
            }
        }
        return null;
    }

    /** Values for an option or positional: by option name first, then by what its label says it is. */
    List<Suggestion> values(ArgSpec arg, String partial) {
        String name = arg instanceof OptionSpec o ? o.longestName() : "";
        UserOption option = Options.byName(name).orElse(null);
        if (option == Options.QUANT || option == Options.DRAFT_QUANT) {
            return formats();
        }
        if (option == Options.MODE) {
            return Arrays.stream(Mode.values()).map(m -> new Suggestion(m.id(), m.description(), true)).toList();
        }
        if (option == Options.GPU || name.equals("--fits")) {
            return hardware(partial);
        }
        if (option != null && option.values() != null) {
            return ids(option.fixedValues().stream());
        }
        switch (name) {
            case "--format": return ids(OutputFormat.ids().stream());
            case "--units": return ids(List.of("gib", "gb").stream());
            case "--catalog": return files.complete(partial);
            default: break;
        }
        String label = arg.paramLabel().toUpperCase(Locale.ROOT);
        if (label.contains("FILE") || label.contains("PATH") || label.contains("PLAN") || label.contains("DIR")) {
            return files.complete(partial);
        }
        if (label.contains("MODEL")) {
            return looksLikePath(partial) ? files.complete(partial) : models();
        }
        if (label.contains("HARDWARE") || label.contains("GPU")) {
            return hardware(partial);
        }
        if (label.equals("ID")) {
            List<Suggestion> out = new ArrayList<>(models());
            out.addAll(hardware(partial));
            return out;
        }
        if (label.contains("COMMAND")) {
            return commands(root);
        }
        List<Suggestion> out = new ArrayList<>();
        Iterable<String> fixed = arg.completionCandidates();
        if (fixed != null) {
            fixed.forEach(v -> out.add(new Suggestion(v)));
        }
        return out;
    }

    private static boolean looksLikePath(String s) {
        return s.startsWith("/") || s.startsWith("./") || s.startsWith("../") || s.startsWith("~") || s.contains("/.")
                || (s.contains("/") && !s.contains(" ") && (s.startsWith(".") || s.endsWith("/")));
    }

    private static List<Suggestion> ids(java.util.stream.Stream<String> ids) {
        return ids.map(Suggestion::new).toList();
    }

    /** Every named weights format, the common aliases, and every GGUF file type. */
    private static List<Suggestion> formats() {
        List<Suggestion> out = new ArrayList<>();
        for (WeightFormat f : WeightFormat.all()) {
            out.add(new Suggestion(f.id()));
        }
        out.add(new Suggestion("8bit", "int8", true));
        out.add(new Suggestion("4bit", "int4", true));
        for (GgufFileType t : GgufFileType.values()) {
            out.add(new Suggestion(t.id(), "GGUF", true));
        }
        return out;
    }

    private List<Suggestion> models() {
        Catalog c = catalog.get();
        if (c == null) {
            return List.of();
        }
        List<Suggestion> out = new ArrayList<>();
        for (ModelSpec m : c.models()) {
            out.add(new Suggestion(m.id(), m.name(), true));
        }
        for (ModelSpec m : c.models()) {
            m.aliases().forEach(a -> out.add(new Suggestion(a, m.id(), true)));
        }
        return out;
    }

    /**
     * GPU and system ids and aliases. Whatever precedes the GPU name is kept in front of each candidate:
     * earlier items of a comma-separated mix and a count ("2x", "2x " inside quotes).
     */
    List<Suggestion> hardware(String partial) {
        Catalog c = catalog.get();
        if (c == null) {
            return List.of();
        }
        int comma = partial.lastIndexOf(',');
        Matcher m = COUNT.matcher(partial.substring(comma + 1));
        String prefix = partial.substring(0, comma + 1) + (m.matches() ? m.group(1) : "");
        List<Suggestion> out = new ArrayList<>();
        if (prefix.isEmpty()) {
            out.add(new Suggestion(HardwareResolver.AUTO, "this machine's GPUs", true));
            out.add(new Suggestion(dev.llmplan.plan.HardwareSpec.CPU_NAMES.get(0), "no GPU: everything in host memory", true));
        }
        for (GpuSpec g : c.gpus()) {
            out.add(new Suggestion(prefix + g.id(), g.name(), true));
        }
        for (SystemSpec s : c.systems()) {
            out.add(new Suggestion(prefix + s.id(), s.name(), true));
        }
        for (GpuSpec g : c.gpus()) {
            g.aliases().forEach(a -> out.add(new Suggestion(prefix + a, g.id(), true)));
        }
        for (SystemSpec s : c.systems()) {
            s.aliases().forEach(a -> out.add(new Suggestion(prefix + a, s.id(), true)));
        }
        return out;
    }
}
