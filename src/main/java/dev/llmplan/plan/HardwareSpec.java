package dev.llmplan.plan;

import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.Price;
import dev.llmplan.engine.SystemSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Concrete hardware: groups of identical GPUs, each possibly from a system (a DGX counts as its
 * GPUs), times a number of nodes.
 */
public record HardwareSpec(List<Group> groups, int nodes) {
    public HardwareSpec {
        groups = List.copyOf(groups);
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("no GPUs");
        }
    }

    /** {@code count} GPUs of one kind; {@code system} is set when they came from a system id. */
    public record Group(GpuSpec gpu, int count, SystemSpec system) {
        public String label() {
            if (system != null) {
                return system.id();
            }
            return count == 1 ? gpu.id() : count + "x " + gpu.id();
        }
    }

    public static HardwareSpec of(GpuSpec gpu, int count) {
        return new HardwareSpec(List.of(new Group(gpu, count, null)), 1);
    }

    public static HardwareSpec of(SystemSpec system, int nodes) {
        return new HardwareSpec(List.of(new Group(system.gpu(), system.count(), system)), nodes);
    }

    /** Every card in order, nodes included. */
    public List<GpuSpec> cards() {
        List<GpuSpec> out = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            for (Group g : groups) {
                for (int i = 0; i < g.count(); i++) {
                    out.add(g.gpu());
                }
            }
        }
        return out;
    }

    // Plain loops: these run for every candidate placed at start-up, interpreted (README "Start-up").
    public int gpuCount() {
        int count = 0;
        for (Group g : groups) {
            count += g.count();
        }
        return count * nodes;
    }

    public boolean homogeneous() {
        for (Group g : groups) {
            if (!g.gpu().id().equals(groups.get(0).gpu().id())) {
                return false;
            }
        }
        return !groups.isEmpty();
    }

    public Bytes totalMemory() {
        Bytes sum = Bytes.ZERO;
        for (GpuSpec g : cards()) {
            sum = sum.plus(g.usableMemory());
        }
        return sum;
    }

    /** Purchase price in USD, or null when any part has none. */
    public Double purchaseUsd() {
        double sum = 0;
        for (Group g : groups) {
            Double p = g.system() != null ? g.system().price().purchaseUsd() : null;
            if (p == null) {
                Double card = g.gpu().price().purchaseUsd();
                if (card == null) {
                    return null;
                }
                p = card * g.count();
            }
            sum += p;
        }
        return sum * nodes;
    }

    /** Hourly rental in USD, or null when any card has no hourly price. */
    public Double hourlyUsd() {
        double sum = 0;
        for (Group g : groups) {
            Price price = g.gpu().price();
            if (price.hourlyUsd() == null) {
                return null;
            }
            sum += price.hourlyUsd() * g.count();
        }
        return sum * nodes;
    }

    public String label() {
        StringBuilder sb = new StringBuilder();
        for (Group g : groups) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(g.label());
        }
        return nodes > 1 ? nodes + " nodes x (" + sb + ")" : sb.toString();
    }
}
