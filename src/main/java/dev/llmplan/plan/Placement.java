package dev.llmplan.plan;

import dev.llmplan.engine.Architecture;
import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.Component;
import dev.llmplan.engine.ErrorBand;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.Fmt;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.MultiGpuSplit;
import dev.llmplan.engine.NcclBuffers;
import dev.llmplan.engine.Part;
import dev.llmplan.engine.Runtime;
import dev.llmplan.engine.TrainingOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Places an estimate on hardware. Parts paid by every GPU (CUDA context, activations) go on each
 * card; split parts (weights, KV cache) are divided by the strategy: evenly for tensor parallel,
 * by whole layers in proportion to free memory for a layer split (llama.cpp --tensor-split,
 * accelerate device_map="auto"), fully on every card for data-parallel inference replicas. Layers
 * the GPUs do not hold (too many for them with host RAM given, or fewer asked for with
 * {@code gpuLayers}) stay in host memory with their KV cache, as llama.cpp's {@code -ngl} does.
 * Every card's bytes are whole numbers that add up exactly to the parts placed, and each card is
 * judged by one {@link HeadroomPolicy} with the estimate's error band.
 */
public final class Placement {
    private Placement() {
    }

    public static FitResult place(Estimate estimate, HardwareSpec hardware) {
        return place(estimate, hardware, PlanOptions.AUTO);
    }

    public static FitResult place(Estimate e, HardwareSpec hw, PlanOptions options) {
        return new Placement.Run(e, hw, options).place();
    }

    /** One placement: the parts to place, the cards, and the policy they are judged by. */
    private static final class Run {
        private final Estimate e;
        private final HardwareSpec hw;
        private final PlanOptions options;
        private final List<GpuSpec> cards;
        private final int n;
        private final boolean training;
        private final List<String> notes = new ArrayList<>();
        private final HeadroomPolicy policy;
        /** Set by {@link #place} once the strategy says how many GPUs the run spans. */
        private ErrorBand band;
        /** Bytes every card pays, by component (the reserve in place of the runtime's overhead). */
        private final Map<Component, Long> fixed = new EnumMap<>(Component.class);
        /** Bytes split over the cards, by component. */
        private final Map<Component, Long> split = new EnumMap<>(Component.class);
        private final long[] capacity;
        private final int layers;

        Run(Estimate e, HardwareSpec hw, PlanOptions options) {
            this.e = e;
            this.hw = hw;
            this.options = options;
            this.cards = hw.cards();
            this.n = cards.size();
            this.training = e.workload().mode().isTraining();
            Runtime runtime = e.runtime();
            // A runtime that takes a fixed share of the card (vLLM's gpu_memory_utilization) keeps its
            // own headroom outside that share; only the error band applies inside it.
            this.policy = runtime.reservesHeadroom() ? new HeadroomPolicy(0) : options.policy();
            this.capacity = new long[n];
            for (int i = 0; i < n; i++) {
                capacity[i] = (long) Math.floor(runtime.cardCapacity(cards.get(i).usableMemory().value(), e.workload()));
            }
            this.layers = e.model().arch().totalLayers();
        }

        FitResult place() {
            if (hw.cpuOnly()) {
                band = options.bands().of(e, 0);
                return cpuOnly();
            }
            Strategy s = n == 1 ? Strategy.SINGLE : options.strategy() != null ? options.strategy() : auto(e, hw, notes);
            band = options.bands().of(e, gpusSpanned(s));
            collectParts(s);
            Shares shares = shares(s);
            if (options.reserve() != null) {
                notes.add("per-card reserve " + (options.reserve().value() / Bytes.MIB) + " MiB ({reserve}) instead of the runtime's "
                        + (overheadPerGpu(e) / Bytes.MIB) + " MiB");
            }
            boolean layered = !training && s != Strategy.DATA && layers > 0;
            if (options.gpuLayers() != null && layered) {
                return offload(shares.label, Math.min(options.gpuLayers(), layers));
            }
            FitResult whole = result(shares, s, shares.label, null);
            if (!whole.verdict().fits() && options.hostRam() != null && layered && shares.blocker == null) {
                int onGpus = layersThatFit();
                if (onGpus < layers) {
                    return offload(shares.label, onGpus);
                }
            }
            return whole;
        }

