package dev.llmplan.shell;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.cli.Cli;
import dev.llmplan.cli.Context;
import dev.llmplan.request.HardwareLookup;
import dev.llmplan.request.HardwareResolver;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.format.OutputFormat;
import dev.llmplan.format.Units;
import dev.llmplan.request.Options;
import dev.llmplan.request.UserOption;
import dev.llmplan.plan.HardwareParser;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The commands that exist only in the shell: set, unset, settings, help, exit and quit. */
final class ShellBuiltins {
    static final List<String> NAMES = List.of("set", "unset", "settings", "help", "exit", "quit");

    private final SessionDefaults defaults;
    private final Supplier<Catalog> catalog;
    private final CommandSpec root;

    ShellBuiltins(SessionDefaults defaults, Supplier<Catalog> catalog, CommandSpec root) {
        this.defaults = defaults;
        this.catalog = catalog;
        this.root = root;
    }

    static boolean isBuiltin(String word) {
        return NAMES.contains(word);
    }

    /** Runs a builtin; returns the exit code it would have (0, or 2 for a usage error). */
    int run(List<String> words, Context context) {
        String name = words.get(0);
        List<String> args = words.subList(1, words.size());
        try {
            switch (name) {
                case "set" -> set(args, context.out());
                case "unset" -> unset(args, context.out());
                case "settings" -> settings(context.out());
                case "help" -> {
                    return help(args, context);
                }
                default -> {
                    return Cli.OK;
                }
            }
            context.out().flush();
            return Cli.OK;
        } catch (LlmplanException e) {
            context.err().println("llmplan " + name + ": " + Options.forCommandLine(e.getMessage()));
            context.err().flush();
            return Cli.exitCode(e);
        }
    }

    private void set(List<String> args, PrintWriter out) {
        if (args.isEmpty()) {
            settings(out);
            return;
        }
        String key = args.get(0).startsWith("--") ? args.get(0).substring(2) : args.get(0);
        String value = String.join(" ", args.subList(1, args.size()));
        if (!value.isBlank()) {
            check(key, value.trim());
        }
        defaults.set(key, value);
        out.println(key + " = " + defaults.values().get(key) + "  (for " + String.join(", ", defaults.commandsFor(key)) + ")");
    }

    /** Rejects a value the command would reject anyway, now rather than on every later line. */
    private void check(String key, String value) {
        UserOption option = Options.byName("--" + key).orElse(null);
        if (option != null) {
            option.checkValue(value);
        }
        if ((option == Options.GPU || key.equals("fits")) && !HardwareResolver.isAuto(value)) {
            Catalog c = catalog.get();
            if (c != null) {
                HardwareParser.parse(value, 1, new HardwareLookup(c));
            }
        }
        switch (key) {
            case "format" -> OutputFormat.parse(value);
            case "units" -> Units.parse(value);
            default -> {
            }
        }
    }

    private void unset(List<String> args, PrintWriter out) {
        if (args.isEmpty()) {
            throw LlmplanException.invalid("unset needs a key (or 'all'); 'settings' lists them");
        }
        for (String key : args) {
            if (!defaults.unset(key)) {
                out.println(key + " was not set");
            }
        }
    }

    private void settings(PrintWriter out) {
        Map<String, String> values = defaults.values();
        if (values.isEmpty()) {
            out.println("No session defaults. Set one with e.g. 'set gpu 2x rtx-4060-ti-16gb', 'set quant 4bit', 'set context 8k'.");
            return;
        }
        int width = values.keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, String> e : values.entrySet()) {
            out.printf("%-" + width + "s  %s  (--%s for %s)%n", e.getKey(), e.getValue(), e.getKey(),
                    String.join(", ", defaults.commandsFor(e.getKey())));
        }
    }

    private int help(List<String> args, Context context) {
        if (args.isEmpty()) {
            context.out().print(ShellHelp.overview(root));
            context.out().flush();
            return Cli.OK;
        }
        if (isBuiltin(args.get(0))) {
            context.out().print(ShellHelp.builtin(args.get(0)));
            context.out().flush();
            return Cli.OK;
        }
        // Commands: the same help as 'llmplan help COMMAND' on the command line.
        CommandLine cl = Cli.create(context);
        String[] line = new String[args.size() + 1];
        line[0] = "help";
        for (int i = 0; i < args.size(); i++) {
            line[i + 1] = args.get(i);
        }
        return cl.execute(line);
    }
}
