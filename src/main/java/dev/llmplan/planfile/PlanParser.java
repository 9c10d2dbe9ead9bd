package dev.llmplan.planfile;

import dev.llmplan.catalog.DataFileException;
import dev.llmplan.catalog.Problem;
import dev.llmplan.catalog.YamlNode;
import dev.llmplan.catalog.YamlReader;

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

    private PlanParser(String file, List<Problem> problems) {
        this.file = file;
        this.problems = problems;
    }

    /** Parses {@code text}; throws {@link DataFileException} listing every problem when it is invalid. */
    public static PlanFile parse(String text, String file) {
        List<Problem> problems = new ArrayList<>();
        PlanFile plan = parse(text, file, problems);
        if (!problems.isEmpty()) {
            throw new DataFileException(problems);
        }
        return plan;
    }

    /** Parses {@code text}, adding problems to {@code problems} instead of throwing. */
    public static PlanFile parse(String text, String file, List<Problem> problems) {
        YamlNode root;
        try {
            root = YamlReader.read(text, file);
        } catch (DataFileException e) {
            problems.addAll(e.problems());
            return new PlanFile(file, List.of());
        }
        return new PlanParser(file, problems).plan(root);
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
        Map<String, PlanEntry.Value> workload = workload(label, f.mapping("workload"));
        YamlNode.Mapping hwNode = f.mapping("hardware");
        YamlNode.Entry hwEntry = m.map().get("hardware");
        if (hwEntry == null || hwEntry.value() instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.NULL) {
            f.problem("hardware", "is required (e.g. hardware: {gpu: \"2x rtx-4090\"})");
        }
        PlanEntry.Value gpu = null;
        PlanEntry.Value nodes = null;
        if (hwNode != null) {
            PlanFields h = new PlanFields(file, label, "hardware.", hwNode, problems);
            gpu = h.value("gpu", true);
            Integer n = h.integer("nodes", false, 1);
            nodes = n == null ? null : new PlanEntry.Value(String.valueOf(n), h.keyLine("nodes"));
            h.reportUnknown();
        }
        YamlNode.Mapping reqNode = f.mapping("requirements");
        Requirements req = reqNode == null ? Requirements.NONE : requirements(label, reqNode);
        f.reportUnknown();
        // An entry with problems is still returned (missing parts null) so its model, GPU and workload
        // values are checked too and every problem of the file is reported at once.
        return new PlanEntry(file, m.line(), name != null ? name : label, description,
                model, workload, gpu, nodes, req);
    }

    private Map<String, PlanEntry.Value> workload(String label, YamlNode.Mapping node) {
        Map<String, PlanEntry.Value> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        PlanFields w = new PlanFields(file, label, "workload.", node, problems);
        for (String key : PlanEntry.WORKLOAD_KEYS) {
            String text = switch (key) {
                case "batch", "loraRank", "groupSize" -> intText(w.integer(key, false, 1));
                case "flashAttention" -> w.onOff(key);
                case "loraTargets" -> w.stringOrList(key);
                case "context" -> w.tokens(key);
                default -> w.string(key, false);
            };
            if (text != null) {
                out.put(key, new PlanEntry.Value(text, w.keyLine(key)));
            }
        }
        w.reportUnknown();
        return out;
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
