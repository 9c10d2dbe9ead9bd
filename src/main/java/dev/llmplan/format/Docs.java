package dev.llmplan.format;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.Component;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.Part;
import dev.llmplan.plan.CardLoad;
import dev.llmplan.plan.FitResult;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of JSON/YAML documents several results share, as typed records in the contract's field
 * order. Optional fields are null and left out ({@link JsonInclude.Include#NON_NULL}) where the
 * contract says "absent"; elsewhere null prints as null.
 */
public final class Docs {
    private Docs() {
    }

    /**
     * The model of an estimate. {@code weights} is "open" or "closed"; {@code hypothetical} is true for a closed
     * model sized from its published shape (nothing to download); {@code approximate} for a model file whose
     * shape came from generic config.json fields; {@code visionEncoderParameters} is the part of
     * {@code parameters} that is the vision encoder.
     */
    public record Model(String id, String name, String origin, String type, long parameters, long activeParameters,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Long trainableParameters, Integer maxContext,
                        String source, String weights, boolean hypothetical,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean approximate,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Long visionEncoderParameters) {
        static Model of(Estimate e) {
            ModelSpec m = e.model();
            return new Model(m.id(), m.name(), m.origin().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    m.type() == null ? null : m.type().id(), e.parameters(), e.activeParameters(),
                    e.trainableParameters() > 0 ? e.trainableParameters() : null, m.maxContext(), m.source(),
                    m.openWeights() ? "open" : "closed", m.hypothetical(), m.approximate() ? Boolean.TRUE : null,
                    m.visionEncoder() == null ? null : m.visionEncoder().parameters());
        }
    }

    /** {@code cpuMoe}: the blocks whose routed experts stay in host memory, "all" or a count (absent: none). */
    public record Workload(String mode, String quant, String runtime, int context, boolean contextDefaulted, int batch,
                           int gpus, @JsonInclude(JsonInclude.Include.NON_NULL) String cpuMoe,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String draft,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String draftQuant,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Double draftAcceptance,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Integer loraSlots,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Integer images) {
        static Workload of(Estimate e) {
            dev.llmplan.engine.Workload w = e.workload();
            Integer n = w.serving().cpuMoeLayers();
            String cpuMoe = n == null ? null : n == dev.llmplan.engine.Serving.ALL_LAYERS ? "all" : String.valueOf(n);
            dev.llmplan.engine.Draft d = w.serving().draft();
            return new Workload(w.mode().id(), w.format().id(), e.runtime().label(), e.context(), e.contextDefaulted(),
                    w.batch(), w.gpuCount(), cpuMoe, d == null ? null : d.model().id(), d == null ? null : d.format().id(),
                    d == null ? null : d.acceptance(), w.serving().loraSlots(), w.serving().images());
        }
    }

    /** The serving add-ons of an estimate (draft, served adapters, vision encoder) with their bytes, or null when none. */
    static String addOns(Estimate e, Units u) {
        List<String> out = new ArrayList<>();
        for (Component c : List.of(Component.DRAFT, Component.ADAPTERS, Component.VISION_ENCODER)) {
            Bytes b = e.components().get(c);
            if (b != null && b.value() > 0 && !(c == Component.ADAPTERS && e.workload().mode().isTraining())) {
                out.add(c.label() + " " + u.format(b));
            }
        }
        return out.isEmpty() ? null : String.join(", ", out);
    }

    public record Formula(String component, long bytes, boolean perGpu, String formula, String source) {
        static Formula of(Part p) {
            return new Formula(p.component().key(), p.bytes().value(), p.perGpu(), Words.cli(p.formula()), Words.cli(p.source()));
        }
    }

    static List<Formula> formulas(Estimate e) {
        return e.parts().stream().map(Formula::of).toList();
    }

    public record Card(int index, String gpu, long capacityBytes, long usedBytes, long freeBytes, double headroomPercent,
                       String verdict) {
        static Card of(CardLoad c) {
            return new Card(c.index(), c.gpu().id(), c.capacity().value(), c.used().value(), c.freeBytes(),
                    round1(c.headroomFraction() * 100), c.verdict().label());
        }
    }

    static List<Card> cards(FitResult f) {
        return f.cards().stream().map(Card::of).toList();
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static Workload workload(Estimate e) {
        return Workload.of(e);
    }

    static Model model(Estimate e) {
        return Model.of(e);
    }

    /** A record's non-null components in declaration order, enums by their lower-case names. */
    static Map<String, Object> fields(Record r) {
        Map<String, Object> m = fieldsWithNulls(r);
        m.values().removeIf(v -> v == null);
        return m;
    }

    /** As {@link #fields}, keeping null components. */
    static Map<String, Object> fieldsWithNulls(Record r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                Object v = c.getAccessor().invoke(r);
                m.put(c.getName(), v instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT) : v);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }

    /** " · no public weights: hypothetical" and " · approximate architecture" for a header line, or "". */
    static String modelMarks(ModelSpec m) {
        return (m.hypothetical() ? " · no public weights: hypothetical" : "")
                + (m.approximate() ? " · approximate architecture" : "");
    }

    /** The workload's label line: "inference · int4 · transformers · context 4096 · batch 1". */
    static String workloadLine(Estimate e, boolean markDefault) {
        dev.llmplan.engine.Workload w = e.workload();
        StringBuilder sb = new StringBuilder();
        sb.append(w.mode().id()).append(" · ").append(w.format().id()).append(" · ").append(e.runtime().label());
        if (w.mode() != dev.llmplan.engine.Mode.LOAD) {
            sb.append(" · context ").append(e.context()).append(markDefault && e.contextDefaulted() ? " (default)" : "")
                    .append(" · batch ").append(w.batch());
        }
        Integer cpuMoe = w.serving().cpuMoeLayers();
        if (cpuMoe != null && cpuMoe > 0 && e.hostExperts().layers() > 0) {
            sb.append(" · experts of ").append(cpuMoe == dev.llmplan.engine.Serving.ALL_LAYERS ? "every block"
                    : "the first " + cpuMoe + " blocks").append(" on the CPU");
        }
        if (w.mode() == dev.llmplan.engine.Mode.INFERENCE) {
            dev.llmplan.engine.Serving s = w.serving();
            if (s.draft() != null) {
                sb.append(" · draft ").append(s.draft().model().id()).append(" (").append(s.draft().format().id()).append(')');
            }
            if (s.loraSlots() != null) {
                sb.append(" · ").append(s.loraSlots()).append(s.loraSlots() == 1 ? " LoRA slot" : " LoRA slots");
            }
            if (s.images() != null && e.model().visionEncoder() != null) {
                sb.append(" · ").append(s.images()).append(s.images() == 1 ? " image" : " images");
            }
        }
        return sb.toString();
    }
}
