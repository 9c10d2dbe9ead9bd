package dev.llmplan.format;

import dev.llmplan.device.DetectedGpu;
import dev.llmplan.request.LocalGpus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code llmplan gpus --detect}: the cards a vendor tool reported, the catalog GPU each maps to,
 * and the memory {@code --gpu auto} plans on.
 *
 * @param command    the tool command that found them
 * @param cards      the cards, in the tool's order
 * @param ignoreUsed whether memory in use is ignored
 * @param hardware   the hardware label {@code --gpu auto} resolves to
 */
public record DetectedGpusReport(String command, List<LocalGpus.Card> cards, boolean ignoreUsed, String hardware) {

    public Table table(Units units) {
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

    public String text(Units units) {
        StringBuilder sb = new StringBuilder();
        sb.append("Detected with: ").append(command).append('\n');
        sb.append(table(units).text());
        for (LocalGpus.Card c : cards) {
            if (c.detected().note() != null) {
                sb.append("GPU ").append(c.detected().index()).append(": ").append(c.detected().note()).append('\n');
            }
        }
        sb.append('\n').append("--gpu auto plans on: ").append(hardware)
                .append(ignoreUsed ? " (whole cards)" : " (memory in use subtracted; --ignore-used plans on whole cards)")
                .append('\n');
        return sb.toString();
    }

    public Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schemaVersion", Documents.SCHEMA_VERSION);
        doc.put("command", command);
        doc.put("ignoreUsed", ignoreUsed);
        doc.put("hardware", hardware);
        doc.put("gpus", cards.stream().map(DetectedGpusReport::card).toList());
        return doc;
    }

    private static Map<String, Object> card(LocalGpus.Card c) {
        DetectedGpu d = c.detected();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", d.index());
        m.put("name", d.name());
        m.put("vendor", d.vendor());
        m.put("tool", d.tool());
        m.put("totalBytes", d.totalBytes());
        m.put("usedBytes", d.usedBytes());
        m.put("plannedBytes", c.planned().usableMemory().value());
        m.put("catalogId", c.match() == null ? null : c.match().id());
        m.put("note", d.note());
        return m;
    }
}
