package dev.llmplan.plan;

import dev.llmplan.engine.Component;
import dev.llmplan.engine.Draft;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.Mode;
import dev.llmplan.engine.Part;
import dev.llmplan.engine.SpeculativeDecoding;

import java.util.List;

/**
 * Roofline speed estimates. Decode is memory-bound: each step reads the active weights and the
 * KV cache once, so time = bytes / (bandwidth x efficiency). Prefill and training are
 * compute-bound: 2 FLOPs per active parameter per token forward, 6 for forward plus backward
 * (Kaplan et al. 2020, "Scaling Laws", C = 6ND), over peak FP16 FLOPS x utilisation. MoE models
 * use active parameters here and total parameters for memory.
 */
public final class SpeedModel {
    /** Forward pass FLOPs per active parameter per token (one multiply-add per weight). */
    public static final double FORWARD_FLOPS_PER_PARAM = 2;
    /** Forward plus backward (grads of activations and of weights): 6 per parameter (Kaplan et al. 2020). */
    public static final double TRAINING_FLOPS_PER_PARAM = 6;
    /** PEFT: frozen weights need no weight gradients, so backward costs one pass less: 2 + 2 = 4. */
    public static final double PEFT_FLOPS_PER_PARAM = 4;

    private SpeedModel() {
    }

    public static Speed of(FitResult f, SpeedAssumptions a) {
        Estimate e = f.estimate();
        Mode mode = e.workload().mode();
        double active = e.activeParameters();
        List<CardLoad> cards = f.cards();
        if (f.hardware().cpuOnly()) {
            return cpuOnly(f, a);
        }
        if (mode.isTraining()) {
            double k = mode.isPeft() ? PEFT_FLOPS_PER_PARAM : TRAINING_FLOPS_PER_PARAM;
            double flopsPerToken = k * active;
            long dp = f.kind() == Strategy.DATA ? cards.size() : 1;
            long tokensPerStep = (long) e.workload().batch() * e.context() * dp;
            double peak = 0;
            for (CardLoad c : cards) {
                if (c.gpu().fp16Tflops() <= 0) {
                    return new Speed(null, null, null, null, tokensPerStep, flopsPerToken, null, a.trainingMfu());
                }
                peak += c.gpu().fp16Tflops() * 1e12;
            }
            double rate = peak * a.trainingMfu();
            Double total = a.trainTokens() == null ? null : a.trainTokens() * flopsPerToken / rate;
            return new Speed(null, null, tokensPerStep * flopsPerToken / rate, total, tokensPerStep, flopsPerToken,
                    null, a.trainingMfu());
        }
        double perStep = bytesReadPerStep(f);
        int batch = e.workload().batch();
        int replicas = f.replicas();
        Double inVram = stageTime(f, c -> c.gpu().bandwidthGBps() * 1e9, perStep, a.bandwidthEfficiency());
        Double decode = null;
        Double decodeFull = inVram == null ? null : batch * replicas / inVram;
        double flopsPerToken = FORWARD_FLOPS_PER_PARAM * active;
        Double prefillTime = stageTime(f, c -> c.gpu().fp16Tflops() * 1e12, flopsPerToken, a.prefillMfu());
        Double prefill = prefillTime == null ? null : replicas / prefillTime;
        double hostExperts = e.hostExperts().bytes().value();
        if ((f.offload() != null || hostExperts > 0) && inVram != null) {
            // GPU and host parts run one after the other for every token (llama.cpp's layers in sequence):
            // what the cards read at their bandwidth, then what the CPU reads from host memory, or what
            // crosses the host link when the runtime streams host layers to the GPU instead.
            boolean cpuRuns = e.runtime().runsHostLayersOnCpu();
            double link = PcieLink.of(cards.get(0).gpu()).effectiveGBps() * 1e9;
            double hostRate = cpuRuns ? a.ramBytesPerSecond() : link;
            double offloaded = f.offload() == null ? 0 : f.offload().offloadedBytes().value();
            double hostRead = offloaded * (perStep / Math.max(1.0, e.splitBytes().value()));
            double hostTime = hostRead / hostRate + e.hostExperts().readPerToken().value() / a.ramBytesPerSecond();
            decode = batch / (inVram + hostTime);
            double bw0 = cards.get(0).gpu().bandwidthGBps() * 1e9 * a.bandwidthEfficiency();
            decodeFull = batch / ((perStep + e.hostExperts().readPerToken().value()) / bw0);
            if (prefillTime != null) {
                long prompt = (long) e.workload().serving().prefillTokens(e.context()) * batch;
                int perCopy = Math.max(1, e.runtime().tokensPerHostWeightCopy((int) Math.min(Integer.MAX_VALUE, prompt)));
                double streamed = (offloaded + hostExperts) / link / perCopy;
                prefill = 1 / (prefillTime + streamed);
            }
        } else {
            decode = decodeFull;
        }
        Draft draft = e.workload().serving().draft();
        if (draft != null && draft.acceptance() != null && decode != null) {
            double up = SpeculativeDecoding.speedup(draft.acceptance(), Draft.TOKENS, draftCostRatio(f));
            decode *= up;
            decodeFull *= up;
        }
        return new Speed(decode, prefill, null, null, 0, flopsPerToken, decodeFull, a.prefillMfu());
    }

