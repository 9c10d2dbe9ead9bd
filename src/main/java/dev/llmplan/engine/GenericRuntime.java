package dev.llmplan.engine;

/**
 * No particular runtime: a bare CUDA context, every KV format, activations as transformers'
 * prefill, tensor parallel over several GPUs. The estimate without any runtime's quirks.
 */
public record GenericRuntime(RuntimeVersion version) implements Runtime {
    /** No runtime: a plain CUDA context of about 300 MiB (the low end of the runtimes' figures). */
    public static final long CUDA_CONTEXT_BYTES = 300L * Bytes.MIB;

    public GenericRuntime() {
        this(RuntimeVersion.CURRENT);
    }

    @Override
    public Runtime withVersion(RuntimeVersion v) {
        return new GenericRuntime(v);
    }

    @Override
    public String id() {
        return "generic";
    }

    @Override
    public boolean supportsKv(KvFormat kv) {
        return true;
    }

    @Override
    public long perGpuOverheadBytes() {
        return CUDA_CONTEXT_BYTES;
    }

    @Override
    public String overheadSource() {
        return "a bare CUDA context (~300 MiB)";
    }

    @Override
    public Part activations(Architecture a, Workload w, int context) {
        return TransformersRuntime.prefill(a, w.serving().prefillTokens(context), w.batch(), InferenceActivations.flash(w),
                w.format().computeBytes(), false);
    }

    @Override
    public MultiGpuSplit multiGpuSplit() {
        return MultiGpuSplit.TENSOR;
    }
}
