package dev.llmplan.format;

import dev.llmplan.device.DetectedGpu;
import dev.llmplan.request.LocalGpus;

import java.util.List;

/**
 * {@code llmplan gpus --detect}: the cards a vendor tool reported, the catalog GPU each maps to,
 * and the memory {@code --gpu auto} plans on.
 *
 * @param command    the tool command that found them
 * @param cards      the cards, in the tool's order
 * @param ignoreUsed whether memory in use is ignored
 * @param hardware   the hardware label {@code --gpu auto} resolves to
 */
public record DetectedGpusReport(String command, List<LocalGpus.Card> cards, boolean ignoreUsed, String hardware)
        implements Rendered {

    public record Doc(int schemaVersion, String command, boolean ignoreUsed, String hardware, List<Item> gpus) {
    }

    /** One card; bytes exact, {@code usedBytes} null when the tool does not report it. */
    public record Item(int index, String name, String vendor, String tool, long totalBytes, Long usedBytes,
                       long plannedBytes, String catalogId, String note) {
        static Item of(LocalGpus.Card c) {
            DetectedGpu d = c.detected();
            return new Item(d.index(), d.name(), d.vendor(), d.tool(), d.totalBytes(), d.usedBytes(),
                    c.planned().usableMemory().value(), c.match() == null ? null : c.match().id(), d.note());
        }
    }

    @Override
    public Doc document() {
        return new Doc(Documents.SCHEMA_VERSION, command, ignoreUsed, hardware, cards.stream().map(Item::of).toList());
    }

    @Override
    public Table rows(Units units) {
        Table t = new Table(">#", "gpu", ">memory", ">in use", ">plan on", "catalog", "tool");
        for (LocalGpus.Card c : cards) {
            DetectedGpu d = c.detected();
            t.row(d.index(), d.name(), units.format(d.totalBytes()),
                    d.usedBytes() == null ? "?" : units.format(d.usedBytes()) + (ignoreUsed ? " (ignored)" : ""),
                    units.format(d.freeBytes(ignoreUsed)),
                    c.match() == null ? "not in the catalog (speed unknown)" : c.match().id(), d.tool());
        }
        return t;
    }

    @Override
    public Styled text(Units units) {
        Styled s = new Styled().append("Detected with: " + command + "\n").append(rows(units).styled());
        for (LocalGpus.Card c : cards) {
            if (c.detected().note() != null) {
                s.append("GPU " + c.detected().index() + ": " + c.detected().note() + "\n");
            }
        }
        return s.append("\n--gpu auto plans on: " + hardware
                + (ignoreUsed ? " (whole cards)\n" : " (memory in use subtracted; --ignore-used plans on whole cards)\n"));
    }
}
