package dev.llmplan.cli;

import dev.llmplan.engine.KvFormat;
import dev.llmplan.engine.Mode;
import dev.llmplan.engine.Runtime;
import dev.llmplan.engine.TrainingOptions;
import dev.llmplan.engine.WeightFormat;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Option values for picocli's generated bash/zsh completion scripts, taken from the engine's own
 * tables so the scripts offer exactly what the parsers accept.
 */
final class Candidates {
    private Candidates() {
    }

    static final class Quant implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return WeightFormat.all().stream().map(WeightFormat::id).iterator();
        }
    }

    static final class Modes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Mode.values()).map(Mode::id).iterator();
        }
    }

    static final class Runtimes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return dev.llmplan.engine.Runtimes.all().stream().map(Runtime::id).iterator();
        }
    }

    static final class KvFormats implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(KvFormat.values()).map(KvFormat::id).iterator();
        }
    }

    static final class Precisions implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(TrainingOptions.Precision.values()).map(TrainingOptions.Precision::id).iterator();
        }
    }

    static final class Optimizers implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(TrainingOptions.Optimizer.values()).map(TrainingOptions.Optimizer::id).iterator();
        }
    }

    static final class Formats implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("table", "json", "yaml", "csv", "markdown").iterator();
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

    /** GPU and system ids of the catalog in use. */
    static final class HardwareIds implements Iterable<String> {
        private final Context context;

        HardwareIds(Context context) {
            this.context = context;
        }

        @Override
        public Iterator<String> iterator() {
            return context.catalogs().get().hardwareIds().iterator();
        }
    }

    static final class UnitNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("gib", "gb").iterator();
        }
    }
}