        /** Sorts the estimate's parts into per-card and split bytes. */
        private void collectParts(Strategy s) {
            long overhead = overheadPerGpu(e);
            for (Part p : e.parts()) {
                Map<Component, Long> into = p.perGpu() ? fixed : split;
                long bytes = p.bytes().value();
                if (replacedByReserve(p) && options.reserve() != null) {
                    bytes = overhead == 0 ? 0 : bytes * options.reserve().value() / overhead;
                }
                into.merge(p.component(), bytes, Long::sum);
            }
            if (options.reserve() != null && overhead == 0) {
                fixed.merge(Component.OVERHEAD, options.reserve().value(), Long::sum);
            }
            if (training && (s == Strategy.TENSOR || s == Strategy.LAYERS)) {
                // Megatron-style model parallelism with sequence parallelism (Korthikanti et al. 2022):
                // model states and activations are both divided; only the runtime reserve stays per card.
                for (Map.Entry<Component, Long> f : new EnumMap<>(fixed).entrySet()) {
                    if (f.getKey() != Component.OVERHEAD) {
                        split.merge(f.getKey(), f.getValue(), Long::sum);
                        fixed.remove(f.getKey());
                    }
                }
                notes.add("model-parallel training: weights, gradients, optimizer states and activations divided over "
                        + n + " GPUs (Megatron-LM tensor/pipeline parallel with sequence parallelism)");
                // The estimate is one replica's; the cards still talk through one NCCL communicator each.
                Part nccl = NcclBuffers.part(n);
                fixed.merge(Component.OVERHEAD, nccl.bytes().value(), Long::sum);
                notes.add("each card also holds " + nccl.formula());
            }
        }

        /** Fraction of each split component a card holds, by strategy. */
        private final class Shares {
            final double[] main = new double[n];
            final double[] kv = new double[n];
            final Integer[] layerCounts = new Integer[n];
            String blocker;
            String label;
        }

        private Shares shares(Strategy s) {
            Shares sh = new Shares();
            Architecture arch = e.model().arch();
            long fixedBytes = sum(fixed);
            double[] free = new double[n];
            for (int i = 0; i < n; i++) {
                free[i] = capacity[i] - fixedBytes;
            }
            switch (s) {
                case TENSOR -> {
                    int perNode = n / hw.nodes();
                    if (!hw.homogeneous()) {
                        sh.blocker = "tensor parallel needs identical cards (use {parallel} pp for mixed cards)";
                    } else {
                        String p = TensorParallelCheck.problem(arch, perNode);
                        if (p != null) {
                            sh.blocker = "tensor parallel x" + perNode + " is impossible: " + p;
                        }
                    }
                    int[] stage = hw.nodes() > 1 && layers > 0 ? LayerSplit.split(layers, new double[hw.nodes()]) : null;
                    double kvPerNode = TensorParallelCheck.kvShare(arch, perNode);
                    for (int i = 0; i < n; i++) {
                        double nodeShare = stage == null ? 1.0 / hw.nodes() : stage[i / perNode] / (double) layers;
                        sh.main[i] = nodeShare / perNode;
                        sh.kv[i] = nodeShare * kvPerNode;
                    }
                    sh.label = hw.nodes() > 1
                            ? "tensor parallel x" + perNode + " within each node, pipeline over " + hw.nodes() + " nodes"
                            : "tensor parallel x" + n + " (weights and KV cache split evenly)";
                    if (kvPerNode > 1.0 / perNode && sh.blocker == null) {
                        notes.add("KV heads (" + arch.effectiveKvHeads() + ") fewer than the TP degree " + perNode
                                + ": each card keeps a replicated KV head (vLLM replicates KV heads)");
                    }
                }
                case LAYERS -> {
                    if (layers > 0) {
                        int[] counts = LayerSplit.split(layers, free);
                        for (int i = 0; i < n; i++) {
                            sh.layerCounts[i] = counts[i];
                            sh.main[i] = counts[i] / (double) layers;
                        }
                    } else {
                        double total = Arrays.stream(free).map(f -> Math.max(0, f)).sum();
                        for (int i = 0; i < n; i++) {
                            sh.main[i] = total <= 0 ? 1.0 / n : Math.max(0, free[i]) / total;
                        }
                        notes.add("layer count unknown: split in proportion to free memory without whole-layer rounding");
                    }
                    System.arraycopy(sh.main, 0, sh.kv, 0, n);
                    sh.label = "layer split across " + n + " GPUs in proportion to free memory";
                }
                case DATA -> {
                    double each = training ? 1.0 / n : 1.0;
                    Arrays.fill(sh.main, each);
                    Arrays.fill(sh.kv, each);
                    sh.label = training ? "data parallel x" + n + " (" + zeroLabel(e) + ")"
                            : "data parallel: " + n + " replicas, each holding the whole model";
                }
                default -> {
                    Arrays.fill(sh.main, 1.0 / n);
                    Arrays.fill(sh.kv, 1.0 / n);
                    sh.label = n == 1 ? "single GPU" : "split evenly over " + n + " GPUs";
                }
            }
            return sh;
        }

