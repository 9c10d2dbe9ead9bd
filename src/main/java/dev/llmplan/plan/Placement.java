package dev.llmplan.plan;

import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.Runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Places an estimate on hardware. Parts paid by every GPU (CUDA context, activations) go on each
 * card; split parts (weights, KV cache) are divided evenly on identical cards (tensor parallel)
 * and in proportion to free memory on mixed cards (layer split, as llama.cpp's --tensor-split and
 * accelerate's device_map="auto" do).
 */
public final class Placement {
    /**
     * Headroom below which a plan is "tight": PyTorch's caching allocator fragments and
     * runtimes allocate small buffers not modelled here, so a few percent must stay free.
     */
    public static final double TIGHT_HEADROOM = 0.05;

    private Placement() {
    }

    public static FitResult place(Estimate estimate, HardwareSpec hardware) {
        List<GpuSpec> cards = hardware.cards();
        Bytes perGpu = estimate.perGpuBytes();
        Bytes split = estimate.splitBytes();
        boolean vllm = estimate.runtime() == Runtime.VLLM;
        double[] capacity = new double[cards.size()];
        double freeSum = 0;
        for (int i = 0; i < cards.size(); i++) {
            capacity[i] = capacityOf(cards.get(i), vllm);
            freeSum += Math.max(0, capacity[i] - perGpu.value());
        }
        boolean even = hardware.homogeneous() || freeSum <= 0;
        List<CardLoad> loads = new ArrayList<>();
        Verdict overall = Verdict.FITS;
        for (int i = 0; i < cards.size(); i++) {
            double share = even ? 1.0 / cards.size() : Math.max(0, capacity[i] - perGpu.value()) / freeSum;
            Bytes used = perGpu.plus(split.times(share));
            Bytes cap = Bytes.ofDouble(Math.floor(capacity[i]));
            Verdict v = verdict(cap, used);
            overall = overall.worst(v);
            loads.add(new CardLoad(i, cards.get(i), cap, used, v));
        }
        String strategy = cards.size() == 1 ? "single GPU"
                : even ? "tensor parallel x" + cards.size() + " (weights and KV cache split evenly)"
                : "layer split across " + cards.size() + " GPUs in proportion to free memory";
        return new FitResult(estimate, hardware, loads, overall, strategy);
    }

    /** vLLM pre-allocates gpu_memory_utilization of the card and stays inside it. */
    static double capacityOf(GpuSpec gpu, boolean vllm) {
        double usable = gpu.usableMemory().value();
        return vllm ? usable * Runtime.VLLM_GPU_MEMORY_UTILIZATION : usable;
    }

    static Verdict verdict(Bytes capacity, Bytes used) {
        long free = capacity.value() - used.value();
        if (free < 0) {
            return Verdict.DOES_NOT_FIT;
        }
        return free < capacity.value() * TIGHT_HEADROOM ? Verdict.TIGHT : Verdict.FITS;
    }
}
