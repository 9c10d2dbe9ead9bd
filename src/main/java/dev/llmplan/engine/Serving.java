package dev.llmplan.engine;

/**
 * How an inference server runs the model, beyond context and batch: the prompt a prefill pass
 * processes (null: the whole context; 1 for a decode-only measurement), vLLM's scheduler limits and
 * CUDA graphs, a speculative-decoding draft model, served LoRA slots and images per request. Null
 * fields take the runtime's defaults.
 *
 * @param prompt              tokens of one prefill pass (transformers generate(): the input length)
 * @param maxNumSeqs          vLLM max_num_seqs: sequences scheduled (and sampled) together
 * @param maxNumBatchedTokens vLLM max_num_batched_tokens: tokens of one scheduler step (the profile run)
 * @param gpuMemoryUtilization vLLM gpu_memory_utilization: the share of each card it takes
 * @param enforceEager        vLLM --enforce-eager: no CUDA graphs
 * @param cpuMoeLayers        llama.cpp --n-cpu-moe: the routed experts of the first N blocks stay in host memory and
 *                            run on the CPU (null: none; {@link #ALL_LAYERS} for --cpu-moe)
 * @param draft               the draft model of speculative decoding, or null
 * @param loraSlots           LoRA adapters served at once (vLLM max_loras; llama.cpp --lora files), or null
 * @param images              images per request of a multimodal model (null: 1)
 */
public record Serving(Integer prompt, Integer maxNumSeqs, Integer maxNumBatchedTokens, Double gpuMemoryUtilization,
                      boolean enforceEager, Integer cpuMoeLayers, Draft draft, Integer loraSlots, Integer images) {
    public static final Serving DEFAULTS = new Serving(null, null, null, null, false);

    /** {@code --cpu-moe}: every block's experts (llama.cpp adds the override without a block index). */
    public static final int ALL_LAYERS = Integer.MAX_VALUE;

    public Serving {
        if (prompt != null && prompt < 1) {
            throw LlmplanException.invalid("{prompt} must be at least 1 token, got " + prompt);
        }
        if (cpuMoeLayers != null && cpuMoeLayers < 0) {
            throw LlmplanException.invalid("{nCpuMoe} must be 0 or more, got " + cpuMoeLayers);
        }
        if (loraSlots != null && loraSlots < 1) {
            throw LlmplanException.invalid("{loraSlots} must be at least 1, got " + loraSlots);
        }
        if (images != null && images < 0) {
            throw LlmplanException.invalid("{images} must be 0 or more, got " + images);
        }
    }

    public Serving(Integer prompt, Integer maxNumSeqs, Integer maxNumBatchedTokens, Double gpuMemoryUtilization,
                   boolean enforceEager) {
        this(prompt, maxNumSeqs, maxNumBatchedTokens, gpuMemoryUtilization, enforceEager, null, null, null, null);
    }

    /** Whether some blocks keep their experts in host memory. */
    public boolean expertsOnCpu() {
        return cpuMoeLayers != null && cpuMoeLayers > 0;
    }

    /** Tokens the prefill pass processes at this context: the prompt, never more than the context. */
    public int prefillTokens(int context) {
        return prompt == null ? context : Math.min(prompt, context);
    }

    /** Images per request: 1 unless set (a multimodal model is planned for one image by default). */
    public int imagesPerRequest() {
        return images == null ? 1 : images;
    }

    public Serving withDraft(Draft d) {
        return new Serving(prompt, maxNumSeqs, maxNumBatchedTokens, gpuMemoryUtilization, enforceEager, cpuMoeLayers, d, loraSlots,
                images);
    }
}
