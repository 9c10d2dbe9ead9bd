package dev.llmplan.engine;

import java.util.List;

/**
 * One accelerator as software sees it. Memory is exact bytes; {@code usableBytes} is what runtimes can
 * use. {@code fp16Tflops} is the dense FP16/BF16 tensor rate with FP32 accumulate and {@code fp8Tflops} the
 * dense FP8 rate with FP32 accumulate: what PyTorch, cuBLASLt and vLLM GEMMs run at (GeForce cards run FP16
 * accumulate at twice these rates, which no runtime here uses for weights). A card that software sees as
 * several devices (an MI250X is two 64 GiB GCDs) has {@code devicesPerCard} above 1: memory, bandwidth and
 * rates are then per device, the price per card.
 */
public record GpuSpec(
        String id,
        String name,
        List<String> aliases,
        String vendor,
        String category,
        String architecture,
        double memoryGiB,
        Double usableMemoryGiB,
        String memoryType,
        double bandwidthGBps,
        double fp16Tflops,
        Double fp8Tflops,
        Double int8Tops,
        Double fp4Tflops,
        Integer tdpW,
        String interconnect,
        Double nvlinkGBps,
        String formFactor,
        Integer launchYear,
        Price price,
        String source,
        String notes,
        int devicesPerCard) {

    public GpuSpec {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        price = price == null ? Price.NONE : price;
        devicesPerCard = Math.max(1, devicesPerCard);
    }

    /** One device per card. */
    public GpuSpec(String id, String name, List<String> aliases, String vendor, String category, String architecture,
                   double memoryGiB, Double usableMemoryGiB, String memoryType, double bandwidthGBps, double fp16Tflops,
                   Double fp8Tflops, Double int8Tops, Double fp4Tflops, Integer tdpW, String interconnect,
                   Double nvlinkGBps, String formFactor, Integer launchYear, Price price, String source, String notes) {
        this(id, name, aliases, vendor, category, architecture, memoryGiB, usableMemoryGiB, memoryType, bandwidthGBps,
                fp16Tflops, fp8Tflops, int8Tops, fp4Tflops, tdpW, interconnect, nvlinkGBps, formFactor, launchYear, price,
                source, notes, 1);
    }

    public Bytes memory() {
        return Bytes.gib(memoryGiB);
    }

    /** Memory a runtime can allocate: the usable share where it is smaller (Apple, B200). */
    public Bytes usableMemory() {
        return Bytes.gib(usableMemoryGiB != null ? usableMemoryGiB : memoryGiB);
    }

    /** Bought by people for their own desk: consumer cards, Apple silicon and embedded modules (Jetson). */
    public boolean isConsumer() {
        return "consumer".equals(category) || unifiedMemory();
    }

    /** A system on chip whose GPU shares the host's memory (Apple silicon, Jetson): one per machine. */
    public boolean unifiedMemory() {
        return "apple".equals(category) || "embedded".equals(category);
    }

    /** Memory of the whole card: all its devices. */
    public double cardMemoryGiB() {
        return memoryGiB * devicesPerCard;
    }
}
