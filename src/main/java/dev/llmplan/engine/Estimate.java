package dev.llmplan.engine;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one estimate: GPU parts (split or per GPU), host-memory parts (offload,
 * llama.cpp's CPU-side token embedding) kept apart, every assumption made on the way, and
 * warnings about legal but unusual combinations (printed on stderr).
 */
public record Estimate(
        ModelSpec model,
        Workload workload,
        Runtime runtime,
        int context,
        boolean contextDefaulted,
        List<Part> parts,
        List<Part> hostParts,
        List<String> assumptions,
        long parameters,
        long activeParameters,
        long trainableParameters,
        List<String> warnings,
        HostExperts hostExperts) {

    /**
     * Routed-expert weights kept in host memory and multiplied by the CPU (llama.cpp {@code --cpu-moe},
     * {@code --n-cpu-moe}): {@code bytes} of them are among the host parts, and a decode step reads
     * {@code readPerToken} of them (the experts a token is routed to) at host memory bandwidth.
     */
    public record HostExperts(Bytes bytes, Bytes readPerToken, int layers) {
        public static final HostExperts NONE = new HostExperts(Bytes.ZERO, Bytes.ZERO, 0);
    }

    public Estimate {
        hostExperts = hostExperts == null ? HostExperts.NONE : hostExperts;
        parts = List.copyOf(parts);
        hostParts = List.copyOf(hostParts);
        assumptions = List.copyOf(assumptions);
        warnings = List.copyOf(warnings);
    }

    public Estimate(ModelSpec model, Workload workload, Runtime runtime, int context, boolean contextDefaulted,
                    List<Part> parts, List<Part> hostParts, List<String> assumptions, long parameters,
                    long activeParameters, long trainableParameters, List<String> warnings) {
        this(model, workload, runtime, context, contextDefaulted, parts, hostParts, assumptions, parameters,
                activeParameters, trainableParameters, warnings, HostExperts.NONE);
    }

    /** Totals per component over all {@code workload.gpuCount()} GPUs, in {@link Component} order. */
    public Map<Component, Bytes> components() {
        Map<Component, Bytes> map = new EnumMap<>(Component.class);
        for (Part p : parts) {
            Bytes b = p.perGpu() ? p.bytes().times(workload.gpuCount()) : p.bytes();
            map.merge(p.component(), b, Bytes::plus);
        }
        return map;
    }

    public Bytes component(Component c) {
        return components().getOrDefault(c, Bytes.ZERO);
    }

    /** Sum of all GPU memory over all GPUs (each GPU's own overhead included). */
    public Bytes total() {
        Bytes sum = Bytes.ZERO;
        for (Bytes b : components().values()) {
            sum = sum.plus(b);
        }
        return sum;
    }

    /** What one GPU holds when the split parts are divided evenly. */
    public Bytes perGpuEven() {
        double share = 1.0 / workload.gpuCount();
        Bytes sum = Bytes.ZERO;
        for (Part p : parts) {
            sum = sum.plus(p.perGpu() ? p.bytes() : p.bytes().times(share));
        }
        return sum;
    }

    // Plain loops in these sums: recommend and the "Fits on" table run them for every candidate at
    // start-up, interpreted, where a stream pipeline costs several times as much (README "Start-up").
    public Bytes splitBytes() {
        return sum(parts, false);
    }

    public Bytes perGpuBytes() {
        return sum(parts, true);
    }

    public Bytes hostTotal() {
        Bytes sum = Bytes.ZERO;
        for (Part p : hostParts) {
            sum = sum.plus(p.bytes());
        }
        return sum;
    }

    private static Bytes sum(List<Part> parts, boolean perGpu) {
        Bytes sum = Bytes.ZERO;
        for (Part p : parts) {
            if (p.perGpu() == perGpu) {
                sum = sum.plus(p.bytes());
            }
        }
        return sum;
    }
}
