package dev.llmplan.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmplan.engine.LlmplanException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds this machine's GPUs with the vendors' own tools, tried in order: {@code nvidia-smi}, AMD's
 * {@code rocm-smi} and {@code amd-smi}, and on Apple silicon {@code sysctl}. The first tool that
 * reports GPUs wins; when none does, the error names every tool tried and what happened.
 */
public final class GpuDetector {
    /** nvidia-smi can take a few seconds to wake a driver without persistence mode; 10 s bounds every tool. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** nvidia-smi --help-query-gpu: name, memory.total and memory.used in MiB with nounits. */
    static final String[] NVIDIA_QUERY = {"--query-gpu=name,memory.total,memory.used", "--format=csv,noheader,nounits"};
    static final String[] ROCM_QUERY = {"--showproductname", "--showmeminfo", "vram", "--json"};
    static final String[] AMD_STATIC = {"static", "--asic", "--json"};
    static final String[] AMD_METRIC = {"metric", "--mem-usage", "--json"};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long GIB = 1024L * 1024 * 1024;

    /** What the detection found, and how. */
    public record Detection(List<DetectedGpu> gpus, String command) {
        public Detection {
            gpus = List.copyOf(gpus);
        }
    }

    /** A tool's output that does not have the expected shape. */
    static final class Unexpected extends Exception {
        Unexpected(String what) {
            super(what);
        }
    }

    private final ToolRunner tools;

    public GpuDetector(Map<String, String> env) {
        this(env, DEFAULT_TIMEOUT);
    }

    public GpuDetector(Map<String, String> env, Duration timeout) {
        this.tools = new ToolRunner(env, timeout);
    }

    public Detection detect() {
        List<String> tried = new ArrayList<>();
        try {
            return new Detection(nvidia(tools.run("nvidia-smi", NVIDIA_QUERY).out()), "nvidia-smi " + String.join(" ", NVIDIA_QUERY));
        } catch (ToolRunner.Failed | Unexpected e) {
            tried.add("nvidia-smi (" + e.getMessage() + ")");
        }
        try {
            return new Detection(rocm(tools.run("rocm-smi", ROCM_QUERY).out()), "rocm-smi " + String.join(" ", ROCM_QUERY));
        } catch (ToolRunner.Failed | Unexpected e) {
            tried.add("rocm-smi (" + e.getMessage() + ")");
        }
        try {
            String names = tools.run("amd-smi", AMD_STATIC).out();
            return new Detection(amd(names, tools.run("amd-smi", AMD_METRIC).out()), "amd-smi " + String.join(" ", AMD_METRIC));
        } catch (ToolRunner.Failed | Unexpected e) {
            tried.add("amd-smi (" + e.getMessage() + ")");
        }
        try {
            return new Detection(List.of(apple()), "sysctl -n hw.memsize; sysctl -n machdep.cpu.brand_string");
        } catch (ToolRunner.Failed | Unexpected e) {
            tried.add("sysctl (" + e.getMessage() + ")");
        }
        throw LlmplanException.badData("no GPU detected; tried " + String.join(", ", tried)
                + "; name the hardware instead, e.g. {gpu} rtx-4090");
    }

    /** "NVIDIA GeForce RTX 4090, 24564, 1187" per line (MiB). "[N/A]" for used memory means unknown. */
    static List<DetectedGpu> nvidia(String out) throws Unexpected {
        List<DetectedGpu> gpus = new ArrayList<>();
        for (String line : out.strip().split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int second = line.lastIndexOf(',');
            int first = second < 0 ? -1 : line.lastIndexOf(',', second - 1);
            if (first <= 0) {
                throw unexpected(line);
            }
            String name = line.substring(0, first).strip();
            Long total = mib(line.substring(first + 1, second));
            String usedText = line.substring(second + 1).strip();
            Long used = mib(usedText);
            if (name.isEmpty() || total == null || total <= 0 || used == null && !usedText.contains("N/A")) {
                throw unexpected(line);
            }
            gpus.add(new DetectedGpu(gpus.size(), name, "nvidia", total, used, "nvidia-smi", null));
        }
        if (gpus.isEmpty()) {
            throw new Unexpected("it listed no GPUs");
        }
        return gpus;
    }

    private static Long mib(String s) {
        String t = s.strip();
        return t.matches("\\d{1,9}") ? Long.parseLong(t) * DetectedGpu.MIB : null;
    }

    private static Unexpected unexpected(String text) {
        String t = ToolRunner.firstLine(text);
        return new Unexpected("unexpected output: '" + t + "'");
    }

