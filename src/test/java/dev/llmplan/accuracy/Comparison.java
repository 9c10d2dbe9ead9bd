package dev.llmplan.accuracy;

import dev.llmplan.engine.Component;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.Runtime;
import dev.llmplan.engine.VllmCapacity;
import dev.llmplan.plan.FitResult;
import dev.llmplan.plan.HardwareSpec;
import dev.llmplan.plan.Placement;
import dev.llmplan.plan.PlanOptions;
import dev.llmplan.plan.SpeedAssumptions;
import dev.llmplan.plan.SpeedModel;

import java.util.Map;
import java.util.Set;

/**
 * The part of an estimate a published figure measures (the mapping's `compare`), and the class
 * of figure it belongs to for tolerances and the report.
 */
final class Comparison {
    private Comparison() {
    }

    /** Classes of figures: exact sizes, inference peaks, fine-tuning peaks, fit verdicts (OOM or not). */
    enum Kind {
        EXACT("exact (weights, KV cache)"), INFERENCE("inference peak"), FINETUNE("fine-tune peak"),
        OUTCOME("fit verdict"), SPEED("decode speed"), PART("runtime part (CUDA graphs, draft buffers, vision workspace)");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private static final Set<String> EXACT = Set.of("weights", "weightsGpu", "weightsPerGpu", "weightsHost", "kvCache",
            "weightsGpuPlaced", "weightsHostPlaced", "draftKvCache");

    /** Kinds compared with the closest quantity because the engine has no such part yet: the report lists them. */
    static final Map<String, String> APPROXIMATED = Map.of();

    static Kind kind(String compare, Estimate e) {
        if (compare.equals("fitsOnGpu")) {
            return Kind.OUTCOME;
        }
        if (EXACT.contains(compare)) {
            return Kind.EXACT;
        }
        if (compare.equals("decodeTokensPerSecond")) {
            return Kind.SPEED;
        }
        if (compare.equals("cudaGraphsPerGpu") || compare.equals("draftComputeBuffer") || compare.equals("visionWorkspace")) {
            return Kind.PART;
        }
        return e.workload().mode().isTraining() ? Kind.FINETUNE : Kind.INFERENCE;
    }

    /**
     * As {@link #measure(Estimate, String, GpuSpec)}, with the placement settings of the case: llama.cpp's
     * {@code -ngl} for the weights placed on the card and in host memory, and the host memory bandwidth
     * for a decode speed.
     */
    static double measure(Estimate e, String compare, GpuSpec gpu, CaseOptions o) {
        if (!compare.endsWith("Placed") && !compare.equals("decodeTokensPerSecond")) {
            return measure(e, compare, gpu);
        }
        if (gpu == null) {
            throw new IllegalArgumentException(compare + " needs a gpu");
        }
        FitResult f = Placement.place(e, HardwareSpec.of(gpu, e.workload().gpuCount()),
                PlanOptions.AUTO.withGpuLayers(o.gpuLayers()));
        return switch (compare) {
            case "weightsGpuPlaced" -> f.components().getOrDefault(Component.WEIGHTS, 0L);
            // Host weights: the offloaded layers' and what llama.cpp keeps there anyway (token embedding, experts).
            case "weightsHostPlaced" -> f.hostParts().getOrDefault(Component.WEIGHTS, 0L);
            case "decodeTokensPerSecond" -> {
                Double d = SpeedModel.of(f, SpeedAssumptions.DEFAULTS.withRamBandwidth(o.ramBandwidth())).decodeTokensPerS();
                if (d == null) {
                    throw new IllegalArgumentException("no decode speed for " + gpu.id());
                }
                yield d;
            }
            default -> throw new IllegalArgumentException("unknown comparison " + compare);
        };
    }

