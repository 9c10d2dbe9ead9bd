package dev.llmplan.plan;

import dev.llmplan.engine.GpuSpec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host link of a card, read from the catalog's interconnect text ("PCIe 4.0 x16"), as one
 * direction's usable bandwidth. Offloaded layers cross it on every forward pass (FlexGen streams
 * weights from host RAM to the GPU), so it bounds offloaded decode speed.
 */
public record PcieLink(int generation, int lanes, boolean assumed) {
    /**
     * Per-lane, per-direction throughput in GB/s after line coding (PCI-SIG base specifications:
     * 8 GT/s 128b/130b = 0.985 for 3.0, 1.969 for 4.0, 3.938 for 5.0; 6.0 64 GT/s PAM4 with FLIT
     * 242/256 = 7.563).
     */
    static double perLaneGBps(int generation) {
        return switch (generation) {
            case 3 -> 0.985;
            case 4 -> 1.969;
            case 5 -> 3.938;
            case 6 -> 7.563;
            default -> 1.969;
        };
    }

    /**
     * Share of the link a pinned host-to-device copy achieves: CUDA's bandwidthTest reports about
     * 26 GB/s on PCIe 4.0 x16 (of 31.5), i.e. about 0.8.
     */
    public static final double COPY_EFFICIENCY = 0.8;

    /** Without an interconnect in the catalog: the common PCIe 4.0 x16 slot. */
    public static final PcieLink DEFAULT = new PcieLink(4, 16, true);

    private static final Pattern P = Pattern.compile("PCIe\\s*([1-9])(?:\\.[0-9])?(?:\\s*x([1-9][0-9]?))?");

    public static PcieLink of(GpuSpec gpu) {
        if (gpu.interconnect() == null) {
            return DEFAULT;
        }
        Matcher m = P.matcher(gpu.interconnect());
        if (!m.find()) {
            return DEFAULT;
        }
        int gen = Integer.parseInt(m.group(1));
        int lanes = m.group(2) == null ? 16 : Integer.parseInt(m.group(2));
        return new PcieLink(gen, lanes, m.group(2) == null);
    }

    /** Nominal one-direction bandwidth in GB/s (10^9 bytes per second). */
    public double nominalGBps() {
        return perLaneGBps(generation) * lanes;
    }

    /** What a host-to-device stream achieves in GB/s. */
    public double effectiveGBps() {
        return nominalGBps() * COPY_EFFICIENCY;
    }

    public String label() {
        return "PCIe " + generation + ".0 x" + lanes + (assumed ? " (assumed)" : "");
    }
}
