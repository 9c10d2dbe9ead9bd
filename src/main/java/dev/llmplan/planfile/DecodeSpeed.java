package dev.llmplan.planfile;

import dev.llmplan.engine.Component;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.Runtime;
import dev.llmplan.plan.CardLoad;
import dev.llmplan.plan.FitResult;

/**
 * Memory-bound decode speed for the {@code minDecodeTokensPerSecond} requirement of plan files (fit and
 * recommend use {@code plan/SpeedModel}): every decode step reads the active weights once and the whole KV cache
 * of every sequence, so a step takes (bytes read) / (bandwidth x efficiency), and each of the batch's
 * sequences gains one token per step (DESIGN.md section 3, "Speed and cost").
 */
public final class DecodeSpeed {
    /**
     * Share of peak memory bandwidth a serving stack reaches in decode ("model bandwidth utilisation").
     * Databricks, "LLM Inference Performance Engineering: Best Practices" (2023) measured about 60% at
     * small batch on A100-class GPUs; well-tuned stacks reach more, llama.cpp on consumer cards often less.
     */
    public static final double BANDWIDTH_EFFICIENCY = 0.6;

    private DecodeSpeed() {
    }

    /** The estimate: per-sequence and aggregate tokens/s at the full context (the slowest point). */
    public record Result(double perSequence, double aggregate, long bytesPerStep) {
    }

    public static Result estimate(FitResult fit) {
        Estimate e = fit.estimate();
        double weights = e.component(Component.WEIGHTS).value();
        long total = e.parameters();
        long active = e.activeParameters();
        if (active > 0 && total > 0 && active < total) {
            weights = weights * active / total; // MoE: a token reads only its experts (speed uses active parameters)
        }
        double kv = e.component(Component.KV_CACHE).value();
        double stepBytes = weights + kv;
        double split = e.splitBytes().value();
        double perGpu = e.perGpuBytes().value();
        // vLLM shards every layer over identical cards (tensor parallel), so they stream their shares at
        // the same time; llama.cpp (--split-mode layer, its default) and transformers' device_map="auto"
        // give each card whole layers that run one after another, so the cards' times add up.
        double seconds = 0;
        boolean tensorParallel = fit.hardware().homogeneous() && e.runtime() == Runtime.VLLM;
        for (CardLoad card : fit.cards()) {
            double share = split <= 0 ? 1.0 / fit.cards().size() : Math.max(0, card.used().value() - perGpu) / split;
            double t = stepBytes * share / (card.gpu().bandwidthGBps() * 1e9 * BANDWIDTH_EFFICIENCY);
            seconds = tensorParallel ? Math.max(seconds, t) : seconds + t;
        }
        if (!(seconds > 0) || !Double.isFinite(seconds)) {
            return new Result(0, 0, (long) stepBytes);
        }
        double perSequence = 1 / seconds;
        return new Result(perSequence, perSequence * e.workload().batch(), (long) stepBytes);
    }
}