    /**
     * For a fit outcome, whether the tool's own verdict on the case's cards is "fits" with the shipped
     * error bands (what fit, recommend and check print); null for other figures.
     */
    static Boolean productFits(Estimate e, String compare, GpuSpec gpu) {
        if (!compare.equals("fitsOnGpu")) {
            return null;
        }
        return Placement.place(e, HardwareSpec.of(gpu, e.workload().gpuCount()),
                PlanOptions.AUTO.withBands(dev.llmplan.catalog.ErrorBandTable.builtin())).verdict()
                == dev.llmplan.plan.Verdict.FITS;
    }

    static double measure(Estimate e, String compare, GpuSpec gpu) {
        int gpus = e.workload().gpuCount();
        // A checkpoint's weights include its vision encoder, which the engine prices as its own component.
        long weightsGpu = e.component(Component.WEIGHTS).value() + encoderWeights(e);
        long host = e.hostTotal().value();
        long overhead = e.component(Component.OVERHEAD).value();
        long kv = e.component(Component.KV_CACHE).value();
        // Model states as DeepSpeed's estimators count them (the ZeRO-3 gather buffer included) and as torch holds
        // them between steps (neither the gathered parameters nor the optimizer step's temporary).
        long states = weightsGpu + e.component(Component.GRADIENTS).value() + e.component(Component.OPTIMIZER).value()
                + e.component(Component.ADAPTERS).value();
        long modelStatesEstimated = states - dev.llmplan.engine.OptimizerStep.bytes(e);
        long modelStates = states - dev.llmplan.engine.StepTransients.bytes(e);
        // torch.cuda.max_memory_allocated: every tensor on the GPUs, no CUDA context (the overhead part).
        double peakAllocated = e.total().value() - overhead;
        // max_memory_reserved, and what nvidia-smi shows: a training run's caching allocator keeps a reserve
        // beyond its tensors (AllocatorReserve), which the estimate states but leaves out of its total.
        double reserve = e.workload().mode().isTraining() && e.runtime().trains()
                ? dev.llmplan.engine.AllocatorReserve.reserved(peakAllocated) - peakAllocated : 0;
        return switch (compare) {
            case "weights" -> weightsGpu + host;
            case "weightsGpu" -> weightsGpu;
            case "weightsPerGpu" -> weightsGpu / (double) gpus;
            case "weightsHost" -> host;
            case "kvCache" -> kv;
            case "activations" -> e.component(Component.ACTIVATIONS).value();
            // vLLM's "torch peak memory increase" of its profiling forward, on one GPU.
            case "activationsPerGpu" -> e.component(Component.ACTIVATIONS).value() / (double) gpus;
            case "weightsPlusActivations" -> weightsGpu + host + e.component(Component.ACTIVATIONS).value();
            // NVML "used" after loading: weights plus the CUDA context PyTorch creates.
            case "weightsPlusPytorchContext" -> weightsGpu + host + dev.llmplan.engine.PyTorchRuntime.CUDA_CONTEXT_BYTES;
            // Whole device use summed over the GPUs (nvidia-smi / NVML), CUDA context included.
            case "total" -> e.total().value() + reserve;
            // One GPU's device use (nvidia-smi per GPU), the work split evenly.
            case "perGpuTotal" -> e.perGpuEven().value() + reserve / gpus;
            // torch.cuda.max_memory_allocated summed over the GPUs: everything but the CUDA context.
            case "peakAllocated" -> peakAllocated;
            case "peakReserved" -> peakAllocated + reserve;
            // max_memory_allocated (max_memory_reserved) of one GPU (rank 0), the work split evenly.
            case "perGpuPeakAllocated" -> e.perGpuEven().value() - overhead / (double) gpus;
            case "perGpuPeakReserved" -> e.perGpuEven().value() - (overhead - reserve) / gpus;
            // optimum's benchmark: peak allocated plus the non-torch memory (CUDA context) of each GPU.
            case "peakAllocatedPlusContext" -> peakAllocated + (double) gpus * dev.llmplan.engine.PyTorchRuntime.CUDA_CONTEXT_BYTES;
            // vLLM "Total non KV cache memory" of one GPU: weights, activation peak and non-torch memory.
            case "nonKvPerGpu" -> e.perGpuEven().value() - kv / (double) gpus;
            // vLLM "Graph capturing finished ... took X GiB": the CUDA graphs of one GPU, whatever the version
            // counts them in (inside gpu_memory_utilization from 0.21, after the KV cache before).
            case "cudaGraphsPerGpu" -> e.runtime() instanceof dev.llmplan.engine.VllmRuntime v
                    ? v.cudaGraphs(e.model().arch(), e.workload()).bytes().value()
                    : Double.NaN;
            // llama.cpp's draft context: its "KV self size" and its "compute buffer size" lines.
            case "draftKvCache" -> dev.llmplan.engine.DraftModel.kvBytes(e).value();
            case "draftComputeBuffer" -> dev.llmplan.engine.DraftModel.computeBufferBytes(e).value();
            // llama.cpp's clip compute buffer: the vision encoder's per-GPU part (its weights are split).
            case "visionWorkspace" -> e.parts().stream().filter(p -> p.component() == Component.VISION_ENCODER && p.perGpu())
                    .mapToLong(p -> p.bytes().value()).sum();
            // vLLM "Available KV cache memory" on one card of the mapping's gpu.
            case "vllmKvAvailable" -> VllmCapacity.of(e, gpu.usableMemory()).kvAvailable().value();
            case "vllmBlocks" -> VllmCapacity.of(e, gpu.usableMemory()).blocks();
            // Binary outcome: 1 when the verdict on the mapping's gpu (x gpus) is that it fits.
            case "fitsOnGpu" -> Placement.place(e, HardwareSpec.of(gpu, gpus)).verdict().fits() ? 1 : 0;
            // Model states per GPU (weights, gradients, optimizer, adapters), as DeepSpeed's estimators print.
            case "modelStatesPerGpu" -> modelStatesEstimated / (double) gpus;
            // torch "mem allocated" between steps: model states without activations or CUDA context.
            case "modelStates" -> modelStates;
            // The same, logged while the training loop still references the last step's outputs: their logits,
            // batch x context (the mapping's average length) x vocab, in the model's dtype (fp32 from the model's own
            // upcast before transformers 4.46).
            case "modelStatesWithOutputLogits" -> modelStates + outputLogits(e);
            // memory_allocated after the HF Trainer's train stage, whose zero_grad(set_to_none) freed the
            // gradients: weights, adapters and optimizer states, per GPU, plus the gradient shards FSDP's flat
            // parameters keep until the next forward (KeptGradients).
            case "modelStatesNoGradsPerGpu" -> (modelStates - (e.component(Component.GRADIENTS).value()
                    - dev.llmplan.engine.StepTransients.gradients(e)) + dev.llmplan.engine.KeptGradients.bytes(e)) / (double) gpus;
            default -> throw new IllegalArgumentException("unknown comparison " + compare);
        };
    }

    /** The logits a model's output holds: batch x context x vocab at the dtype the model returns them in. */
    static double outputLogits(Estimate e) {
        Long vocab = e.model().arch().vocab() == null ? null : (long) e.model().arch().vocab();
        if (vocab == null) {
            return 0;
        }
        boolean upcastInModel = e.runtime() instanceof dev.llmplan.engine.TransformersRuntime t && t.version().before("4.46");
        int bytes = upcastInModel ? 4 : e.workload().format().computeBytes();
        return (double) e.workload().batch() * e.context() * vocab * bytes;
    }

    /** The vision encoder's weights: its parts split over the GPUs (the per-GPU one is the image workspace). */
    static long encoderWeights(Estimate e) {
        long sum = 0;
        for (dev.llmplan.engine.Part p : e.parts()) {
            if (p.component() == Component.VISION_ENCODER && !p.perGpu()) {
                sum += p.bytes().value();
            }
        }
        return sum;
    }
}
