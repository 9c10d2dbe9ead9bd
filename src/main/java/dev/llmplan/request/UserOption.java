package dev.llmplan.request;

import dev.llmplan.planfile.PlanKey;
import dev.llmplan.planfile.PlanKey.ValueType;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One user setting, declared once in {@link Options}: its plan-file key, command-line names, the value
 * it takes, where it is accepted and how a value is checked on its own. The CLI's options, plan-file
 * keys, the shell's {@code set} names and completion all read this declaration.
 *
 * @param key         plan-file key and the name engine messages use for it ({@code {kvCache}})
 * @param names       command-line names, the long one last ({@code -q}, {@code --quant})
 * @param label       parameter label in help; unique among options with fixed values (completion scripts
 *                    name their value lists after it); null for a flag, which takes no value on the command
 *                    line and means "on" (plan files and the shell's {@code set} still write on/off)
 * @param section     where a plan file holds it
 * @param type        the shape of its value (plan-file typing and the plan JSON Schema)
 * @param uses        the commands that accept it
 * @param description help text
 * @param values      fixed values to complete, or null
 * @param check       rejects a value on its own (null: needs more context, e.g. the catalog)
 */
public record UserOption(String key, List<String> names, String label, Section section, ValueType type, Set<Use> uses,
                         String description, Supplier<List<String>> values, Consumer<String> check) {

    /** The plan-file mapping that holds the key. */
    public enum Section {
        WORKLOAD("workload"), HARDWARE("hardware");

        private final String key;

        Section(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** Commands (and plan files) that accept the option. */
    public enum Use {
        FIT, RECOMMEND, MODELS_FITS, PLAN;

        public static final Set<Use> ALL = EnumSet.allOf(Use.class);
    }

    public UserOption {
        names = List.copyOf(names);
        uses = Set.copyOf(uses);
    }

    /** Whether the option is a flag: no value on the command line. */
    public boolean isFlag() {
        return label == null;
    }

    /** The long command-line name, e.g. {@code --kv-cache}. */
    public String flag() {
        return names.get(names.size() - 1);
    }

    /** The name {@code set} takes in the shell: the long name without dashes, e.g. {@code kv-cache}. */
    public String shellName() {
        return flag().substring(2);
    }

    /** Where a plan file holds it, e.g. {@code workload.kvCache}. */
    public String planPath() {
        return section.key() + "." + key;
    }

    /** The plan-file key this option is. */
    public PlanKey planKey() {
        return new PlanKey(section.key(), key, type);
    }

    public boolean usedBy(Use use) {
        return uses.contains(use);
    }

    public List<String> fixedValues() {
        return values == null ? List.of() : values.get();
    }

    /** Checks a value alone, throwing the parser's own error; a no-op when the option needs more context. */
    public void checkValue(String text) {
        if (check != null) {
            check.accept(text);
        }
    }

    @Override
    public String toString() {
        return flag().toLowerCase(Locale.ROOT);
    }

    /**
     * An option is its plan key: each is declared once in {@link Options}. (The record's generated equals and
     * hashCode would compare the value and check lambdas by identity anyway, and cost a method-handle
     * bootstrap, about 20 ms, the first time an option is put in a map at start-up.)
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof UserOption other && key.equals(other.key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }
}
