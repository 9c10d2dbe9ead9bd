package dev.llmplan.shell;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.List;

/**
 * Where the words of a line lead in the picocli tree: the deepest subcommand named, an option still
 * waiting for its value, and how many positional arguments came before. Used both to inject session
 * defaults and to choose completion candidates, so the two agree with the parser.
 */
record LinePosition(CommandSpec command, OptionSpec awaitingValue, int positionalIndex) {

    static LinePosition of(CommandSpec root, List<String> words) {
        CommandSpec cmd = root;
        OptionSpec pending = null;
        int positional = 0;
        boolean endOfOptions = false;
        for (String w : words) {
            if (pending != null) {
                pending = null;
                continue;
            }
            if (!endOfOptions && w.equals("--")) {
                endOfOptions = true;
                continue;
            }
            if (!endOfOptions && looksLikeOption(w)) {
                OptionSpec opt = option(cmd, w);
                if (opt != null && takesValue(opt) && !w.contains("=") && cmd.findOption(w) != null) {
                    pending = opt;
                }
                continue;
            }
            CommandLine sub = positional == 0 ? cmd.subcommands().get(w) : null;
            if (sub != null) {
                cmd = sub.getCommandSpec();
                continue;
            }
            positional++;
        }
        return new LinePosition(cmd, pending, positional);
    }

    /** The option a word names: {@code --quant}, {@code --quant=4bit} or a clustered {@code -q4bit}. */
    static OptionSpec option(CommandSpec cmd, String word) {
        int eq = word.indexOf('=');
        String name = word.startsWith("--") && eq > 0 ? word.substring(0, eq) : word;
        OptionSpec opt = cmd.findOption(name);
        if (opt == null && !word.startsWith("--") && word.length() > 2) {
            opt = cmd.findOption(word.substring(0, 2));
        }
        return opt;
    }

    static boolean looksLikeOption(String w) {
        return w.length() > 1 && w.startsWith("-") && !Character.isDigit(w.charAt(1));
    }

    static boolean takesValue(OptionSpec opt) {
        return opt.arity().max() > 0;
    }
}