    /**
     * rocm-smi's JSON: one object per "cardN" with the product name ("Card series", or "Card SKU" /
     * "Card model" in older versions) and "VRAM Total Memory (B)" / "VRAM Total Used Memory (B)" in bytes.
     */
    static List<DetectedGpu> rocm(String out) throws Unexpected {
        JsonNode root = json(out);
        List<DetectedGpu> gpus = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> card = it.next();
            Matcher m = Pattern.compile("(?i)card(\\d+)").matcher(card.getKey());
            if (!m.matches() || !card.getValue().isObject()) {
                continue;
            }
            JsonNode c = card.getValue();
            String name = field(c, "Card series", "Card Series", "Marketing Name", "Card SKU", "Card model", "Card Model");
            Long total = bytes(field(c, "VRAM Total Memory (B)"));
            Long used = bytes(field(c, "VRAM Total Used Memory (B)"));
            if (total == null || total <= 0) {
                throw unexpected(card.getKey() + " has no 'VRAM Total Memory (B)'");
            }
            gpus.add(new DetectedGpu(Integer.parseInt(m.group(1)), name == null ? "AMD GPU" : name, "amd", total, used,
                    "rocm-smi", null));
        }
        if (gpus.isEmpty()) {
            throw new Unexpected("it listed no GPUs");
        }
        return gpus;
    }

    /**
     * amd-smi's JSON (a list of GPUs, or an object holding one): {@code asic.market_name} from
     * {@code static --asic}, and {@code mem_usage.total_vram} / {@code used_vram} from
     * {@code metric --mem-usage}, each a number or {value, unit} in MB (MiB, as amdsmi_vram_usage_t counts).
     */
    static List<DetectedGpu> amd(String staticOut, String metricOut) throws Unexpected {
        List<JsonNode> names = gpuEntries(json(staticOut));
        List<JsonNode> metrics = gpuEntries(json(metricOut));
        List<DetectedGpu> gpus = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            JsonNode m = metrics.get(i);
            JsonNode usage = m.path("mem_usage");
            Long total = amdSize(usage.get("total_vram"));
            Long used = amdSize(usage.get("used_vram"));
            if (total == null || total <= 0) {
                throw unexpected("GPU " + i + " has no mem_usage.total_vram");
            }
            int index = m.path("gpu").canConvertToInt() ? m.get("gpu").asInt() : i;
            String name = null;
            for (JsonNode n : names) {
                if ((n.path("gpu").canConvertToInt() ? n.get("gpu").asInt() : names.indexOf(n)) == index) {
                    name = n.path("asic").path("market_name").asText(null);
                }
            }
            gpus.add(new DetectedGpu(index, name == null || name.isBlank() ? "AMD GPU" : name, "amd", total, used, "amd-smi", null));
        }
        if (gpus.isEmpty()) {
            throw new Unexpected("it listed no GPUs");
        }
        return gpus;
    }

    private static List<JsonNode> gpuEntries(JsonNode root) {
        List<JsonNode> out = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(out::add);
        } else if (root.isObject()) {
            for (JsonNode v : root) {
                if (v.isArray()) {
                    v.forEach(out::add);
                } else if (v.isObject()) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    private static Long amdSize(JsonNode n) {
        if (n == null) {
            return null;
        }
        double value;
        String unit = "MB";
        if (n.isNumber()) {
            value = n.asDouble();
        } else if (n.isObject() && n.path("value").isNumber()) {
            value = n.get("value").asDouble();
            unit = n.path("unit").asText("MB");
        } else {
            return null;
        }
        return switch (unit.toUpperCase(Locale.ROOT)) {
            case "B" -> (long) value;
            case "KB", "KIB" -> (long) (value * 1024);
            case "GB", "GIB" -> (long) (value * GIB);
            default -> (long) (value * DetectedGpu.MIB);
        };
    }

    /**
     * Apple silicon: unified memory from {@code sysctl -n hw.memsize}, the chip from
     * {@code machdep.cpu.brand_string} ("Apple M3 Max"). The GPU may use only part of it: macOS's
     * recommendedMaxWorkingSetSize, which llama.cpp logs at start-up, is 2/3 of RAM up to 32 GiB
     * (10922.67 MB of 16 GB, llama.cpp issue 2209; 21845.34 MB of 32 GB, ollama issue 434) and 3/4 from
     * 36 GiB (49152 MiB of 64 GB, llama.cpp issue 1870). {@code iogpu.wired_limit_mb}, when set, replaces it.
     */
    DetectedGpu apple() throws ToolRunner.Failed, Unexpected {
        String mem = tools.run("sysctl", "-n", "hw.memsize").out().strip();
        if (!mem.matches("\\d{1,20}")) {
            throw unexpected(mem);
        }
        String brand = tools.run("sysctl", "-n", "machdep.cpu.brand_string").out().strip();
        if (!brand.startsWith("Apple")) {
            throw new Unexpected("'" + ToolRunner.firstLine(brand) + "' is not Apple silicon");
        }
        long ram = Long.parseLong(mem);
        Long wired = null;
        try {
            String w = tools.run("sysctl", "-n", "iogpu.wired_limit_mb").out().strip();
            wired = w.matches("\\d{1,9}") && Long.parseLong(w) > 0 ? Long.parseLong(w) * DetectedGpu.MIB : null;
        } catch (ToolRunner.Failed e) {
            // older macOS: no such key, the default share applies
        }
        long share = wired != null ? Math.min(wired, ram) : appleShare(ram);
        String note = wired != null ? "iogpu.wired_limit_mb = " + wired / DetectedGpu.MIB + " of " + ram / GIB + " GiB unified memory"
                : (ram > 32 * GIB ? "3/4" : "2/3") + " of " + ram / GIB + " GiB unified memory (macOS's default GPU working-set limit)";
        return new DetectedGpu(0, brand, "apple", share, null, "sysctl", note);
    }

    /** The GPU's default share of unified memory (see {@link #apple}). */
    static long appleShare(long ram) {
        return ram > 32 * GIB ? ram / 4 * 3 : ram / 3 * 2;
    }

    private static JsonNode json(String out) throws Unexpected {
        try {
            JsonNode n = JSON.readTree(out);
            if (n == null || !(n.isObject() || n.isArray())) {
                throw unexpected(out);
            }
            return n;
        } catch (IOException e) {
            throw unexpected(out);
        }
    }

    private static String field(JsonNode c, String... keys) {
        for (String k : keys) {
            for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equalsIgnoreCase(k) && e.getValue().isValueNode() && !e.getValue().asText().isBlank()) {
                    return e.getValue().asText().strip();
                }
            }
        }
        return null;
    }

    private static Long bytes(String s) {
        return s != null && s.matches("\\d{1,20}") ? Long.parseLong(s) : null;
    }
}
