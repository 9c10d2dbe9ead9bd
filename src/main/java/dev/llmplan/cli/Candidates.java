package dev.llmplan.cli;

import dev.llmplan.format.OutputFormat;

import java.util.Iterator;
import java.util.List;

/**
 * Completion values of the options that are not in the option table (request/Options declares its own):
 * output formats, units, and the catalog's model and hardware ids.
 */
final class Candidates {
    private Candidates() {
    }

    static final class Formats implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return OutputFormat.ids().iterator();
        }
    }

    /** Model ids of the catalog in use; read only when a completion script is generated. */
    static final class ModelIds implements Iterable<String> {
        private final Context context;

        ModelIds(Context context) {
            this.context = context;
        }

        @Override
        public Iterator<String> iterator() {
            return context.catalogs().get().modelIds().iterator();
        }
    }

    /** "auto" (this machine's GPUs), "cpu" (no GPU), then the GPU and system ids of the catalog in use. */
    static final class HardwareIds implements Iterable<String> {
        private final Context context;

        HardwareIds(Context context) {
            this.context = context;
        }

        @Override
        public Iterator<String> iterator() {
            List<String> ids = new java.util.ArrayList<>();
            ids.add(dev.llmplan.request.HardwareResolver.AUTO);
            ids.add(dev.llmplan.plan.HardwareSpec.CPU_NAMES.get(0));
            ids.addAll(context.catalogs().get().hardwareIds());
            return ids.iterator();
        }
    }

    static final class Currencies implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return java.util.Arrays.stream(dev.llmplan.engine.Currency.values()).map(dev.llmplan.engine.Currency::id).iterator();
        }
    }

    static final class UnitNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("gib", "gb").iterator();
        }
    }
}
