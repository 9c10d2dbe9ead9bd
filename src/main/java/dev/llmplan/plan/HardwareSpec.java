package dev.llmplan.plan;

import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.Currency;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.Price;
import dev.llmplan.engine.SystemSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Concrete hardware: groups of identical GPUs, each possibly from a system (a DGX counts as its
 * GPUs), times a number of nodes. A group counts cards; a card software sees as several devices (an
 * MI250X is two GCDs) is planned as its devices: {@link #cards()} and {@link #gpuCount()} are devices.
 * No group at all is the CPU alone ({@link #cpuOnly}): everything in host memory.
 */
public record HardwareSpec(List<Group> groups, int nodes) {
    /** The {@code gpu} values that mean no GPU: the model runs on the CPU from host memory. */
    public static final List<String> CPU_NAMES = List.of("cpu", "none");

    public HardwareSpec {
        groups = List.copyOf(groups);
    }

    /** The CPU alone: no GPU, everything in host memory. */
    public static HardwareSpec cpuOnly(int nodes) {
        return new HardwareSpec(List.of(), nodes);
    }

    public static boolean isCpuOnly(String text) {
        return text != null && CPU_NAMES.contains(text.trim().toLowerCase(java.util.Locale.ROOT));
    }

    /** Whether this is the CPU alone. */
    public boolean cpuOnly() {
        return groups.isEmpty();
    }

    /** {@code count} GPUs (cards) of one kind; {@code system} is set when they came from a system id. */
    public record Group(GpuSpec gpu, int count, SystemSpec system) {
        public String label() {
            if (system != null) {
                return system.id();
            }
            String cards = count == 1 ? gpu.id() : count + "x " + gpu.id();
            return gpu.devicesPerCard() == 1 ? cards : cards + " (" + devices() + " devices)";
        }

        /** The devices software sees: cards x devices per card. */
        public int devices() {
            return count * gpu.devicesPerCard();
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
                for (int i = 0; i < g.devices(); i++) {
                    out.add(g.gpu());
                }
            }
        }
        return out;
    }

    /** Devices in all: what the runtime sees, and pays its per-GPU overhead on. Plain loops: these run for
     * every candidate placed at start-up, interpreted (README "Start-up"). */
    public int gpuCount() {
        int count = 0;
        for (Group g : groups) {
            count += g.devices();
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
        Price.Money m = purchase(Currency.USD);
        return m == null ? null : m.amount();
    }

    /** Purchase price in {@code c} (a system's own price, else its cards'), or null when any part has none. */
    public Price.Money purchase(Currency c) {
        Price.Money sum = new Price.Money(0, c, false);
        for (Group g : groups) {
            Price.Money p = g.system() != null ? g.system().price().purchase(c) : null;
            if (p == null) {
                Price.Money card = g.gpu().price().purchase(c);
                if (card == null) {
                    return null;
                }
                p = card.times(g.count());
            }
            sum = sum.plus(p);
        }
        return sum.times(nodes);
    }

    /** Hourly rental in USD, or null when any card has no hourly price. */
    public Double hourlyUsd() {
        Price.Money m = hourly(Currency.USD);
        return m == null ? null : m.amount();
    }

    /** Hourly rental in {@code c}, or null when any card has no hourly price. */
    public Price.Money hourly(Currency c) {
        Price.Money sum = new Price.Money(0, c, false);
        for (Group g : groups) {
            Price.Money price = g.gpu().price().hourly(c);
            if (price == null) {
                return null;
            }
            sum = sum.plus(price.times(g.count()));
        }
        return sum.times(nodes);
    }

    public String label() {
        if (cpuOnly()) {
            return "cpu";
        }
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