    /**
     * No GPU: the CPU reads every active weight and the KV cache from host memory for each token at
     * {@code ramBandwidth} x efficiency. Prefill is compute-bound on the CPU, whose FLOP rate the
     * catalog does not hold: unknown.
     */
    private static Speed cpuOnly(FitResult f, SpeedAssumptions a) {
        Estimate e = f.estimate();
        if (e.workload().mode().isTraining()) {
            // Training is compute-bound, and the catalog holds no CPU FLOP rate.
            return new Speed(null, null, null, null, 0, TRAINING_FLOPS_PER_PARAM * e.activeParameters(), null,
                    a.trainingMfu());
        }
        double weights = gpuBytes(e, Component.WEIGHTS, 1);
        for (Part p : e.hostParts()) {
            if (p.component() == Component.WEIGHTS) {
                weights += p.bytes().value();
            }
        }
        double read = weights * e.activeParameters() / e.parameters() + gpuBytes(e, Component.KV_CACHE, 1);
        double decode = e.workload().batch() / (read / a.ramBytesPerSecond());
        return new Speed(decode, null, null, null, 0, FORWARD_FLOPS_PER_PARAM * e.activeParameters(), null, a.prefillMfu());
    }

    /** Seconds to train on {@code tokens}: flopsPerParam x active x tokens / (gpus x peak x utilisation). */
    public static double trainingSeconds(double flopsPerParam, double activeParams, double tokens, int gpus,
                                         double peakTflops, double mfu) {
        return flopsPerParam * activeParams * tokens / (gpus * peakTflops * 1e12 * mfu);
    }

    /** The utilisation a reported training time implies (the inverse of {@link #trainingSeconds}). */
    public static double impliedMfu(double flopsPerParam, double activeParams, double tokens, int gpus,
                                    double peakTflops, double seconds) {
        return flopsPerParam * activeParams * tokens / (gpus * peakTflops * 1e12 * seconds);
    }

    /**
     * Time for work split by the cards' shares: cards of one tensor-parallel group run at once
     * (the slowest sets the pace); pipeline stages and layer-split cards run one after another.
     */
    private static Double stageTime(FitResult f, java.util.function.ToDoubleFunction<CardLoad> rate, double work,
                                    double efficiency) {
        List<CardLoad> cards = f.cards();
        int groupSize = switch (f.kind()) {
            case TENSOR -> cards.size() / f.hardware().nodes();
            default -> 1;
        };
        if (f.kind() == Strategy.DATA) {
            // Each replica does all the work on its own card.
            double worst = 0;
            for (CardLoad c : cards) {
                double r = rate.applyAsDouble(c);
                if (r <= 0) {
                    return null;
                }
                worst = Math.max(worst, work / (r * efficiency));
            }
            return worst;
        }
        double total = 0;
        for (int g = 0; g < cards.size(); g += groupSize) {
            double slowest = 0;
            for (int i = g; i < Math.min(cards.size(), g + groupSize); i++) {
                CardLoad c = cards.get(i);
                double r = rate.applyAsDouble(c);
                if (r <= 0) {
                    return null;
                }
                slowest = Math.max(slowest, work * c.share() / (r * efficiency));
            }
            total += slowest;
        }
        return total;
    }

    /**
     * Bytes all cards together read for one decode step: the active share of the weights (MoE reads
     * only its routed experts) and the whole KV cache; a cache replicated on every card (MLA under
     * tensor parallel) is read by every card.
     */
    public static double bytesReadPerStep(FitResult f) {
        Estimate e = f.estimate();
        // Experts kept in host memory are priced out of the GPU's weights: what a token reads of all the
        // weights less what it reads of those (the GPU keeps the dense parts, read in full).
        double hostExperts = e.hostExperts().bytes().value();
        double all = gpuBytes(e, Component.WEIGHTS, f.cards().size()) + hostExperts;
        double weights = Math.max(0, all * e.activeParameters() / e.parameters() - e.hostExperts().readPerToken().value());
        return weights + gpuBytes(e, Component.KV_CACHE, f.cards().size());
    }

    /**
     * A draft step's time relative to a target step: decode is memory-bound, so the ratio of the bytes each
     * reads (the draft's weights and KV cache against the target's), both split over the same cards.
     */
    public static double draftCostRatio(FitResult f) {
        double target = bytesReadPerStep(f);
        return target <= 0 ? 0 : gpuBytes(f.estimate(), Component.DRAFT, f.cards().size()) / target;
    }

    private static double gpuBytes(Estimate e, Component c, int cards) {
        double sum = 0;
        for (Part p : e.parts()) {
            if (p.component() == c) {
                sum += p.perGpu() ? p.bytes().value() * (double) cards : p.bytes().value();
            }
        }
        return sum;
    }
}
