package dev.llmplan.plan;

import dev.llmplan.engine.Architecture;
import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.Component;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.MultiGpuSplit;
import dev.llmplan.engine.Part;
import dev.llmplan.engine.Runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Places an estimate on hardware. Parts paid by every GPU (CUDA context, activations) go on each
 * card; split parts (weights, KV cache) are divided by the strategy: evenly for tensor parallel,
 * by whole layers in proportion to free memory for a layer split (llama.cpp --tensor-split,
 * accelerate device_map="auto"), fully on every card for data-parallel inference replicas. When
 * the GPUs are not enough and host RAM is given, trailing layers stay in RAM (llama.cpp -ngl).
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
        return place(estimate, hardware, PlanOptions.AUTO);
    }

    public static FitResult place(Estimate e, HardwareSpec hw, PlanOptions options) {
        List<GpuSpec> cards = hw.cards();
        int n = cards.size();
        boolean training = e.workload().mode().isTraining();
        List<String> notes = new ArrayList<>();
        Strategy s = n == 1 ? Strategy.SINGLE : options.strategy() != null ? options.strategy() : auto(e, hw, notes);
        long overhead = overheadPerGpu(e);
        long reserve = options.reserve() != null ? options.reserve().value() : overhead;
        long perGpu = e.perGpuBytes().value() - overhead + reserve;
        long split = e.splitBytes().value();
        long kv = sum(e, false, Component.KV_CACHE);
        if (training && (s == Strategy.TENSOR || s == Strategy.LAYERS)) {
            // Megatron-style model parallelism with sequence parallelism (Korthikanti et al. 2022):
            // model states and activations are both divided; only the runtime reserve stays per card.
            split += perGpu - reserve;
            perGpu = reserve;
            notes.add("model-parallel training: weights, gradients, optimizer states and activations divided over "
                    + n + " GPUs (Megatron-LM tensor/pipeline parallel with sequence parallelism)");
        }
        double[] capacity = new double[n];
        double[] free = new double[n];
        for (int i = 0; i < n; i++) {
            capacity[i] = capacityOf(cards.get(i), e.runtime());
            free[i] = capacity[i] - perGpu;
        }
        Architecture arch = e.model().arch();
        int layers = arch.totalLayers();
        double[] shares = new double[n];
        double[] kvShares = new double[n];
        Integer[] layerCounts = new Integer[n];
        String blocker = null;
        String label;
        switch (s) {
            case TENSOR -> {
                int perNode = n / hw.nodes();
                if (!hw.homogeneous()) {
                    blocker = "tensor parallel needs identical cards (use {parallel} pp for mixed cards)";
                } else {
                    String p = TensorParallelCheck.problem(arch, perNode);
                    if (p != null) {
                        blocker = "tensor parallel x" + perNode + " is impossible: " + p;
                    }
                }
                int[] stage = hw.nodes() > 1 && layers > 0 ? LayerSplit.split(layers, new double[hw.nodes()]) : null;
                double kvPerNode = TensorParallelCheck.kvShare(arch, perNode);
                for (int i = 0; i < n; i++) {
                    double nodeShare = stage == null ? 1.0 / hw.nodes() : stage[i / perNode] / (double) layers;
                    shares[i] = nodeShare / perNode;
                    kvShares[i] = nodeShare * kvPerNode;
                }
                label = hw.nodes() > 1
                        ? "tensor parallel x" + perNode + " within each node, pipeline over " + hw.nodes() + " nodes"
                        : "tensor parallel x" + n + " (weights and KV cache split evenly)";
                if (kvPerNode > 1.0 / perNode && blocker == null) {
                    notes.add("KV heads (" + arch.effectiveKvHeads() + ") fewer than the TP degree " + perNode
                            + ": each card keeps a replicated KV head (vLLM replicates KV heads)");
                }
            }
            case LAYERS -> {
                if (layers > 0) {
                    int[] split2 = LayerSplit.split(layers, free);
                    for (int i = 0; i < n; i++) {
                        layerCounts[i] = split2[i];
                        shares[i] = split2[i] / (double) layers;
                    }
                } else {
                    double sum = 0;
                    for (double f : free) {
                        sum += Math.max(0, f);
                    }
                    for (int i = 0; i < n; i++) {
                        shares[i] = sum <= 0 ? 1.0 / n : Math.max(0, free[i]) / sum;
                    }
                    notes.add("layer count unknown: split in proportion to free memory without whole-layer rounding");
                }
                kvShares = shares.clone();
                label = "layer split across " + n + " GPUs in proportion to free memory";
            }
            case DATA -> {
                double each = training ? 1.0 / n : 1.0;
                java.util.Arrays.fill(shares, each);
                java.util.Arrays.fill(kvShares, each);
                label = training ? "data parallel x" + n + " (" + zeroLabel(e) + ")"
                        : "data parallel: " + n + " replicas, each holding the whole model";
            }
            default -> {
                java.util.Arrays.fill(shares, 1.0 / n);
                java.util.Arrays.fill(kvShares, 1.0 / n);
                label = n == 1 ? "single GPU" : "split evenly over " + n + " GPUs";
            }
        }
        if (options.reserve() != null) {
            notes.add("per-card reserve " + (reserve / Bytes.MIB) + " MiB ({reserve}) instead of the runtime's "
                    + (overhead / Bytes.MIB) + " MiB");
        }
        List<CardLoad> loads = new ArrayList<>();
        Verdict overall = Verdict.FITS;
        for (int i = 0; i < n; i++) {
            Bytes used = Bytes.ofDouble(perGpu + (split - kv) * shares[i] + kv * kvShares[i]);
            Bytes cap = Bytes.ofDouble(Math.floor(capacity[i]));
            Verdict v = verdict(cap, used);
            overall = overall.worst(v);
            loads.add(new CardLoad(i, cards.get(i), cap, used, v, shares[i], layerCounts[i]));
        }
        if (blocker != null) {
            return new FitResult(e, hw, loads, Verdict.DOES_NOT_FIT, label + ": " + blocker, s, blocker, null, notes);
        }
        FitResult result = new FitResult(e, hw, loads, overall, label, s, null, null, notes);
        if (!overall.fits() && options.hostRam() != null && !training && s != Strategy.DATA && layers > 0) {
            return offload(e, hw, capacity, perGpu, split, layers, options.hostRam(), notes);
        }
        return result;
    }

    /** llama.cpp -ngl style: as many whole layers on the GPUs as fit with the headroom margin, the rest in RAM. */
    private static FitResult offload(Estimate e, HardwareSpec hw, double[] capacity, long perGpu, long split, int layers,
                                     Bytes ram, List<String> notes) {
        List<GpuSpec> cards = hw.cards();
        double perLayer = split / (double) layers;
        int[] onCard = new int[cards.size()];
        int left = layers;
        for (int i = 0; i < cards.size() && left > 0; i++) {
            double room = capacity[i] * (1 - TIGHT_HEADROOM) - perGpu;
            int fit = room <= 0 ? 0 : (int) Math.min(left, Math.floor(room / perLayer));
            onCard[i] = fit;
            left -= fit;
        }
        int gpuLayers = layers - left;
        Bytes offloaded = Bytes.ofDouble(left * perLayer);
        Bytes host = offloaded.plus(e.hostTotal());
        boolean inRam = host.compareTo(ram) <= 0;
        List<CardLoad> loads = new ArrayList<>();
        Verdict overall = inRam ? Verdict.FITS : Verdict.DOES_NOT_FIT;
        for (int i = 0; i < cards.size(); i++) {
            Bytes used = Bytes.ofDouble(perGpu + onCard[i] * perLayer);
            Bytes cap = Bytes.ofDouble(Math.floor(capacity[i]));
            Verdict v = verdict(cap, used);
            overall = overall.worst(v);
            loads.add(new CardLoad(i, cards.get(i), cap, used, v, onCard[i] / (double) layers, onCard[i]));
        }
        OffloadPlan plan = new OffloadPlan(gpuLayers, layers, offloaded, host, ram, inRam);
        String label = (cards.size() == 1 ? "single GPU" : "layer split over " + cards.size() + " GPUs") + " with "
                + left + " of " + layers + " layers offloaded to host RAM" + (inRam ? "" : " (more than {ram})");
        return new FitResult(e, hw, loads, overall, label, Strategy.LAYERS, null, plan, notes);
    }

    /**
     * The strategy a runtime would use: its own split (whole layers for llama.cpp and transformers'
     * device_map="auto", tensor parallel for vLLM), a layer split on mixed cards or where heads do not
     * divide; training shards data.
     */
    static Strategy auto(Estimate e, HardwareSpec hw, List<String> notes) {
        if (e.workload().mode().isTraining()) {
            return Strategy.DATA;
        }
        if (e.runtime().multiGpuSplit() == MultiGpuSplit.LAYERS || !hw.homogeneous()) {
            return Strategy.LAYERS;
        }
        String p = TensorParallelCheck.problem(e.model().arch(), hw.gpuCount() / hw.nodes());
        if (p != null) {
            notes.add("tensor parallel x" + hw.gpuCount() / hw.nodes() + " is impossible (" + p + "): layer split instead");
            return Strategy.LAYERS;
        }
        return Strategy.TENSOR;
    }

    private static String zeroLabel(Estimate e) {
        Integer z = e.workload().training().zeroStage();
        return z == null || z == 0 ? "replicas, ZeRO as the workload sets it" : "ZeRO stage " + z;
    }

    static long overheadPerGpu(Estimate e) {
        return sum(e, true, Component.OVERHEAD);
    }

    /** Bytes of one component's parts, per GPU or split (a loop: it runs for every candidate placed). */
    private static long sum(Estimate e, boolean perGpu, Component component) {
        long sum = 0;
        for (Part p : e.parts()) {
            if (p.perGpu() == perGpu && p.component() == component) {
                sum += p.bytes().value();
            }
        }
        return sum;
    }

    /** What the runtime lets itself use of the card (vLLM stays inside gpu_memory_utilization). */
    static double capacityOf(GpuSpec gpu, Runtime runtime) {
        return runtime.cardCapacity(gpu.usableMemory().value());
    }

    static Verdict verdict(Bytes capacity, Bytes used) {
        long free = capacity.value() - used.value();
        if (free < 0) {
            return Verdict.DOES_NOT_FIT;
        }
        return free < capacity.value() * TIGHT_HEADROOM ? Verdict.TIGHT : Verdict.FITS;
    }
}
