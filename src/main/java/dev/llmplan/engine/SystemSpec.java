package dev.llmplan.engine;

import java.util.List;

/** A whole system such as a DGX: {@code count} identical GPUs with fast interconnect. */
public record SystemSpec(String id, String name, List<String> aliases, String vendor, GpuSpec gpu, int count,
                         Integer launchYear, Price price, String source, String notes) {
    public SystemSpec {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        price = price == null ? Price.NONE : price;
    }
}
