package dev.llmplan.engine;

import java.util.List;

/** One accelerator model. Memory is exact bytes; {@code usableBytes} is what runtimes can use. */
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
        String notes) {

    public GpuSpec {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        price = price == null ? Price.NONE : price;
    }

    public Bytes memory() {
        return Bytes.gib(memoryGiB);
    }

    /** Memory a runtime can allocate: the usable share where it is smaller (Apple, B200). */
    public Bytes usableMemory() {
        return Bytes.gib(usableMemoryGiB != null ? usableMemoryGiB : memoryGiB);
    }

    public boolean isConsumer() {
        return "consumer".equals(category) || "apple".equals(category);
    }
}