        /** Cards holding the fixed parts and their shares of the split parts, judged by the policy. */
        private FitResult result(Shares sh, Strategy s, String label, OffloadPlan offload) {
            Map<Component, long[]> perCard = new EnumMap<>(Component.class);
            split.forEach((c, bytes) -> perCard.put(c, apportion(bytes, c == Component.KV_CACHE ? sh.kv : sh.main)));
            List<CardLoad> loads = new ArrayList<>();
            Verdict overall = Verdict.FITS;
            for (int i = 0; i < n; i++) {
                Map<Component, Long> parts = new EnumMap<>(fixed);
                for (Map.Entry<Component, long[]> c : perCard.entrySet()) {
                    parts.merge(c.getKey(), c.getValue()[i], Long::sum);
                }
                long used = sum(parts);
                long high = band.highOf(used, e.runtime().exactBytes(parts));
                Verdict v = policy.verdict(capacity[i], used, high);
                overall = overall.worst(v);
                loads.add(new CardLoad(i, cards.get(i), Bytes.of(capacity[i]), parts, high, v, sh.main[i], sh.layerCounts[i]));
            }
            Map<Component, Long> host = hostParts(offload);
            if (overRam(host)) {
                overall = Verdict.DOES_NOT_FIT;
                label = label + " (more than {ram})";
            }
            if (sh.blocker != null) {
                return new FitResult(e, hw, loads, Verdict.DOES_NOT_FIT, label + ": " + sh.blocker, s, sh.blocker, offload,
                        notes, band, host, HardwareWarnings.of(e, hw));
            }
            return new FitResult(e, hw, loads, overall, label, s, null, offload, notes, band, host, HardwareWarnings.of(e, hw));
        }

        /**
         * Whether the host memory the plan needs exceeds {@code {ram}}: then it does not fit, whatever
         * the cards hold (the one rule for fit, recommend and plan files).
         */
        private boolean overRam(Map<Component, Long> host) {
            Bytes ram = options.hostRam();
            long need = sum(host);
            if (ram == null || need <= ram.value()) {
                return false;
            }
            notes.add(Fmt.format("host memory needed, %.2f GiB, is more than the %.2f GiB of {ram}", need / (double) Bytes.GIB,
                    ram.gib()));
            return true;
        }

        /**
         * No GPU: every part is in host memory and the CPU runs everything (llama.cpp's CPU backend);
         * no CUDA context is paid. Judged against {@code {ram}} with the same headroom policy as a card.
         */
        private FitResult cpuOnly() {
            Map<Component, Long> host = new EnumMap<>(Component.class);
            for (Part p : e.parts()) {
                if (p.component() != Component.OVERHEAD) {
                    host.merge(p.component(), p.bytes().value(), Long::sum);
                }
            }
            for (Part p : e.hostParts()) {
                host.merge(p.component(), p.bytes().value(), Long::sum);
            }
            long need = sum(host);
            Bytes ram = options.hostRam();
            Verdict v;
            if (ram == null) {
                v = Verdict.FITS;
                notes.add("no {ram} given: the host memory needed is not checked against a size");
            } else {
                v = options.policy().verdict(ram.value(), need, band);
                if (v == Verdict.DOES_NOT_FIT) {
                    notes.add(Fmt.format("host memory needed, %.2f GiB (%.2f GiB at the high end of the error band), is"
                            + " more than the %.2f GiB of {ram}", need / (double) Bytes.GIB,
                            band.highOf(need) / (double) Bytes.GIB, ram.gib()));
                }
            }
            long weightsAndCache = e.splitBytes().value();
            OffloadPlan plan = new OffloadPlan(0, layers, Bytes.of(weightsAndCache), ram);
            return new FitResult(e, hw, List.of(), v, "CPU only: everything in host memory", Strategy.SINGLE, null, plan,
                    notes, band, host, List.of());
        }

