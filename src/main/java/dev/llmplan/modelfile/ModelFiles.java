package dev.llmplan.modelfile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmplan.engine.Architecture;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.ModelType;
import dev.llmplan.engine.TensorInventory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a model from the user's files: a Hugging Face folder (config.json with or without
 * safetensors shards), a config.json, a .safetensors file or a .gguf file (split or not). Only
 * headers are read; every file is opened read-only.
 */
public final class ModelFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory STREAM = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(64).maxStringLength((int) Limits.MAX_STRING_BYTES).build()).build();
    /** gguf-split names shards PREFIX-00001-of-00003.gguf (llama.cpp examples/gguf-split). */
    private static final Pattern GGUF_SPLIT = Pattern.compile("(.*)-(\\d{5})-of-(\\d{5})\\.gguf", Pattern.CASE_INSENSITIVE);
    /** transformers save_pretrained names shards model-00001-of-00002.safetensors. */
    private static final Pattern ST_SHARD = Pattern.compile(".*-\\d{5}-of-\\d{5}\\.safetensors", Pattern.CASE_INSENSITIVE);
    private static final String INDEX = "model.safetensors.index.json";

    private ModelFiles() {
    }

    /** Whether {@code text} names an existing file or folder (without throwing on odd strings). */
    public static boolean exists(String text) {
        try {
            return Files.exists(Path.of(text));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code text} is written like a path to a model file, so "not found" is the right error. */
    public static boolean looksLikePath(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        // "meta-llama/Llama-2-7b-hf" is a repository id (an unknown model), not a missing folder.
        return text.startsWith("/") || text.startsWith("./") || text.startsWith("../") || text.startsWith("~")
                || text.contains("\\") || t.endsWith(".gguf") || t.endsWith(".safetensors") || t.endsWith(".json");
    }

    public static LocalModel read(Path path) {
        try {
            return dispatch(path);
        } catch (ArithmeticException | IllegalArgumentException e) {
            // Sizes that overflow a long, or shapes the tensor inventory rejects: never a stack trace.
            throw Corrupt.file(path, "sizes out of range (" + e.getMessage() + ")");
        } catch (java.io.UncheckedIOException | java.nio.file.DirectoryIteratorException e) {
            throw Corrupt.unreadable(path, String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
        }
    }

    /**
     * Refuses anything but a regular file (after symlinks): opening a FIFO blocks until another process
     * writes to it, and a device can be read forever.
     */
    static void requireRegularFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw LlmplanException.badData(path + ": " + (Files.exists(path) ? "not a regular file (a FIFO, device or"
                    + " socket is never opened)" : "no such file"));
        }
    }

    private static LocalModel dispatch(Path path) {
        if (!Files.exists(path)) {
            throw LlmplanException.badData(path + ": no such file or folder");
        }
        if (!Files.isDirectory(path)) {
            requireRegularFile(path);
        }
        if (!Files.isReadable(path)) {
            throw Corrupt.unreadable(path, "permission denied");
        }
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isDirectory(path)) {
            return readFolder(path);
        }
        if (name.endsWith(".gguf")) {
            return gguf(path);
        }
        if (name.endsWith(".safetensors")) {
            Path dir = parent(path);
            if (ST_SHARD.matcher(name).matches() && Files.exists(dir.resolve(INDEX))) {
                return readFolder(dir);
            }
            return safetensors(path, config(dir), List.of(path));
        }
        if (name.endsWith(".json")) {
            // config.json or the shard index: the folder around it holds the rest of the model.
            return readFolder(parent(path));
        }
        throw LlmplanException.badData(path + ": not a model file (expected a folder, config.json, .safetensors or .gguf)");
    }

    private static Path parent(Path p) {
        Path dir = p.toAbsolutePath().getParent();
        return dir == null ? p.toAbsolutePath() : dir;
    }

    private static LocalModel readFolder(Path dir) {
        JsonNode config = config(dir);
        List<Path> shards = safetensorsShards(dir);
        if (!shards.isEmpty()) {
            return safetensors(dir, config, shards);
        }
        List<Path> ggufs = list(dir, ".gguf");
        if (config == null && !ggufs.isEmpty()) {
            Set<String> models = new TreeSet<>();
            for (Path g : ggufs) {
                Matcher m = GGUF_SPLIT.matcher(g.getFileName().toString());
                models.add(m.matches() ? m.group(1) : g.getFileName().toString());
            }
            if (models.size() > 1) {
                throw LlmplanException.invalid(dir + " holds several GGUF models (" + String.join(", ", models)
                        + "): name one file");
            }
            return gguf(ggufs.get(0));
        }
        if (config == null) {
            throw LlmplanException.badData(dir + ": no config.json, .safetensors or .gguf file in this folder");
        }
        return configOnly(dir, config);
    }

    /** Shards from the index's weight_map, else the folder's .safetensors files. */
    private static List<Path> safetensorsShards(Path dir) {
        Path index = dir.resolve(INDEX);
        if (Files.isRegularFile(index)) {
            Set<String> names = indexShards(index);
            List<Path> shards = new ArrayList<>();
            for (String n : new TreeSet<>(names)) {
                Path shard = dir.resolve(n).normalize();
                // The index names files beside it; anything else is refused rather than followed.
                if (n.isEmpty() || !dir.normalize().equals(shard.getParent()) || !n.endsWith(".safetensors")) {
                    throw Corrupt.file(index, "weight_map names '" + n + "', not a .safetensors file in this folder");
                }
                if (!Files.isRegularFile(shard)) {
                    throw LlmplanException.badData(index + ": shard " + n + " is missing");
                }
                shards.add(shard);
            }
            return shards;
        }
        List<Path> files = list(dir, ".safetensors");
        List<Path> sharded = files.stream().filter(f -> ST_SHARD.matcher(f.getFileName().toString()).matches()).toList();
        // Mistral repositories ship consolidated.safetensors beside the transformers shards.
        return sharded.isEmpty() ? files : sharded;
    }

    private static List<Path> list(Path dir, String suffix) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(suffix) && Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw Corrupt.unreadable(dir, e.getMessage());
        }
        out.sort(null);
        return out;
    }

    /**
     * The shard file names of a model.safetensors.index.json's weight_map, read as a stream: the index
     * lists every tensor (tens of MiB for the largest models) and only the distinct file names are kept.
     */
    private static Set<String> indexShards(Path index) {
        try {
            if (Files.size(index) > Limits.MAX_INDEX_BYTES) {
                throw Corrupt.file(index, "larger than " + Limits.MAX_INDEX_BYTES + " bytes");
            }
            Set<String> names = new LinkedHashSet<>();
            boolean found = false;
            try (JsonParser p = STREAM.createParser(Files.newInputStream(index))) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw Corrupt.file(index, "not a JSON object");
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    if (!field.equals("weight_map") || v != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        continue;
                    }
                    found = true;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        if (p.nextToken().isStructStart()) {
                            p.skipChildren();
                            names.add("");
                        } else {
                            names.add(p.getText());
                        }
                        if (names.size() > Limits.MAX_SHARDS) {
                            throw Corrupt.file(index, "more than " + Limits.MAX_SHARDS + " shards");
                        }
                    }
                }
            }
            if (!found) {
                throw Corrupt.file(index, "no weight_map object");
            }
            return names;
        } catch (JsonProcessingException e) {
            throw Corrupt.file(index, "invalid JSON (" + SafetensorsFile.oneLine(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            throw Corrupt.unreadable(index, e.getMessage());
        }
    }

    private static JsonNode config(Path dir) {
        Path c = dir.resolve("config.json");
        return Files.isRegularFile(c) ? json(c) : null;
    }

    static JsonNode json(Path file) {
        try {
            requireRegularFile(file);
            if (Files.size(file) > Limits.MAX_CONFIG_BYTES) {
                throw Corrupt.file(file, "larger than " + Limits.MAX_CONFIG_BYTES + " bytes");
            }
            JsonNode n = JSON.readTree(Files.readAllBytes(file));
            if (n == null || !n.isObject()) {
                throw Corrupt.file(file, "not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw Corrupt.file(file, "invalid JSON (" + SafetensorsFile.oneLine(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            throw Corrupt.unreadable(file, e.getMessage());
        }
    }

    private static LocalModel safetensors(Path where, JsonNode config, List<Path> shards) {
        List<String> notes = new ArrayList<>();
        HfConfig hf = config == null ? null : HfConfig.of(config);
        if (hf != null) {
            notes.addAll(hf.notes());
        } else {
            notes.add("no config.json beside the weights: the architecture (KV cache, activations) is unknown");
        }
        List<TensorEntry> all = new ArrayList<>();
        List<Inspection.FileEntry> files = new ArrayList<>();
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (Path shard : shards) {
            SafetensorsFile f = SafetensorsFile.read(shard);
            if (all.size() + f.tensors().size() > Limits.MAX_TENSORS) {
                throw Corrupt.file(shard, "more than " + Limits.MAX_TENSORS + " tensors in the model");
            }
            all.addAll(f.tensors());
            files.add(new Inspection.FileEntry(shard.toString(), f.fileBytes()));
            f.metadata().forEach((k, v) -> metadata.putIfAbsent("safetensors." + k, v.length() > 200 ? v.substring(0, 200) : v));
        }
        if (shards.size() > 1) {
            TensorNames.requireUnique(all, where, "in the model's shards");
        }
        List<TypeTotal> totals = TypeTotal.of(all);
        long bytes = totals.stream().mapToLong(TypeTotal::bytes).sum();
        QuantConfig quant = hf == null ? null : hf.quant();
        long params = ParameterCounter.count(all, quant);
        long elements = totals.stream().mapToLong(TypeTotal::elements).sum();
        if (params != elements) {
            notes.add("parameters counted through packed / scale tensors (" + elements + " stored elements)");
        }
        if (params <= 0) {
            throw LlmplanException.badData(where + ": the safetensors files hold no tensors");
        }
        String dominant = totals.isEmpty() ? null : totals.get(0).type();
        String stored = floatFormat(dominant);
        String precision = hf != null && hf.nativePrecision() != null ? hf.nativePrecision() : stored;
        String defaultQuant = quant != null && quant.format() != null ? quant.format() : stored;
        if (defaultQuant == null) {
            // No llmplan format matches (MXFP4 blocks, HQQ, ...): the compute dtype labels the workload
            // while the exact stored bytes still price the weights.
            defaultQuant = precision != null ? precision : "bf16";
            notes.add("weights stored mostly as " + dominant + " (no matching {quant} format): exact bytes are used"
                    + " under the label " + defaultQuant + "; {quant} prices another format");
        }
        Architecture arch = hf == null ? Architecture.EMPTY : hf.arch();
        ModelType type = hf == null ? ModelType.DECODER : hf.type();
        String family = hf == null ? null : hf.modelType();
        ModelSpec spec = spec(where, hf, family, type, params, precision, arch, bytes, notes);
        Inspection inspection = new Inspection("safetensors", files, totals, all.size(), metadata);
        return new LocalModel(spec, defaultQuant, inspection, notes);
    }

    private static String floatFormat(String dtype) {
        if (dtype == null) {
            return null;
        }
        return switch (dtype) {
            case "BF16" -> "bf16";
            case "F16" -> "fp16";
            case "F32" -> "fp32";
            case "F8_E4M3", "F8_E5M2" -> "fp8";
            default -> null;
        };
    }

    private static LocalModel configOnly(Path dir, JsonNode config) {
        HfConfig hf = HfConfig.of(config);
        List<String> notes = new ArrayList<>(hf.notes());
        Architecture arch = hf.arch();
        if (!TensorInventory.derivable(arch)) {
            throw LlmplanException.badData(dir.resolve("config.json") + ": cannot derive the parameter count "
                    + "(needs the hidden size, layer count and attention heads) and there are no weight files");
        }
        long params = TensorInventory.of(arch, hf.type()).total();
        notes.add("parameters derived from config.json (matrices, embeddings and norms; biases not counted);"
                + " weights priced from the format, not measured");
        String quant = hf.quant() == null ? null : hf.quant().format();
        ModelSpec spec = spec(dir, hf, hf.modelType(), hf.type(), params, hf.nativePrecision(), arch, null, notes);
        Inspection inspection = new Inspection("config", List.of(new Inspection.FileEntry(
                dir.resolve("config.json").toString(), size(dir.resolve("config.json")))), List.of(), 0, Map.of());
        return new LocalModel(spec, quant, inspection, notes);
    }

    private static LocalModel gguf(Path path) {
        List<Path> shards = ggufShards(path);
        List<String> notes = new ArrayList<>();
        List<TensorEntry> all = new ArrayList<>();
        List<Inspection.FileEntry> files = new ArrayList<>();
        GgufFile first = null;
        for (Path shard : shards) {
            GgufFile f = GgufFile.read(shard);
            if (first == null) {
                first = f;
            }
            if (all.size() + f.tensors().size() > Limits.MAX_TENSORS) {
                throw Corrupt.file(shard, "more than " + Limits.MAX_TENSORS + " tensors in the model");
            }
            all.addAll(f.tensors());
            files.add(new Inspection.FileEntry(shard.toString(), f.fileBytes()));
        }
        Map<String, Object> md = first.metadata();
        if (shards.size() > 1 && md.get("split.count") instanceof Long count && count != shards.size()) {
            throw Corrupt.file(shards.get(0), "split.count says " + count + " files but " + shards.size() + " were found");
        }
        GgufArchitecture.Result shape = GgufArchitecture.of(md, all, notes);
        List<TypeTotal> totals = TypeTotal.of(all);
        long bytes = totals.stream().mapToLong(TypeTotal::bytes).sum();
        long params = totals.stream().mapToLong(TypeTotal::elements).sum();
        if (params <= 0) {
            throw LlmplanException.badData(path + ": the GGUF file holds no tensors");
        }
        String defaultQuant = ggufFormat(md, totals);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("gguf.version", (long) first.version());
        for (Map.Entry<String, Object> e : md.entrySet()) {
            if (e.getKey().startsWith("general.") && !(e.getValue() instanceof GgufFile.GgufArray)) {
                Object v = e.getValue() instanceof String s && s.length() > 200 ? s.substring(0, 200) : e.getValue();
                meta.put(e.getKey(), v);
            }
        }
        String name = md.get("general.name") instanceof String s ? s : path.getFileName().toString();
        ModelSpec spec = new ModelSpec(path.toString(), name, List.of(), shape.arch(), null, null, null, true,
                shape.type(), params, null, null, null, null, "model file " + path, String.join("; ", notes),
                shape.architecture(), ModelSpec.Origin.FILE, bytes);
        return new LocalModel(spec, defaultQuant, new Inspection("gguf", files, totals, all.size(), meta), notes);
    }

    /** general.file_type when set, else the file type whose base type holds the most bytes. */
    private static String ggufFormat(Map<String, Object> md, List<TypeTotal> totals) {
        dev.llmplan.engine.GgufFileType ft = null;
        if (md.get("general.file_type") instanceof Long id && id >= 0 && id < 1024) {
            ft = dev.llmplan.engine.GgufFileType.fromLlamaFtype((int) (long) id);
        }
        if (ft == null) {
            for (TypeTotal t : totals) {
                for (dev.llmplan.engine.GgufFileType c : dev.llmplan.engine.GgufFileType.values()) {
                    if (ft == null && c.baseType().typeName().equals(t.type())) {
                        ft = c;
                    }
                }
            }
        }
        if (ft == null) {
            ft = dev.llmplan.engine.GgufFileType.F16;
        }
        String id = ft.id();
        // WeightFormat names the float GGUF types gguf-f16 / gguf-bf16 / gguf-f32.
        return id.equals("f16") || id.equals("bf16") || id.equals("f32") ? "gguf-" + id : id;
    }

    /** Every shard of a split GGUF (all must exist), or the file alone. */
    private static List<Path> ggufShards(Path path) {
        Matcher m = GGUF_SPLIT.matcher(path.getFileName().toString());
        if (!m.matches()) {
            return List.of(path);
        }
        int count = Integer.parseInt(m.group(3));
        if (count < 1 || count > Limits.MAX_SHARDS) {
            throw LlmplanException.badData(path + ": split count " + count + " is out of range");
        }
        List<Path> shards = new ArrayList<>();
        Path dir = parent(path);
        for (int i = 1; i <= count; i++) {
            Path shard = dir.resolve(String.format(Locale.ROOT, "%s-%05d-of-%s.gguf", m.group(1), i, m.group(3)));
            if (!Files.isRegularFile(shard)) {
                throw LlmplanException.badData(path + ": split shard " + shard.getFileName() + " is missing");
            }
            shards.add(shard);
        }
        return shards;
    }

    private static ModelSpec spec(Path where, HfConfig hf, String family, ModelType type, long params, String precision,
                                  Architecture arch, Long exactBytes, List<String> notes) {
        String name = hf != null && hf.name() != null ? hf.name() : where.getFileName() == null ? where.toString()
                : where.getFileName().toString();
        return new ModelSpec(where.toString(), name, List.of(), family, null, null, null, true, type, params, null,
                null, precision, null, "model files " + where, String.join("; ", notes), arch, ModelSpec.Origin.FILE,
                exactBytes);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw Corrupt.unreadable(p, e.getMessage());
        }
    }
}
