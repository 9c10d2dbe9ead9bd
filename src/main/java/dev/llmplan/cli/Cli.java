package dev.llmplan.cli;

import dev.llmplan.yaml.DataFileException;
import dev.llmplan.yaml.Problem;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.request.Options;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the picocli command tree shared by the one-shot CLI and the shell, with the single error
 * path: typed exceptions become one line on stderr and a documented exit code.
 */
public final class Cli {
    public static final int OK = 0;
    public static final int CHECK_FAILED = 1;
    public static final int USAGE = 2;
    public static final int BAD_DATA = 3;
    public static final int INTERNAL = 4;
    /** Problems printed per catalog or plan file; the rest are counted on one line. */
    public static final int MAX_PROBLEMS_PER_FILE = 100;

    private Cli() {
    }

    static {
        // picocli registers converters for java.time and java.sql types by reflection for every CommandLine it
        // makes (Class.forName and a method scan of some twenty classes, ~8 ms of a start); no option has
        // such a type. A value the user set is kept.
        if (System.getProperty("picocli.converters.excludes") == null) {
            System.setProperty("picocli.converters.excludes", "java\\.(time|sql)\\..*");
        }
    }

    /** The subcommands, in help order. Registered in code so a one-shot run can skip the others. */
    private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    /**
     * Commands from layers above this one (the shell), registered by {@code Main} before any command
     * line is built, so this package never refers to them.
     */
    private static final Map<String, Class<?>> ADDED = new LinkedHashMap<>();

    /** Adds a command defined above this package (the shell); it is listed after {@code check}. */
    public static synchronized void register(String name, Class<?> command) {
        ADDED.put(name, command);
    }

