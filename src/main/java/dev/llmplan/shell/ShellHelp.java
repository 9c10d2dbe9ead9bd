package dev.llmplan.shell;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.util.Map;

/** Help texts for the shell itself; command help comes from picocli as on the command line. */
final class ShellHelp {
    private ShellHelp() {
    }

    static String overview(CommandSpec root) {
        StringBuilder sb = new StringBuilder();
        sb.append("Every llmplan command works here as on the command line, without the 'llmplan' in front:\n");
        for (Map.Entry<String, CommandLine> e : root.subcommands().entrySet()) {
            CommandSpec s = e.getValue().getCommandSpec();
            if (s.usageMessage().hidden() || e.getKey().equals("shell")) {
                continue;
            }
            String[] d = s.usageMessage().description();
            // picocli descriptions are format strings ("%n" for a line break): show them as text.
            String first = d.length == 0 ? "" : d[0].replace("%n", " ").replace("%%", "%").strip();
            sb.append(String.format("  %-12s %s%n", e.getKey(), first));
        }
        sb.append("""

                Shell commands:
                  set KEY VALUE  session default for an option: set gpu 2x rtx-4060-ti-16gb, set quant 4bit,
                                 set context 8k (used where a line does not give the option)
                  unset KEY      remove a default ('unset all' removes every one)
                  settings       show the defaults and the commands they apply to
                  help COMMAND   a command's options (same as COMMAND --help)
                  exit, quit     leave the shell (also Ctrl-D)

                Keys: Tab completes commands, options, values, model and GPU ids and file names;
                Up/Down and Ctrl-R search the history; Ctrl-C cancels the line; Ctrl-D leaves.
                """);
        return sb.toString();
    }

    static String builtin(String name) {
        return switch (name) {
            case "set" -> """
                    set KEY VALUE
                      Sets a session default: the value is added as --KEY VALUE to every later line whose command
                      has that option and does not give it. KEY is an option's long name without dashes.
                      Examples: set gpu 2x rtx-4060-ti-16gb · set quant 4bit · set context 8k · set mode qlora
                      'set' alone lists the defaults.
                    """;
            case "unset" -> """
                    unset KEY...
                      Removes session defaults; 'unset all' removes every one.
                    """;
            case "settings" -> """
                    settings
                      Lists the session defaults and the commands each applies to.
                    """;
            case "help" -> """
                    help [COMMAND]
                      Without a command: what the shell offers. With one: that command's options.
                    """;
            default -> """
                    exit, quit
                      Leave the shell (Ctrl-D does the same). History is kept for the next session.
                    """;
        };
    }
}
