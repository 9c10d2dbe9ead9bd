package dev.llmplan.request;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.ParamCount;

import java.util.Comparator;
import java.util.Optional;

/**
 * Closed models: those with a published shape are sized as hypotheticals by the engine; the others
 * (GPT-4 class: no architecture, often no parameter count) cannot be sized, and the refusal names the
 * closest open model to plan instead.
 */
final class ClosedModels {
    private ClosedModels() {
    }

    static LlmplanException refusal(ModelSpec m, Catalog catalog) {
        String why = m.hasParameters()
                ? "a parameter count (" + ParamCount.humanCount(m.parameters()) + ") but no published architecture"
                : "no published parameter count or architecture";
        String instead = closestOpen(m, catalog)
                .map(o -> "; the closest open model is " + o.id() + " (" + ParamCount.humanCount(o.parameters()) + ")"
                        + (m.hasParameters() ? "" : ", " + basis(m, o)))
                .orElse("");
        String bare = m.hasParameters() ? "; '" + ParamCount.humanCount(m.parameters())
                + "' as MODEL sizes a bare model of that count" : "";
        return LlmplanException.badData(m.name() + " has no public weights and " + why + ": its memory cannot be sized"
                + instead + bare);
    }

    /**
     * By size when the closed model has a count (nearest on a log scale), else the same developer's largest
     * open model, else the largest open model in the catalog.
     */
    static Optional<ModelSpec> closestOpen(ModelSpec m, Catalog catalog) {
        var open = catalog.models().stream().filter(o -> o.openWeights() && o.hasParameters()).toList();
        if (m.hasParameters()) {
            double p = Math.log(m.parameters());
            return open.stream().min(Comparator.comparingDouble((ModelSpec o) -> Math.abs(Math.log(o.parameters()) - p))
                    .thenComparing(ModelSpec::id));
        }
        Comparator<ModelSpec> bySize = Comparator.comparingLong(ModelSpec::parameters);
        Optional<ModelSpec> sameDeveloper = open.stream()
                .filter(o -> m.developer() != null && m.developer().equals(o.developer())).max(bySize);
        return sameDeveloper.isPresent() ? sameDeveloper : open.stream().max(bySize.thenComparing(ModelSpec::id));
    }

    private static String basis(ModelSpec m, ModelSpec o) {
        return m.developer() != null && m.developer().equals(o.developer())
                ? "the largest open model by " + m.developer() : "the largest open model in the catalog";
    }
}