    private static synchronized Map<String, Class<?>> all() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        for (Map.Entry<String, Class<?>> e : SUBCOMMANDS.entrySet()) {
            m.put(e.getKey(), e.getValue());
            if (e.getKey().equals("check")) {
                m.putAll(ADDED);
            }
        }
        return m;
    }

    /** Commands that need the whole tree: help texts, completion scripts, the shell. */
    private static final Set<String> WHOLE_TREE = Set.of("help", "completion", "shell");

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("fit", FitCommand.class);
        m.put("recommend", RecommendCommand.class);
        m.put("models", ModelsCommand.class);
        m.put("gpus", GpusCommand.class);
        m.put("check", CheckCommand.class);
        m.put("inspect", InspectCommand.class);
        m.put("catalog", CatalogCommand.class);
        m.put("completion", CompletionCommand.class);
        m.put("formats", FormatsCommand.class);
        m.put("help", CommandLine.HelpCommand.class);
        return m;
    }

    /**
     * Runs one command line: argument files expanded ({@link ArgumentFiles}), then the tree for its
     * subcommand. A problem with an argument file is a one-line usage error.
     */
    public static int execute(Context context, String[] args) {
        String[] expanded;
        try {
            expanded = expandArgumentFiles(args);
        } catch (LlmplanException e) {
            context.err().println("llmplan: " + firstLine(e.getMessage()));
            context.err().flush();
            return USAGE;
        }
        Timing.mark("argument files");
        CommandLine cl = createFor(context, expanded);
        Timing.mark("command tree built");
        return cl.execute(expanded);
    }

    /** {@code args} with {@code @FILE} arguments replaced by the file's arguments; throws a usage error. */
    public static String[] expandArgumentFiles(String[] args) {
        return ArgumentFiles.expand(args);
    }

    /** The whole command tree (the shell and tests). */
    public static CommandLine create(Context context) {
        return create(context, all().keySet());
    }

    /**
     * The tree a one-shot run needs: only the named subcommand when the line starts with one,
     * since picocli's reflection over every command is most of the start-up time.
     */
    public static CommandLine createFor(Context context, String[] args) {
        if (args.length > 0 && all().containsKey(args[0]) && !WHOLE_TREE.contains(args[0])) {
            return create(context, Set.of(args[0]));
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return create(context, Set.of());
        }
        return create(context);
    }

    private static CommandLine create(Context context, Set<String> names) {
        Factory factory = new Factory(context);
        CommandLine cl = new CommandLine(new RootCommand(context), factory);
        for (Map.Entry<String, Class<?>> e : all().entrySet()) {
            if (names.contains(e.getKey())) {
                try {
                    cl.addSubcommand(e.getKey(), factory.create(e.getValue()));
                    OptionBinding.bind(cl.getSubcommands().get(e.getKey()), context);
                } catch (Exception ex) {
                    throw new IllegalStateException("cannot create command " + e.getKey(), ex);
                }
            }
        }
        addExitCodes(cl);
        // Every command answers --version with the tool's version, not only the root.
        cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(new RootCommand.Version()));
        cl.setOut(context.out());
        cl.setErr(context.err());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // Argument files are expanded before picocli sees the line, with bounds (ArgumentFiles).
        cl.setExpandAtFiles(false);
        cl.setParameterExceptionHandler(Cli::onParameterError);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> onError(e, cmd));
        return cl;
    }

    /** Every command's --help lists the exit codes (commands such as fit and check declare their own). */
    private static void addExitCodes(CommandLine cl) {
        var usage = cl.getCommandSpec().usageMessage();
        if (usage.exitCodeList().isEmpty()) {
            usage.exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODES);
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            addExitCodes(sub);
        }
    }

    private static int onParameterError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        if (e instanceof CommandLine.UnmatchedArgumentException u && cmd.getParent() == null
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            String word = u.getUnmatched().get(0);
            String close = dev.llmplan.engine.Names.closest(word, cmd.getSubcommands().keySet(), 3);
            err.println(prefix(cmd) + "unknown command '" + word + "'" + (close == null ? "" : " (did you mean " + close + "?)")
                    + "; commands: " + String.join(", ", cmd.getSubcommands().keySet()));
            err.flush();
            return USAGE;
        }
        err.println(prefix(cmd) + firstLine(e.getMessage()) + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return USAGE;
    }

    static int onError(Exception e, CommandLine cmd) {
        PrintWriter err = cmd.getErr();
        boolean trace = RootCommand.stacktraceRequested(cmd);
        int code;
        if (e instanceof DataFileException d) {
            printProblems(d.problems(), err, prefix(cmd));
            code = BAD_DATA;
        } else if (e instanceof LlmplanException l) {
            err.println(prefix(cmd) + Options.forCommandLine(firstLine(l.getMessage())));
            code = exitCode(l);
        } else if (e instanceof CommandLine.ParameterException pe) {
            err.println(prefix(cmd) + firstLine(pe.getMessage()));
            code = USAGE;
        } else if (e instanceof InvalidPathException ip) {
            err.println(prefix(cmd) + unrepresentable(ip));
            code = USAGE;
        } else {
            err.println(prefix(cmd) + "internal error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()))
                    + (trace ? "" : " (run with --stacktrace for details)"));
            code = INTERNAL;
        }
        if (trace) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /**
     * One line per problem, at most {@link #MAX_PROBLEMS_PER_FILE} per file and then one line counting the
     * rest, so a generated file with a million bad entries cannot flood the terminal.
     */
    static void printProblems(List<Problem> problems, PrintWriter err, String prefix) {
        Map<String, Integer> shown = new LinkedHashMap<>();
        Map<String, Integer> hidden = new LinkedHashMap<>();
        for (Problem p : problems) {
            int n = shown.merge(p.file(), 1, Integer::sum);
            if (n <= MAX_PROBLEMS_PER_FILE) {
                err.println(prefix + p);
            } else {
                hidden.merge(p.file(), 1, Integer::sum);
            }
        }
        hidden.forEach((file, n) -> err.println(prefix + file + ": and " + n + " more problem" + (n == 1 ? "" : "s")
                + " (the first " + MAX_PROBLEMS_PER_FILE + " are shown)"));
    }

    /**
     * A path (an argument, $HOME, $XDG_CONFIG_HOME, $LLMPLAN_CATALOG...) that the JVM cannot encode: file names
     * are encoded in the locale's character set, which is ASCII when no locale is set. The launcher sets
     * C.UTF-8 then; a bare {@code java -jar} cannot.
     */
    static String unrepresentable(InvalidPathException e) {
        String input = e.getInput() == null ? "" : e.getInput();
        StringBuilder shown = new StringBuilder();
        input.codePoints().limit(200).forEach(c -> shown.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return "cannot use the path '" + shown + "': " + firstLine(e.getReason()) + " in the character set "
                + System.getProperty("sun.jnu.encoding", "of this locale")
                + " (set a UTF-8 locale, e.g. LC_ALL=C.UTF-8, or run through the llmplan launcher)";
    }

    /** The documented exit code of a domain error. */
    public static int exitCode(LlmplanException e) {
        return switch (e.kind()) {
            case INVALID_REQUEST -> USAGE;
            case BAD_DATA -> BAD_DATA;
        };
    }

    static String prefix(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName() + ": ";
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Creates commands with the shared {@link Context}. */
    static final class Factory implements CommandLine.IFactory {
        private final Context context;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        Factory(Context context) {
            this.context = context;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                return cls.getDeclaredConstructor(Context.class).newInstance(context);
            } catch (NoSuchMethodException e) {
                return fallback.create(cls);
            }
        }
    }

    /** The exit codes listed by a command's --help unless it declares its own. */
    private static final Map<String, String> EXIT_CODES = exitCodes();

    private static Map<String, String> exitCodes() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("" + OK, "success");
        m.put("" + CHECK_FAILED, "a check failed (does not fit under --check, or a failing plan entry)");
        m.put("" + USAGE, "usage error (bad option or value)");
        m.put("" + BAD_DATA, "bad data (unknown model or GPU, invalid catalog, plan or model file)");
        m.put("" + INTERNAL, "internal error");
        return m;
    }
}
