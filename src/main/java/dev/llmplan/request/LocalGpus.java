package dev.llmplan.request;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.device.DetectedGpu;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.Price;
import dev.llmplan.plan.HardwareSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The GPUs of this machine as hardware to plan on: each detected card mapped to a catalog GPU by
 * name and memory (for its bandwidth, FLOPS and runtime facts), with the memory actually there.
 * A card the catalog does not know still works with its detected memory and no speed figures.
 */
public final class LocalGpus {
    /** Detected memory may be this much below the catalog's (ECC, firmware reserve: a T4 shows 15 of 16 GiB, a B200 179 of 192). */
    static final double MIN_MEMORY_RATIO = 0.88;
    static final double MAX_MEMORY_RATIO = 1.03;
    private static final double GIB = 1024.0 * 1024 * 1024;
    /** Words that tell variants apart; other words without digits ("GeForce", "Tesla", "Instinct") do not. */
    private static final Set<String> VARIANTS = Set.of("ti", "super", "ada", "nvl", "max", "ultra", "pro", "xt", "xtx");

    /** One detected card: what the tool said, the catalog GPU it matched (or null), and the spec planned on. */
    public record Card(DetectedGpu detected, GpuSpec match, GpuSpec planned) {
    }

    private LocalGpus() {
    }

    public static List<Card> cards(List<DetectedGpu> detected, Catalog catalog, boolean ignoreUsed) {
        List<Card> cards = new ArrayList<>();
        for (DetectedGpu d : detected) {
            GpuSpec match = match(d, catalog.gpus());
            cards.add(new Card(d, match, planned(d, match, ignoreUsed)));
        }
        return cards;
    }

    /** The cards as hardware: consecutive cards with the same id and memory form one group. */
    public static HardwareSpec hardware(List<Card> cards, int nodes) {
        List<HardwareSpec.Group> groups = new ArrayList<>();
        for (Card c : cards) {
            HardwareSpec.Group last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
            if (last != null && last.gpu().equals(c.planned())) {
                groups.set(groups.size() - 1, new HardwareSpec.Group(last.gpu(), last.count() + 1, null));
            } else {
                groups.add(new HardwareSpec.Group(c.planned(), 1, null));
            }
        }
        return new HardwareSpec(groups, nodes);
    }

    /** One line per card saying what was detected and what is planned on (stderr notes). */
    public static List<String> notes(List<Card> cards, boolean ignoreUsed) {
        List<String> out = new ArrayList<>();
        for (Card c : cards) {
            DetectedGpu d = c.detected();
            String what = "GPU " + d.index() + " " + d.name() + " (" + d.tool() + ") = "
                    + (c.match() == null ? "not in the catalog, speed unknown" : c.match().id()) + ": ";
            String memory;
            if (d.note() != null) {
                memory = gib(d.totalBytes()) + " usable (" + d.note() + ")";
            } else if (d.usedBytes() == null) {
                memory = gib(d.totalBytes()) + ", memory in use not reported";
            } else if (ignoreUsed) {
                memory = gib(d.totalBytes()) + ", " + gib(d.usedBytes()) + " in use ignored: planning on the whole card";
            } else {
                memory = gib(d.totalBytes()) + ", " + gib(d.usedBytes()) + " in use: planning on "
                        + gib(d.freeBytes(false)) + " ({ignoreUsed} plans on the whole card)";
            }
            out.add(what + memory);
        }
        return out;
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.2f GiB", bytes / GIB);
    }

    /** The catalog GPU with the same model words and about the same memory; null when none. */
    static GpuSpec match(DetectedGpu d, java.util.Collection<GpuSpec> catalog) {
        Set<String> key = key(d.name());
        Set<String> forms = forms(d.name());
        double gib = d.totalBytes() / GIB;
        return catalog.stream()
                .filter(g -> g.vendor() != null && g.vendor().equalsIgnoreCase(d.vendor()))
                .filter(g -> namesOf(g).stream().anyMatch(n -> key(n).equals(key)))
                // Apple entries are the chip's largest configuration: the name decides, the memory is the machine's.
                .filter(g -> d.vendor().equals("apple")
                        || gib >= g.memoryGiB() * MIN_MEMORY_RATIO && gib <= g.memoryGiB() * MAX_MEMORY_RATIO)
                .max(Comparator.comparingInt((GpuSpec g) -> formScore(forms, g))
                        .thenComparingDouble(g -> -Math.abs(g.memoryGiB() - gib)))
                .orElse(null);
    }

    private static List<String> namesOf(GpuSpec g) {
        List<String> n = new ArrayList<>(g.aliases());
        n.add(0, g.name());
        return n;
    }

    /** Form factors named by a detected name agree (+1) or a catalog entry names one the card lacks (-1). */
    private static int formScore(Set<String> detected, GpuSpec g) {
        Set<String> catalog = forms(g.name());
        int score = 0;
        for (String f : catalog) {
            score += detected.contains(f) ? 1 : -1;
        }
        return score;
    }

    /** The words that identify a model: those with digits (4090, a100, mi300x) and variant words, lower case. */
    static Set<String> key(String name) {
        Set<String> out = new LinkedHashSet<>();
        for (String t : tokens(name)) {
            boolean memory = t.matches("\\d+(gb|g|gib)");
            boolean form = t.matches("sxm\\d*|pcie|hbm\\d*e?|oam");
            if (!memory && !form && (t.matches(".*\\d.*") || VARIANTS.contains(t))) {
                out.add(t);
            }
        }
        return out;
    }

    /** Form factors: SXM (nvidia-smi names SXM H100s "H100 80GB HBM3") or PCIe. */
    static Set<String> forms(String name) {
        Set<String> out = new LinkedHashSet<>();
        for (String t : tokens(name)) {
            if (t.matches("sxm\\d*|hbm\\d*e?")) {
                out.add("sxm");
            } else if (t.equals("pcie")) {
                out.add("pcie");
            }
        }
        return out;
    }

    private static List<String> tokens(String name) {
        String plain = name.replaceAll("\\([^)]*\\)", " ").toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        for (String t : plain.split("[^a-z0-9]+")) {
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** The spec to plan on: the catalog GPU's figures with the memory this card has free, or the card alone. */
    static GpuSpec planned(DetectedGpu d, GpuSpec m, boolean ignoreUsed) {
        double total = d.totalBytes() / GIB;
        double free = d.freeBytes(ignoreUsed) / GIB;
        if (m == null) {
            return new GpuSpec(slug(d.name()), d.name(), List.of(), d.vendor(), null, null, total, free, null, 0, 0, null,
                    null, null, null, null, null, null, null, Price.NONE, "detected by " + d.tool(),
                    "not in the catalog: memory as detected, speed unknown");
        }
        return new GpuSpec(m.id(), m.name(), m.aliases(), m.vendor(), m.category(), m.architecture(), total, free,
                m.memoryType(), m.bandwidthGBps(), m.fp16Tflops(), m.fp8Tflops(), m.int8Tops(), m.fp4Tflops(), m.tdpW(),
                m.interconnect(), m.nvlinkGBps(), m.formFactor(), m.launchYear(), m.price(), m.source(),
                "detected by " + d.tool() + " as " + d.name());
    }

    static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return s.isEmpty() ? "gpu" : s;
    }
}
