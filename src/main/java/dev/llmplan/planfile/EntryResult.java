package dev.llmplan.planfile;

import dev.llmplan.engine.ModelSpec;
import dev.llmplan.plan.FitResult;

import java.util.List;

/** The evaluation of one plan entry: the placement and every requirement's outcome. */
public record EntryResult(PlanEntry entry, ModelSpec model, FitResult fit, DecodeSpeed.Result speed,
                          List<RequirementResult> requirements) {
    public EntryResult {
        requirements = List.copyOf(requirements);
    }

    public boolean passed() {
        return requirements.stream().allMatch(RequirementResult::passed);
    }

    /** The estimate's warnings and the placement's, in engine words ({key} names). */
    public List<String> warnings() {
        List<String> all = new java.util.ArrayList<>(fit.estimate().warnings());
        all.addAll(fit.warnings());
        return all;
    }

    public List<RequirementResult> failures() {
        return requirements.stream().filter(r -> !r.passed()).toList();
    }
}
