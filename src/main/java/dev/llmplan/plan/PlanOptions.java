package dev.llmplan.plan;

import dev.llmplan.engine.Bytes;

/**
 * Placement choices beyond the workload: the strategy (null chooses by runtime and mode), the
 * memory each card keeps for the runtime (null: the runtime's own overhead), and host RAM for
 * layer offload (null: no offload).
 */
public record PlanOptions(Strategy strategy, Bytes reserve, Bytes hostRam) {
    public static final PlanOptions AUTO = new PlanOptions(null, null, null);

    public PlanOptions withStrategy(Strategy s) {
        return new PlanOptions(s, reserve, hostRam);
    }

    public PlanOptions withRam(Bytes ram) {
        return new PlanOptions(strategy, reserve, ram);
    }
}
