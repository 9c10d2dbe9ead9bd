package dev.llmplan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.SystemSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, acceptance: for random (model, quant, mode, context, batch, hardware) combinations drawn from
 * the catalog, {@code fit}, {@code recommend}, {@code models --fits} and {@code check} agree on per-GPU
 * bytes and verdict, and every fit document is consistent with itself: {@code memory.totalBytes} is the
 * sum of its components and of the cards, {@code perGpuBytes} the busiest card, and the longest context
 * reported fits. The commands run in-process through the real renderers (JSON), as a user scripts them.
 *
 * <p>Seeded, so a failure reproduces; {@code -Dagreement.seed=N -Dagreement.settings=N} explore further.
 */
class CrossCommandAgreementTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Catalog CATALOG = CatalogLoader.builtin();
    private static final long SEED = Long.getLong("agreement.seed", 20261204L);
    /** Hardware + workload settings; each is run with {@link #MODELS_PER_SETTING} models. */
    private static final int SETTINGS = Integer.getInteger("agreement.settings", 24);
    private static final int MODELS_PER_SETTING = 20;

    private static final String[] QUANTS = {null, "fp16", "int8", "int4", "q4_k_m", "q8_0", "awq-4bit", "fp8"};
    private static final String[] MODES = {"inference", "inference", "inference", "lora", "qlora", "train", "load"};
    private static final int[] CONTEXTS = {512, 1024, 2048, 4096, 8192, 32768};
    private static final int[] BATCHES = {1, 1, 2, 4, 8};
    private static final int[] COUNTS = {1, 1, 2, 4, 8};

    /** One workload on one piece of hardware, as command-line options. */
    record Setting(String gpu, int nodes, String quant, String mode, int context, int batch, String runtime) {
        List<String> workload() {
            List<String> a = new ArrayList<>(List.of("--mode", mode, "--context", String.valueOf(context), "--batch",
                    String.valueOf(batch)));
            if (quant != null && !"qlora".equals(mode)) {
                a.addAll(List.of("--quant", quant));
            }
            if (runtime != null) {
                a.addAll(List.of("--runtime", runtime));
            }
            return a;
        }

        List<String> hardware() {
            return nodes > 1 ? List.of("--gpu", gpu, "--nodes", String.valueOf(nodes)) : List.of("--gpu", gpu);
        }
    }

    private final List<String> disagreements = new ArrayList<>();
    private int combinations;
    private int compared;

    @Test
    void fitRecommendModelsAndCheckAgree(@TempDir Path dir) throws Exception {
        Random random = new Random(SEED);
        List<ModelSpec> models = CATALOG.models().stream().filter(m -> m.openWeights() && m.hasParameters()).toList();
        for (int s = 0; s < SETTINGS; s++) {
            Setting setting = setting(random);
            runSetting(setting, models, random, dir.resolve("plan-" + s + ".yaml"));
        }
        System.out.printf("cross-command agreement: %d combinations, %d comparisons, %d disagreements%n", combinations,
                compared, disagreements.size());
        disagreements.stream().limit(60).forEach(d -> System.out.println("  " + d));
        assertThat(disagreements).as("disagreements over %d combinations", combinations).isEmpty();
        assertThat(combinations).as("combinations that fit accepted").isGreaterThanOrEqualTo(250);
        assertThat(compared).as("cross-command comparisons made").isGreaterThan(combinations);
    }

    private static Setting setting(Random r) {
        String mode = MODES[r.nextInt(MODES.length)];
        String quant = QUANTS[r.nextInt(QUANTS.length)];
        if (mode.equals("train") || mode.equals("lora")) {
            quant = r.nextBoolean() ? null : "fp16";
        }
        String runtime = null;
        if (mode.equals("inference") && (quant == null || quant.equals("fp16") || quant.equals("awq-4bit") || quant.equals("fp8"))
                && r.nextInt(3) == 0) {
            runtime = "vllm";
        }
        String gpu;
        int nodes = 1;
        if (r.nextInt(5) == 0) {
            List<SystemSpec> systems = List.copyOf(CATALOG.systems());
            SystemSpec sys = systems.get(r.nextInt(systems.size()));
            gpu = sys.id();
            nodes = "datacenter".equals(sys.gpu().category()) && r.nextInt(3) == 0 ? 2 : 1;
        } else {
            List<GpuSpec> gpus = List.copyOf(CATALOG.gpus());
            GpuSpec g = gpus.get(r.nextInt(gpus.size()));
            int count = g.unifiedMemory() ? 1 : COUNTS[r.nextInt(COUNTS.length)];
            count = Math.min(count, Math.max(1, 8 / g.devicesPerCard()));
            gpu = count == 1 ? g.id() : count + "x " + g.id();
        }
        int context = CONTEXTS[r.nextInt(CONTEXTS.length)];
        int batch = BATCHES[r.nextInt(BATCHES.length)];
        return new Setting(gpu, nodes, quant, mode, context, batch, runtime);
    }

    private void runSetting(Setting s, List<ModelSpec> models, Random random, Path planFile) throws Exception {
        // models --fits: every catalog model at once for this hardware and workload.
        List<String> modelsArgs = new ArrayList<>(List.of("models", "--fits", s.gpu()));
        if (s.nodes() > 1) {
            modelsArgs.addAll(List.of("--nodes", String.valueOf(s.nodes())));
        }
        modelsArgs.addAll(s.workload());
        modelsArgs.addAll(List.of("--format", "json"));
        JsonNode listed = json(modelsArgs);
        Map<String, JsonNode> byId = new HashMap<>();
        if (listed != null) {
            listed.get("models").forEach(m -> byId.put(m.get("id").asText(), m));
        }
        StringBuilder plan = new StringBuilder("schemaVersion: 1\nentries:\n");
        Map<String, JsonNode> fitsByEntry = new HashMap<>();
        for (int i = 0; i < MODELS_PER_SETTING; i++) {
            ModelSpec m = models.get(random.nextInt(models.size()));
            if (m.maxContext() != null && m.maxContext() < s.context()) {
                continue; // a context beyond the model is a warning in fit but clamped by models --fits
            }
            String where = m.id() + " " + s;
            List<String> fitArgs = new ArrayList<>(List.of("fit", m.id()));
            fitArgs.addAll(s.workload());
            fitArgs.addAll(s.hardware());
            fitArgs.addAll(List.of("--no-ladder", "--format", "json"));
            JsonNode fit = json(fitArgs);
            if (fit == null) {
                continue; // not a valid combination (e.g. a GGUF type on vLLM): every command refuses it alike
            }
            combinations++;
            selfConsistent(where, fit, m, s);
            String verdict = fit.at("/fit/verdict").asText();
            String quant = fit.at("/workload/quant").asText();
            // models --fits: a listed model at this format carries fit's bytes; an unlisted one does not fit.
            JsonNode row = byId.get(m.id());
            if (listed != null && row != null && row.get("quant").asText().equals(quant)) {
                agree(where + " [models --fits]", row.get("perGpuUsedBytes").asLong(), fit.at("/memory/perGpuBytes").asLong(),
                        row.get("verdict").asText(), verdict);
                if (row.hasNonNull("maxContext") && fit.at("/fit/longestContext").isInt()) {
                    agree(where + " [models --fits maxContext]", row.get("maxContext").asLong(),
                            fit.at("/fit/longestContext").asLong(), "", "");
                }
            } else if (listed != null && row == null && verdict.equals("fits")) {
                disagreements.add(where + ": fit says fits but models --fits does not list it");
            }
            if (i % 4 == 0) {
                recommendAgrees(where, m, s, fit);
            }
            String name = "e" + i + "-" + m.id().replaceAll("[^a-z0-9-]", "-");
            fitsByEntry.put(name, fit);
            plan.append(entry(name, m, s, fit));
        }
        if (!fitsByEntry.isEmpty()) {
            checkAgrees(s, planFile, plan.toString(), fitsByEntry);
        }
    }

    /** One JSON document, or null when the command refused the combination (exit 2 or 3, one line on stderr). */
    private JsonNode json(List<String> args) throws Exception {
        CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
        if (r.exitCode() == 2 || r.exitCode() == 3) {
            assertThat(r.err().strip().lines().filter(l -> l.startsWith("llmplan ")).count()).as(args + ": " + r.err())
                    .isGreaterThanOrEqualTo(1);
            return null;
        }
        assertThat(r.exitCode()).as(args + ": " + r.err()).isIn(0, 1);
        return JSON.readTree(r.out());
    }

    /** The fit document against itself. */
    private void selfConsistent(String where, JsonNode fit, ModelSpec m, Setting s) throws Exception {
        JsonNode memory = fit.get("memory");
        long sum = 0;
        for (JsonNode c : memory.get("components")) {
            sum += c.asLong();
        }
        compared++;
        if (sum != memory.get("totalBytes").asLong()) {
            disagreements.add(where + ": totalBytes " + memory.get("totalBytes") + " != components " + sum);
        }
        long cards = 0;
        long busiest = 0;
        for (JsonNode c : fit.at("/fit/cards")) {
            cards += c.get("usedBytes").asLong();
            busiest = Math.max(busiest, c.get("usedBytes").asLong());
        }
        if (cards != memory.get("totalBytes").asLong()) {
            disagreements.add(where + ": cards add up to " + cards + ", totalBytes " + memory.get("totalBytes"));
        }
        if (busiest != memory.get("perGpuBytes").asLong()) {
            disagreements.add(where + ": perGpuBytes " + memory.get("perGpuBytes") + " != busiest card " + busiest);
        }
        JsonNode longest = fit.at("/fit/longestContext");
        if (longest.isInt() && longest.asInt() != s.context()) {
            List<String> args = new ArrayList<>(List.of("fit", m.id()));
            Setting at = new Setting(s.gpu(), s.nodes(), s.quant(), s.mode(), longest.asInt(), s.batch(), s.runtime());
            args.addAll(at.workload());
            args.addAll(at.hardware());
            args.addAll(List.of("--no-ladder", "--format", "json"));
            JsonNode there = json(args);
            compared++;
            if (there == null || !there.at("/fit/verdict").asText().equals("fits")) {
                disagreements.add(where + ": longest context " + longest + " is '"
                        + (there == null ? "refused" : there.at("/fit/verdict").asText()) + "', not 'fits'");
            }
        }
    }

    /**
     * recommend: each row is what fit says on that hardware with that strategy; and hardware recommend tries
     * (1 to 8 of a catalog card, a system) that fit calls "fits" is among its rows.
     */
    private void recommendAgrees(String where, ModelSpec m, Setting s, JsonNode fit) throws Exception {
        List<String> args = new ArrayList<>(List.of("recommend", m.id()));
        args.addAll(s.workload());
        args.addAll(List.of("--top", "100000", "--format", "json"));
        JsonNode rec = json(args);
        if (rec == null) {
            disagreements.add(where + ": fit accepted the workload but recommend refused it");
            return;
        }
        List<JsonNode> rows = new ArrayList<>();
        rec.get("configurations").forEach(rows::add);
        String label = fit.at("/hardware/spec").asText();
        // recommend tries 1, 2, 4 and 8 cards and each system on one node; more nodes only when one is too small.
        boolean tried = s.nodes() == 1;
        if (tried && fit.at("/fit/verdict").asText().equals("fits")
                && rows.stream().noneMatch(r -> r.get("hardware").asText().equals(label))) {
            disagreements.add(where + ": fit says fits on " + label + " but recommend does not list it");
        }
        // Up to three rows, compared with fit on that hardware and strategy.
        for (int k = 0; k < Math.min(3, rows.size()); k++) {
            JsonNode row = rows.get((k * 7919) % rows.size());
            List<String> fa = new ArrayList<>(List.of("fit", m.id()));
            fa.addAll(s.workload());
            fa.addAll(hardwareOf(row));
            String strategy = row.get("strategy").asText();
            if (!strategy.equals("single")) {
                fa.addAll(List.of("--parallel", strategy));
            }
            // Data-parallel training rows shard with ZeRO (stage 3 unless the workload sets one) and say so.
            java.util.regex.Matcher zero = java.util.regex.Pattern.compile("ZeRO stage (\\d)")
                    .matcher(row.get("strategyDescription").asText());
            if (zero.find()) {
                fa.addAll(List.of("--zero", zero.group(1)));
            }
            fa.addAll(List.of("--no-ladder", "--format", "json"));
            JsonNode there = json(fa);
            if (there == null) {
                disagreements.add(where + ": recommend lists " + row.get("hardware") + " but fit refuses " + fa);
                continue;
            }
            agree(where + " [recommend row " + row.get("hardware").asText() + " " + strategy + "]",
                    row.get("perGpuUsedBytes").asLong(), there.at("/memory/perGpuBytes").asLong(),
                    row.get("verdict").asText(), there.at("/fit/verdict").asText());
        }
    }

    /** "2 nodes x (8x a10g)" -> --gpu "8x a10g" --nodes 2. */
    private static List<String> hardwareOf(JsonNode row) {
        String label = row.get("hardware").asText();
        int nodes = row.get("nodes").asInt();
        if (nodes > 1) {
            String inner = label.substring(label.indexOf('(') + 1, label.lastIndexOf(')'));
            return List.of("--gpu", inner, "--nodes", String.valueOf(nodes));
        }
        return List.of("--gpu", label);
    }

    private static String entry(String name, ModelSpec m, Setting s, JsonNode fit) {
        StringBuilder e = new StringBuilder();
        e.append("  - name: ").append(name).append('\n');
        e.append("    model: ").append(m.id()).append('\n');
        e.append("    workload:\n");
        e.append("      mode: ").append(s.mode()).append('\n');
        e.append("      context: ").append(s.context()).append('\n');
        e.append("      batch: ").append(s.batch()).append('\n');
        if (s.quant() != null && !"qlora".equals(s.mode())) {
            e.append("      quant: ").append(s.quant()).append('\n');
        }
        if (s.runtime() != null) {
            e.append("      runtime: ").append(s.runtime()).append('\n');
        }
        e.append("    hardware:\n");
        e.append("      gpu: \"").append(s.gpu()).append("\"\n");
        if (s.nodes() > 1) {
            e.append("      nodes: ").append(s.nodes()).append('\n');
        }
        return e.toString();
    }

    /** check: one plan file with every accepted combination of the setting; each entry's cards are fit's. */
    private void checkAgrees(Setting s, Path file, String plan, Map<String, JsonNode> fits) throws Exception {
        Files.writeString(file, plan);
        CliRunner.Result r = CliRunner.run("check", file.toString(), "--format", "json");
        if (r.exitCode() != 0 && r.exitCode() != 1) {
            disagreements.add(s + ": check refused a plan of combinations fit accepted: " + r.err().strip());
            return;
        }
        for (JsonNode e : JSON.readTree(r.out()).get("entries")) {
            JsonNode fit = fits.get(e.get("name").asText());
            String where = e.get("name").asText() + " " + s + " [check]";
            JsonNode cards = e.at("/hardware/cards");
            JsonNode fitCards = fit.at("/fit/cards");
            long busiest = 0;
            long sum = 0;
            for (JsonNode c : cards) {
                busiest = Math.max(busiest, c.get("usedBytes").asLong());
                sum += c.get("usedBytes").asLong();
            }
            compared++;
            if (sum != e.at("/memory/totalBytes").asLong()) {
                // Issue 16 #12: per-card bytes add up exactly, not 1-4 bytes off.
                disagreements.add(where + ": cards add up to " + sum + ", memory.totalBytes " + e.at("/memory/totalBytes"));
            }
            agree(where, busiest, fit.at("/memory/perGpuBytes").asLong(), e.get("verdict").asText(),
                    fit.at("/fit/verdict").asText());
            if (cards.size() != fitCards.size()) {
                disagreements.add(where + ": " + cards.size() + " cards, fit has " + fitCards.size());
            }
            compared++;
            if (e.at("/memory/totalBytes").asLong() != fit.at("/memory/totalBytes").asLong()) {
                disagreements.add(where + ": memory.totalBytes " + e.at("/memory/totalBytes") + " != fit's "
                        + fit.at("/memory/totalBytes"));
            }
        }
    }

    /** Per-GPU bytes within rounding (a byte per card) and the same verdict. */
    private void agree(String where, long bytes, long fitBytes, String verdict, String fitVerdict) {
        compared++;
        if (Math.abs(bytes - fitBytes) > 8 || !verdict.equals(fitVerdict)) {
            disagreements.add(where + ": " + bytes + " B '" + verdict + "' vs fit " + fitBytes + " B '" + fitVerdict + "'");
        }
    }
}
