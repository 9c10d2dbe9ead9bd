package dev.llmplan.cli;

import dev.llmplan.request.OptionValues;
import dev.llmplan.request.Options;
import dev.llmplan.request.UserOption;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Turns the option table into picocli options: every {@link UserOption} a command uses becomes an
 * option of its spec whose value lands, as text, in the command's {@link OptionValues}.
 */
final class OptionBinding {
    /** A command whose workload and hardware options come from the option table. */
    interface Bound {
        UserOption.Use use();

        OptionValues options();
    }

    private OptionBinding() {
    }

    static void bind(CommandLine cl, Context context) {
        if (cl.getCommand() instanceof Bound b) {
            for (UserOption o : Options.usedBy(b.use())) {
                cl.getCommandSpec().addOption(spec(o, b.options()));
                String fallback = context.sessionDefaults().get(o.shellName());
                if (fallback != null) {
                    b.options().setDefault(o, fallback);
                }
            }
        }
    }

    private static OptionSpec spec(UserOption o, OptionValues values) {
        if (o.isFlag()) {
            FlagBinding flag = new FlagBinding(o, values);
            return OptionSpec.builder(o.names().toArray(new String[0])).arity("0").type(boolean.class)
                    .description(o.description()).getter(flag).setter(flag).build();
        }
        Binding binding = new Binding(o, values);
        OptionSpec.Builder b = OptionSpec.builder(o.names().toArray(new String[0]))
                .paramLabel(o.label())
                .type(String.class)
                .description(o.description())
                .getter(binding)
                .setter(binding);
        if (o.values() != null) {
            b.completionCandidates(() -> o.fixedValues().iterator()); // read only when a script is generated
        }
        return b.build();
    }

    /** A flag: given means "on" in the command's values. */
    private record FlagBinding(UserOption option, OptionValues values) implements CommandLine.Model.IGetter, CommandLine.Model.ISetter {
        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            return (T) Boolean.valueOf(values.has(option));
        }

        @Override
        public <T> T set(T value) {
            T old = get();
            values.set(option, Boolean.TRUE.equals(value) ? "on" : null);
            return old;
        }
    }

    /** Reads and writes one option's text in the command's values. */
    private record Binding(UserOption option, OptionValues values) implements CommandLine.Model.IGetter, CommandLine.Model.ISetter {
        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            return (T) values.get(option);
        }

        @Override
        public <T> T set(T value) {
            T old = get();
            values.set(option, (String) value);
            return old;
        }
    }
}
