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
 * headers are read; every file is opened read-only. The folder is a {@link ModelFolder}, so the
 * same reading serves a local folder and a hub repository read by range requests.
 */
public final class ModelFiles {
    /** Made on first use: Jackson's factories load hundreds of classes, and a catalog id or a size (most
     * command lines) never reads a file. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
        static final JsonFactory STREAM = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength((int) Limits.MAX_STRING_BYTES).build()).build();
    }

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

    /** A file extension: a dot, then a letter and up to fifteen letters, digits or "_" ("1.3b" and "3.5" are not). */
    private static final Pattern EXTENSION = Pattern.compile(".*\\.[A-Za-z][A-Za-z0-9_]{0,15}");

    /**
     * Whether {@code text} is written like a path, so "not found" is the right error: it starts with
     * "/", "./", "../" or "~", ends with "/", holds a backslash, or ends in a file extension.
     * "meta-llama/Llama-2-7b-hf" is not: it is a repository id.
     */
    public static boolean looksLikePath(String text) {
        return text.startsWith("/") || text.startsWith("./") || text.startsWith("../") || text.startsWith("~")
                || text.equals(".") || text.equals("..") || text.endsWith("/") || text.contains("\\")
                || EXTENSION.matcher(text).matches();
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
     * Reads a model from any folder (a local one, or a hub repository): {@code file} names the file
     * the user gave (a .gguf, .safetensors or .json in the folder), or is null for the folder itself.
     */
    public static LocalModel read(ModelFolder folder, String file) {
        String where = file == null ? folder.name() : folder.describe(file);
        try {
            return file == null ? readFolder(folder) : readFile(folder, file);
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw Corrupt.file(where, "sizes out of range (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw Corrupt.unreadable(where, e.getMessage());
        } catch (java.io.UncheckedIOException | java.nio.file.DirectoryIteratorException e) {
            throw Corrupt.unreadable(where, String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
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
        try {
            if (Files.isDirectory(path)) {
                return readFolder(new LocalFolder(path));
            }
            Path parent = path.getParent() == null ? Path.of("") : path.getParent();
            return readFile(new LocalFolder(parent), path.getFileName().toString());
        } catch (IOException e) {
            throw Corrupt.unreadable(path, e.getMessage());
        }
    }

    private static LocalModel readFile(ModelFolder folder, String file) throws IOException {
        String name = file.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gguf")) {
            return gguf(folder, file);
        }
        if (name.endsWith(".safetensors")) {
            if (ST_SHARD.matcher(name).matches() && folder.isFile(INDEX)) {
                return readFolder(folder);
            }
            return safetensors(folder.describe(file), file, config(folder), List.of(folder.open(file)));
        }
        if (name.endsWith(".json")) {
            // config.json or the shard index: the folder around it holds the rest of the model.
            return readFolder(folder);
        }
        throw LlmplanException.badData(folder.describe(file)
                + ": not a model file (expected a folder, config.json, .safetensors or .gguf)");
    }

    private static LocalModel readFolder(ModelFolder dir) throws IOException {
        JsonNode config = config(dir);
        List<String> shards = safetensorsShards(dir);
        if (!shards.isEmpty()) {
            List<ByteSource> sources = new ArrayList<>();
            for (String s : shards) {
                sources.add(dir.open(s));
            }
            return safetensors(dir.name(), dir.shortName(), config, sources);
        }
        List<String> ggufs = list(dir, ".gguf");
        if (config == null && !ggufs.isEmpty()) {
            Set<String> models = new TreeSet<>();
            for (String g : ggufs) {
                Matcher m = GGUF_SPLIT.matcher(g);
                models.add(m.matches() ? m.group(1) : g);
            }
            if (models.size() > 1) {
                throw LlmplanException.invalid(dir.name() + " holds several GGUF models (" + String.join(", ", models)
                        + "): name one file");
            }
            return gguf(dir, ggufs.get(0));
        }
        if (config == null) {
            throw LlmplanException.badData(dir.name() + ": no config.json, .safetensors or .gguf file in this folder");
        }
        return configOnly(dir, config);
    }

    /** Shards from the index's weight_map, else the folder's .safetensors files. */
    private static List<String> safetensorsShards(ModelFolder dir) throws IOException {
        if (dir.isFile(INDEX)) {
            String index = dir.describe(INDEX);
            Set<String> names = indexShards(dir);
            List<String> shards = new ArrayList<>();
            for (String n : new TreeSet<>(names)) {
                // The index names files beside it; anything else is refused rather than followed.
                if (!besideIndex(n)) {
                    throw Corrupt.file(index, "weight_map names '" + n + "', not a .safetensors file in this folder");
                }
                if (!dir.isFile(n)) {
                    throw LlmplanException.badData(index + ": shard " + n + " is missing");
                }
                shards.add(n);
            }
            return shards;
        }
        List<String> files = list(dir, ".safetensors");
        List<String> sharded = files.stream().filter(f -> ST_SHARD.matcher(f).matches()).toList();
        // Mistral repositories ship consolidated.safetensors beside the transformers shards.
        return sharded.isEmpty() ? files : sharded;
    }

    /** A plain .safetensors file name: no folder part, no "." or "..". */
    private static boolean besideIndex(String n) {
        return !n.isEmpty() && n.indexOf('/') < 0 && n.indexOf('\\') < 0 && !n.equals(".") && !n.equals("..")
                && n.endsWith(".safetensors") && n.indexOf('\0') < 0;
    }

    private static List<String> list(ModelFolder dir, String suffix) throws IOException {
        List<String> out = new ArrayList<>();
        for (String f : dir.files()) {
            if (f.toLowerCase(Locale.ROOT).endsWith(suffix)) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * The shard file names of a model.safetensors.index.json's weight_map, read as a stream: the index
     * lists every tensor (tens of MiB for the largest models) and only the distinct file names are kept.
     */
    private static Set<String> indexShards(ModelFolder dir) throws IOException {
        String index = dir.describe(INDEX);
        ByteSource src = dir.open(INDEX);
        long size = src.size();
        if (size > Limits.MAX_INDEX_BYTES) {
            throw Corrupt.file(index, "larger than " + Limits.MAX_INDEX_BYTES + " bytes");
        }
        Set<String> names = new LinkedHashSet<>();
        boolean found = false;
        try (JsonParser p = Json.STREAM.createParser(src.read(0, (int) size))) {
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
        } catch (JsonProcessingException e) {
            throw Corrupt.file(index, "invalid JSON (" + SafetensorsFile.oneLine(e.getOriginalMessage()) + ")");
        }
        if (!found) {
            throw Corrupt.file(index, "no weight_map object");
        }
        return names;
    }

    private static JsonNode config(ModelFolder dir) throws IOException {
        return dir.isFile("config.json") ? json(dir, "config.json") : null;
    }

    /** A small JSON file read whole (config.json, the shard index), at most 16 MiB. */
    static JsonNode json(ModelFolder dir, String file) throws IOException {
        String where = dir.describe(file);
        ByteSource src = dir.open(file);
        long size = src.size();
        if (size > Limits.MAX_CONFIG_BYTES) {
            throw Corrupt.file(where, "larger than " + Limits.MAX_CONFIG_BYTES + " bytes");
        }
        try {
            JsonNode n = Json.MAPPER.readTree(src.read(0, (int) size));
            if (n == null || !n.isObject()) {
                throw Corrupt.file(where, "not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw Corrupt.file(where, "invalid JSON (" + SafetensorsFile.oneLine(e.getOriginalMessage()) + ")");
        }
    }

    private static LocalModel safetensors(String where, String shortName, JsonNode config, List<ByteSource> shards) {
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
        for (ByteSource shard : shards) {
            SafetensorsFile f = SafetensorsFile.read(shard);
            if (all.size() + f.tensors().size() > Limits.MAX_TENSORS) {
                throw Corrupt.file(shard.name(), "more than " + Limits.MAX_TENSORS + " tensors in the model");
            }
            all.addAll(f.tensors());
            files.add(new Inspection.FileEntry(shard.name(), f.fileBytes()));
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
        ModelSpec spec = spec(where, shortName, hf, family, type, params, precision, arch, bytes, notes, false);
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

    private static LocalModel configOnly(ModelFolder dir, JsonNode config) throws IOException {
        HfConfig hf = HfConfig.of(config);
        List<String> notes = new ArrayList<>(hf.notes());
        Architecture arch = hf.arch();
        if (hf.parameters() == null && !TensorInventory.derivable(arch)) {
            throw LlmplanException.badData(dir.describe("config.json") + ": cannot derive the parameter count "
                    + "(needs the hidden size, layer count and attention heads) and there are no weight files");
        }
        long params = HfConfig.parameters(hf);
        notes.add(hf.parameters() != null
                ? "parameters counted from config.json by the " + hf.modelType() + " reader (its module layout, biases"
                        + " included); weights priced from the format, not measured"
                : "parameters derived from config.json (matrices, embeddings and norms; biases not counted);"
                        + " weights priced from the format, not measured");
        String quant = hf.quant() == null ? null : hf.quant().format();
        ModelSpec spec = spec(dir.name(), dir.shortName(), hf, hf.modelType(), hf.type(), params, hf.nativePrecision(),
                arch, null, notes, hf.approximate());
        Inspection inspection = new Inspection("config", List.of(new Inspection.FileEntry(
                dir.describe("config.json"), dir.open("config.json").size())), List.of(), 0, Map.of());
        return new LocalModel(spec, quant, inspection, notes);
    }

    private static LocalModel gguf(ModelFolder dir, String file) throws IOException {
        String path = dir.describe(file);
        List<ByteSource> shards = ggufShards(dir, file);
        List<String> notes = new ArrayList<>();
        List<TensorEntry> all = new ArrayList<>();
        List<Inspection.FileEntry> files = new ArrayList<>();
        GgufFile first = null;
        for (ByteSource shard : shards) {
            GgufFile f = GgufFile.read(shard);
            if (first == null) {
                first = f;
            }
            if (all.size() + f.tensors().size() > Limits.MAX_TENSORS) {
                throw Corrupt.file(shard.name(), "more than " + Limits.MAX_TENSORS + " tensors in the model");
            }
            all.addAll(f.tensors());
            files.add(new Inspection.FileEntry(shard.name(), f.fileBytes()));
        }
        Map<String, Object> md = first.metadata();
        if (shards.size() > 1 && md.get("split.count") instanceof Long count && count != shards.size()) {
            throw Corrupt.file(shards.get(0).name(), "split.count says " + count + " files but " + shards.size() + " were found");
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
        String name = md.get("general.name") instanceof String s ? s : file;
        ModelSpec spec = new ModelSpec(path, name, List.of(), shape.arch(), null, null, null, true,
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
    private static List<ByteSource> ggufShards(ModelFolder dir, String file) throws IOException {
        String path = dir.describe(file);
        Matcher m = GGUF_SPLIT.matcher(file);
        if (!m.matches()) {
            return List.of(dir.open(file));
        }
        int count = Integer.parseInt(m.group(3));
        if (count < 1 || count > Limits.MAX_SHARDS) {
            throw LlmplanException.badData(path + ": split count " + count + " is out of range");
        }
        List<ByteSource> shards = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String shard = String.format(Locale.ROOT, "%s-%05d-of-%s.gguf", m.group(1), i, m.group(3));
            if (!dir.isFile(shard)) {
                throw LlmplanException.badData(path + ": split shard " + shard + " is missing");
            }
            shards.add(dir.open(shard));
        }
        return shards;
    }

    /**
     * A model read from files. {@code approximate}: the shape came from generic config fields and no weight
     * header gave the exact count (the estimate's error band should widen).
     */
    private static ModelSpec spec(String where, String shortName, HfConfig hf, String family, ModelType type, long params,
                                  String precision, Architecture arch, Long exactBytes, List<String> notes,
                                  boolean approximate) {
        String name = hf != null && hf.name() != null ? hf.name() : shortName;
        Long active = hf == null ? null : hf.activeParameters();
        dev.llmplan.engine.VisionEncoder vision = hf == null || hf.vision() == null ? null
                : new dev.llmplan.engine.VisionEncoder(hf.vision().parameters(), hf.vision().imageTokens(),
                        hf.vision().imageSize(), "config.json", hf.vision().notes(), hf.vision().layers(),
                        hf.vision().hidden(), hf.vision().ffn(), hf.vision().patchSize(), hf.vision().tiles(),
                        hf.vision().crossAttentionLayers(), hf.vision().heads());
        if (active != null && active > params) {
            active = null; // a quantised checkpoint counts packed elements: the layout's ratio no longer holds
        }
        return new ModelSpec(where, name, List.of(), family, null, null, null, true, type, params, active,
                null, precision, null, "model files " + where, String.join("; ", notes), arch, ModelSpec.Origin.FILE,
                exactBytes, List.of(), vision, approximate);
    }
}