        /** What the runtime keeps in host memory anyway, plus the offloaded layers' parts. */
        private Map<Component, Long> hostParts(OffloadPlan offload) {
            Map<Component, Long> host = new EnumMap<>(Component.class);
            for (Part p : e.hostParts()) {
                host.merge(p.component(), p.bytes().value(), Long::sum);
            }
            if (offload != null) {
                long hostLayers = offload.hostLayers();
                split.forEach((c, bytes) -> host.merge(c, bytes - bytes * (layers - hostLayers) / layers, Long::sum));
            }
            return host;
        }

        /**
         * How many GPUs the run spans for its error band: inference replicas (data parallel) each hold a whole model
         * and run as one GPU does; a model split over the cards, or training that synchronises them, spans them all.
         */
        private int gpusSpanned(Strategy s) {
            return s == Strategy.DATA && !training ? 1 : n;
        }

        /** The most whole layers the cards hold with every card judged "fits". */
        private int layersThatFit() {
            long fixedBytes = sum(fixed);
            double perLayer = sum(split) / (double) layers;
            int total = 0;
            for (int i = 0; i < n && total < layers; i++) {
                double room = capacity[i] * (1 - policy.margin()) / (1 + band.high()) - fixedBytes;
                int k = room <= 0 ? 0 : (int) Math.min(layers - total, Math.floor(room / perLayer));
                total += k;
            }
            return total;
        }

        /** {@code onGpus} whole layers on the cards in proportion to their room, the rest in host memory. */
        private FitResult offload(String strategyLabel, int onGpus) {
            long fixedBytes = sum(fixed);
            double[] room = new double[n];
            for (int i = 0; i < n; i++) {
                room[i] = capacity[i] * (1 - policy.margin()) / (1 + band.high()) - fixedBytes;
            }
            int[] counts = LayerSplit.split(onGpus, room);
            Shares sh = new Shares();
            for (int i = 0; i < n; i++) {
                sh.layerCounts[i] = counts[i];
                sh.main[i] = counts[i] / (double) layers;
                sh.kv[i] = sh.main[i];
            }
            int hostLayers = layers - onGpus;
            long offloaded = sum(split) - sum(split) * onGpus / layers;
            OffloadPlan plan = new OffloadPlan(onGpus, layers, Bytes.of(offloaded), options.hostRam());
            String label = (n == 1 ? "single GPU" : "layer split over " + n + " GPUs") + " with " + hostLayers + " of "
                    + layers + " layers in host RAM";
            return result(sh, Strategy.LAYERS, hostLayers == 0 ? strategyLabel : label, hostLayers == 0 ? null : plan);
        }
    }

    /**
     * Splits {@code total} bytes by {@code shares} into whole bytes that add up exactly to the rounded
     * total share (largest remainders get the leftover bytes), so cards always sum to what was placed.
     */
    static long[] apportion(long total, double[] shares) {
        int n = shares.length;
        long[] out = new long[n];
        double[] exact = new double[n];
        double sumShares = 0;
        long given = 0;
        for (int i = 0; i < n; i++) {
            exact[i] = total * shares[i];
            out[i] = (long) Math.floor(exact[i]);
            given += out[i];
            sumShares += shares[i];
        }
        long target = Math.round(total * sumShares);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(exact[b] - out[b], exact[a] - out[a]));
        for (int k = 0; given < target; k = (k + 1) % n) {
            out[order[k]]++;
            given++;
        }
        return out;
    }

    private static long sum(Map<Component, Long> parts) {
        long s = 0;
        for (long v : parts.values()) {
            s = Math.addExact(s, v);
        }
        return s;
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
        TrainingOptions t = e.workload().training();
        Integer z = t.zeroStage();
        return z == null || z == 0 ? "replicas, ZeRO as the workload sets it"
                : t.shardsWithFsdp(e.workload().mode()) ? "FSDP full shard" : "ZeRO stage " + z;
    }

    static long overheadPerGpu(Estimate e) {
        long sum = 0;
        for (Part p : e.parts()) {
            if (replacedByReserve(p)) {
                sum += p.bytes().value();
            }
        }
        return sum;
    }

    /** The per-card overhead {reserve} stands in for: the runtime's own, not NCCL's communicator buffers. */
    private static boolean replacedByReserve(Part p) {
        return p.perGpu() && p.component() == Component.OVERHEAD && p.role() != Part.Role.NCCL_BUFFERS;
    }
}
