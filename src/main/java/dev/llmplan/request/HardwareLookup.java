package dev.llmplan.request;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.SystemSpec;
import dev.llmplan.plan.HardwareParser;

import java.util.Optional;

/** Connects the hardware parser to the catalog in use. */
public record HardwareLookup(Catalog catalog) implements HardwareParser.Lookup {
    @Override
    public Optional<GpuSpec> gpu(String name) {
        return catalog.findGpu(name);
    }

    @Override
    public Optional<SystemSpec> system(String name) {
        return catalog.findSystem(name);
    }

    @Override
    public LlmplanException unknown(String name) {
        return Catalog.unknown("GPU", name, catalog.hardwareIds());
    }
}
