package dev.llmplan.request;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.device.GpuDetector;
import dev.llmplan.plan.HardwareParser;
import dev.llmplan.plan.HardwareSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@code gpu} value into hardware: catalog ids through {@link HardwareParser}, and
 * {@code auto} into this machine's GPUs ({@link GpuDetector}, mapped by {@link LocalGpus}).
 * Detection runs once per resolver, however many plan entries ask for it.
 */
public final class HardwareResolver {
    public static final String AUTO = "auto";

    private final Catalog catalog;
    private final Map<String, String> env;
    private GpuDetector.Detection detection;
    private final List<String> notes = new ArrayList<>();

    public HardwareResolver(Catalog catalog, Map<String, String> env) {
        this.catalog = catalog;
        this.env = env;
    }

    public static boolean isAuto(String text) {
        return text != null && text.trim().toLowerCase(Locale.ROOT).equals(AUTO);
    }

    public HardwareSpec parse(String text, int nodes, boolean ignoreUsed) {
        if (!isAuto(text)) {
            return HardwareParser.parse(text, nodes, new HardwareLookup(catalog));
        }
        List<LocalGpus.Card> cards = detect(ignoreUsed);
        List<String> lines = LocalGpus.notes(cards, ignoreUsed);
        for (String l : lines) {
            if (!notes.contains(l)) {
                notes.add(l);
            }
        }
        return LocalGpus.hardware(cards, nodes);
    }

    /** This machine's cards (the detection is run on first use). */
    public List<LocalGpus.Card> detect(boolean ignoreUsed) {
        return LocalGpus.cards(detection().gpus(), catalog, ignoreUsed);
    }

    /** The detection itself: the cards and the command that found them. */
    public GpuDetector.Detection detection() {
        if (detection == null) {
            detection = new GpuDetector(env).detect();
        }
        return detection;
    }

    /** What detection found, for stderr (one line per card), in the order found. */
    public List<String> notes() {
        return List.copyOf(notes);
    }
}
