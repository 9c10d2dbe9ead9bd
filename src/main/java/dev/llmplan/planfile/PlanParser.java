package dev.llmplan.planfile;

import dev.llmplan.yaml.DataFileException;
import dev.llmplan.yaml.Problem;
import dev.llmplan.yaml.YamlNode;
import dev.llmplan.yaml.YamlReader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a plan file's structure: keys, types and plain value ranges. Every problem is collected with
 * its line; names of models and GPUs and the meaning of workload values are checked later against the
 * catalog and the CLI's own parsers (see {@code cli.PlanResolver}), so they cannot drift apart.
 */
public final class PlanParser {
    public static final int SCHEMA_VERSION = 1;
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final String file;
    private final List<Problem> problems;
    private final List<PlanKey> keys;

    private PlanParser(String file, List<Problem> problems, List<PlanKey> keys) {
        this.file = file;
        this.problems = problems;
        this.keys = keys;
    }

    /** Parses {@code text}; throws {@link DataFileException} listing every problem when it is invalid. */
    public static PlanFile parse(String text, String file, List<PlanKey> keys) {
        List<Problem> problems = new ArrayList<>();
        PlanFile plan = parse(text, file, problems, keys);
        if (!problems.isEmpty()) {
            throw new DataFileException(problems);
        }
        return plan;
    }

    /** Parses {@code text}, adding problems to {@code problems} instead of throwing. */
    public static PlanFile parse(String text, String file, List<Problem> problems, List<PlanKey> keys) {
        YamlNode root;
        try {
            root = YamlReader.read(text, file);
        } catch (DataFileException e) {
            problems.addAll(e.problems());
            return new PlanFile(file, List.of());
        }
        return new PlanParser(file, problems, keys).plan(root);
    }

    private PlanFile plan(YamlNode root) {
        if (!(root instanceof YamlNode.Mapping top)) {
            problems.add(new Problem(file, root.line(), null, null,
                    "expected a mapping with schemaVersion and entries, got " + YamlNode.typeName(root)));
            return new PlanFile(file, List.of());
        }
        PlanFields f = new PlanFields(file, null, "", top, problems);
        Integer version = f.integer("schemaVersion", true, 1);
        if (version != null && version != SCHEMA_VERSION) {
            f.problem("schemaVersion", "unsupported schema version " + version + " (this llmplan reads " + SCHEMA_VERSION + ")");
        }
        List<YamlNode> items = f.list("entries", true);
        f.reportUnknown();
        if (items != null && items.isEmpty()) {
            f.problem("entries", "must list at least one entry");
        }
        List<PlanEntry> entries = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (YamlNode item : items == null ? List.<YamlNode>of() : items) {
            if (!(item instanceof YamlNode.Mapping m)) {
                problems.add(new Problem(file, item.line(), "entries", null,
                        "expected an entry (a mapping), got " + YamlNode.typeName(item)));
                continue;
            }
            PlanEntry e = entry(m);
            Integer first = names.putIfAbsent(e.name(), e.line());
            if (first != null) {
                problems.add(new Problem(file, e.line(), e.name(), "name", "duplicate entry name (first at line " + first + ")"));
            }
            entries.add(e);
        }
        return new PlanFile(file, entries);
    }

    private PlanEntry entry(YamlNode.Mapping m) {
        String label = entryLabel(m);
        PlanFields f = new PlanFields(file, label, "", m, problems);
        String name = f.string("name", true);
        if (name != null && !NAME.matcher(name).matches()) {
            f.problem("name", "names are letters, digits, '.', '-' and '_' (no spaces), got \"" + name + "\"");
        }
        String description = f.string("description", false);
        PlanEntry.Value model = f.value("model", true);
        Map<String, PlanEntry.Value> settings = new LinkedHashMap<>();
        section(label, "workload", f.mapping("workload"), settings);
        YamlNode.Mapping hwNode = f.mapping("hardware");
        YamlNode.Entry hwEntry = m.map().get("hardware");
        if (hwEntry == null || hwEntry.value() instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.NULL) {
            f.problem("hardware", "is required (e.g. hardware: {gpu: \"2x rtx-4090\"})");
        }
        if (hwNode != null) {
            section(label, "hardware", hwNode, settings);
            if (!settings.containsKey("gpu") && problems.stream().noneMatch(p -> "hardware.gpu".equals(p.field()))) {
                problems.add(new Problem(file, hwNode.line(), label, "hardware.gpu", "is required"));
            }
        }
        YamlNode.Mapping reqNode = f.mapping("requirements");
        Requirements req = reqNode == null ? Requirements.NONE : requirements(label, reqNode);
        f.reportUnknown();
        // An entry with problems is still returned (missing parts null) so its model, GPU and workload
        // values are checked too and every problem of the file is reported at once.
        return new PlanEntry(file, m.line(), name != null ? name : label, description, model, settings, req);
    }

    /** The keys of one section ({@code workload} or {@code hardware}), typed as the key list says. */
    private void section(String label, String section, YamlNode.Mapping node, Map<String, PlanEntry.Value> out) {
        if (node == null) {
            return;
        }
        PlanFields w = new PlanFields(file, label, section + ".", node, problems);
        for (PlanKey k : keys) {
            if (!k.section().equals(section)) {
                continue;
            }
            String key = k.key();
            String text = switch (k.type()) {
                case INTEGER -> intText(w.integer(key, false, 1));
                case ON_OFF -> w.onOff(key);
                case LIST -> w.stringOrList(key);
                case TOKENS -> w.tokens(key);
                case TEXT -> w.string(key, false);
            };
            if (text != null) {
                out.put(key, new PlanEntry.Value(text, w.keyLine(key)));
            }
        }
        w.reportMisplaced(keys, section);
        w.reportUnknown();
    }

    private Requirements requirements(String label, YamlNode.Mapping node) {
        PlanFields r = new PlanFields(file, label, "requirements.", node, problems);
        Double headroom = r.number("minHeadroomPercent", 0, 100);
        Integer maxGpus = r.integer("maxGpus", false, 1);
        String ctx = r.tokens("minContext");
        Double cost = r.number("maxCostUsd", Double.MIN_VALUE, Double.MAX_VALUE);
        Double speed = r.number("minDecodeTokensPerSecond", Double.MIN_VALUE, Double.MAX_VALUE);
        r.reportUnknown();
        return new Requirements(headroom, maxGpus, ctx == null ? null : Integer.valueOf(ctx), cost, speed);
    }

    private static String intText(Integer v) {
        return v == null ? null : v.toString();
    }

    private static String entryLabel(YamlNode.Mapping m) {
        YamlNode.Entry n = m.map().get("name");
        if (n != null && n.value() instanceof YamlNode.Scalar s && s.text() != null && !s.text().isBlank()) {
            return s.text();
        }
        return "entry at line " + m.line();
    }
}
