package dev.llmplan.engine;

/**
 * What the user asks the hardware to do. {@code context} null means the default (4096, or the
 * model's maximum when smaller); {@code runtime} null means the format's usual runtime;
 * {@code gpuCount} is the number of GPUs the work is spread over (ZeRO / tensor parallel).
 */
public record Workload(
        Mode mode,
        WeightFormat format,
        Integer context,
        int batch,
        KvFormat kvFormat,
        Runtime runtime,
        Boolean flashAttention,
        int gpuCount,
        TrainingOptions training,
        Serving serving) {

    /** The context used when none is given: long enough to be useful, never the 128k maximum. */
    public static final int DEFAULT_CONTEXT = 4096;

    public Workload {
        if (batch < 1) {
            throw LlmplanException.invalid("{batch} must be at least 1, got " + batch);
        }
        if (context != null && context < 1) {
            throw LlmplanException.invalid("{context} must be at least 1 token, got " + context);
        }
        if (gpuCount < 1) {
            throw LlmplanException.invalid("the GPU count must be at least 1, got " + gpuCount);
        }
        training = training == null ? TrainingOptions.DEFAULTS : training;
        serving = serving == null ? Serving.DEFAULTS : serving;
    }

    public Workload(Mode mode, WeightFormat format, Integer context, int batch, KvFormat kvFormat, Runtime runtime,
                    Boolean flashAttention, int gpuCount, TrainingOptions training) {
        this(mode, format, context, batch, kvFormat, runtime, flashAttention, gpuCount, training, Serving.DEFAULTS);
    }

    public static Workload inference(WeightFormat format) {
        return new Workload(Mode.INFERENCE, format, null, 1, null, null, null, 1, null);
    }

    public Workload withMode(Mode m) {
        return new Workload(m, format, context, batch, kvFormat, runtime, flashAttention, gpuCount, training, serving);
    }

    public Workload withFormat(WeightFormat f) {
        return new Workload(mode, f, context, batch, kvFormat, runtime, flashAttention, gpuCount, training, serving);
    }

    public Workload withContext(Integer c) {
        return new Workload(mode, format, c, batch, kvFormat, runtime, flashAttention, gpuCount, training, serving);
    }

    public Workload withBatch(int b) {
        return new Workload(mode, format, context, b, kvFormat, runtime, flashAttention, gpuCount, training, serving);
    }

    public Workload withGpuCount(int n) {
        return new Workload(mode, format, context, batch, kvFormat, runtime, flashAttention, n, training, serving);
    }

    public Workload withTraining(TrainingOptions t) {
        return new Workload(mode, format, context, batch, kvFormat, runtime, flashAttention, gpuCount, t, serving);
    }

    public Workload withServing(Serving s) {
        return new Workload(mode, format, context, batch, kvFormat, runtime, flashAttention, gpuCount, training, s);
    }

    public Runtime effectiveRuntime() {
        return runtime != null ? runtime : format.defaultRuntime();
    }
}
