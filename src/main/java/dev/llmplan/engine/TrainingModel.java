package dev.llmplan.engine;

import java.util.List;

/** Fine-tuning memory (full training, PEFT, ZeRO). */
final class TrainingModel {
    private TrainingModel() {
    }

    record Result(List<Part> parts, List<Part> hostParts, long trainableParams) {
    }

    static Result compute(ModelSpec model, Workload w, int context, Runtime runtime, List<String> assumptions) {
        throw LlmplanException.usage("mode " + w.mode().id() + " is not available yet");
    }
}
