package dev.llmplan.device;

/**
 * One GPU as a vendor tool reported it.
 *
 * @param index      the tool's device index
 * @param name       the product name as reported ("NVIDIA GeForce RTX 4090", "AMD Instinct MI300X", "Apple M3 Max")
 * @param vendor     nvidia, amd or apple
 * @param totalBytes the memory the tool reports for the device (Apple: the share of unified memory the GPU may use)
 * @param usedBytes  memory already in use, or null when the tool does not say (Apple)
 * @param tool       the tool that reported it (nvidia-smi, rocm-smi, amd-smi, sysctl)
 * @param note       how a figure was obtained, when it is not read directly, or null
 */
public record DetectedGpu(int index, String name, String vendor, long totalBytes, Long usedBytes, String tool, String note) {
    public static final long MIB = 1024L * 1024;

    /** What is left for a model: total minus what is in use (the whole card when use is unknown or ignored). */
    public long freeBytes(boolean ignoreUsed) {
        return ignoreUsed || usedBytes == null ? totalBytes : Math.max(0, totalBytes - usedBytes);
    }
}
