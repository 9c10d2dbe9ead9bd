package dev.llmplan.catalog;

import dev.llmplan.engine.Names;

import dev.llmplan.yaml.DataFileException;

import dev.llmplan.yaml.Problem;

import dev.llmplan.yaml.YamlNode;

import dev.llmplan.yaml.YamlReader;

import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.ParamCount;
import dev.llmplan.engine.SystemSpec;
import dev.llmplan.engine.TensorInventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads the built-in catalog and the user's catalog files, in that order: a later file adds
 * entries and replaces earlier ones by id. Every problem of every file is reported at once.
 */
public final class CatalogLoader {
    public static final String BUILTIN_RESOURCE = "/dev/llmplan/catalog/catalog.yaml";
    public static final String BUILTIN_NAME = "catalog.yaml (built-in)";

    /** A stated parameter count this far from the architecture's is reported (biases, tied heads and
     * learned positions stay well inside; a wrong layer or hidden size does not). */
    public static final double PARAMETER_TOLERANCE = 0.15;

    private CatalogLoader() {
    }

    /** The built-in catalog alone. */
    public static Catalog builtin() {
        return load(List.of());
    }

    /**
     * The built-in catalog extended by {@code userFiles} (later files win). The built-in catalog comes from
     * its compiled form (validated at build time; {@link CompiledCatalog}), or from the YAML where the jar
     * has none.
     */
    public static Catalog load(List<Path> userFiles) {
        return load(userFiles, CompiledCatalog.builtin());
    }

    /** As {@link #load(List)} with the built-in catalog from {@code compiled}, or from its YAML when null. */
    static Catalog load(List<Path> userFiles, CompiledCatalog compiled) {
        if (compiled != null && userFiles.isEmpty()) {
            return compiled.catalog(BUILTIN_NAME);
        }
        List<Source> sources = new ArrayList<>();
        if (compiled == null) {
            sources.add(new Source(BUILTIN_NAME, readBuiltin(), ModelSpec.Origin.CATALOG));
        }
        for (Path p : userFiles) {
            sources.add(new Source(p.toString(), readFile(p), ModelSpec.Origin.USER_CATALOG));
        }
        return build(compiled == null ? null : compiled.parsed(BUILTIN_NAME), sources);
    }

    /** Validates one file on its own (ids may replace built-in ones; GPUs may refer to built-in GPUs). */
    public static Catalog validateFile(Path file) {
        return load(List.of(file));
    }

    /** Parses catalog text (tests, and user files already read). */
    public static Catalog fromText(String text, String name) {
        return build(null, List.of(new Source(name, text, ModelSpec.Origin.CATALOG)));
    }

    /** Build step ({@link CatalogCompiler}): the built-in catalog's YAML, parsed, validated and compiled. */
    static byte[] compileBuiltin(String yaml) {
        Source source = new Source(BUILTIN_NAME, yaml, ModelSpec.Origin.CATALOG);
        Catalog catalog = build(null, List.of(source)); // throws on any problem, failing the build
        CatalogParser.Parsed parsed = new CatalogParser(BUILTIN_NAME, ModelSpec.Origin.CATALOG, new ArrayList<>())
                .parse(YamlReader.read(yaml, BUILTIN_NAME));
        return CompiledCatalog.write(parsed, catalog);
    }

    record Source(String name, String text, ModelSpec.Origin origin) {
    }

    /**
     * Merges the files in order; {@code builtin} is the compiled built-in catalog, already validated (its
     * parameter counts are not checked again), or null when the built-in YAML is one of the sources.
     */
    private static Catalog build(CatalogParser.Parsed builtin, List<Source> sources) {
        List<Problem> problems = new ArrayList<>();
        List<CatalogParser.Parsed> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (builtin != null) {
            files.add(builtin);
            names.add(BUILTIN_NAME);
        }
        for (Source s : sources) {
            names.add(s.name());
            YamlNode root;
            try {
                root = YamlReader.read(s.text(), s.name());
            } catch (DataFileException e) {
                problems.addAll(e.problems());
                continue;
            }
            files.add(new CatalogParser(s.name(), s.origin(), problems).parse(root));
        }
        Map<String, CatalogParser.Located<ModelSpec>> models = new LinkedHashMap<>();
        Map<String, CatalogParser.Located<GpuSpec>> gpus = new LinkedHashMap<>();
        List<CatalogParser.RawSystem> rawSystems = new ArrayList<>();
        for (CatalogParser.Parsed parsed : files) {
            // A later file replaces an earlier entry with the same id (duplicates within a file are
            // reported by the parser).
            for (var m : parsed.models()) {
                models.put(m.value().id(), m);
            }
            for (var g : parsed.gpus()) {
                gpus.put(g.value().id(), g);
            }
            for (var r : parsed.systems()) {
                rawSystems.removeIf(x -> x.id().equals(r.id()));
                rawSystems.add(r);
            }
        }
        Map<String, SystemSpec> systems = new LinkedHashMap<>();
        for (var r : rawSystems) {
            var gpu = r.gpuId() == null ? null : gpus.get(r.gpuId());
            if (gpu == null) {
                if (r.gpuId() == null) {
                    continue; // "gpu: is required" is already reported
                }
                problems.add(new Problem(r.file(), r.line(), r.id(), "gpu", "unknown GPU id '" + r.gpuId() + "'"));
                continue;
            }
            systems.put(r.id(), resolve(r, gpu.value()));
        }
        checkNames(models, gpus, rawSystems, problems);
        Set<Object> validated = Collections.newSetFromMap(new IdentityHashMap<>());
        if (builtin != null) {
            validated.addAll(builtin.models());
        }
        List<CatalogParser.Located<ModelSpec>> unchecked = new ArrayList<>();
        for (var located : models.values()) {
            if (!validated.contains(located)) {
                unchecked.add(located);
            }
        }
        checkParameters(unchecked, problems);
        if (!problems.isEmpty()) {
            throw new DataFileException(problems);
        }
        Map<String, ModelSpec> m = new LinkedHashMap<>();
        models.forEach((k, v) -> m.put(k, v.value()));
        Map<String, GpuSpec> g = new LinkedHashMap<>();
        gpus.forEach((k, v) -> g.put(k, v.value()));
        Map<String, String> entryFiles = new HashMap<>();
        models.forEach((k, v) -> entryFiles.put("model:" + k, v.file()));
        gpus.forEach((k, v) -> entryFiles.put("gpu:" + k, v.file()));
        rawSystems.forEach(r -> entryFiles.put("system:" + r.id(), r.file()));
        return new Catalog(m, g, systems, names, entryFiles);
    }

    /** A system with its GPU resolved (the parser keeps the GPU's id until every file is read). */
    static SystemSpec resolve(CatalogParser.RawSystem r, GpuSpec gpu) {
        return new SystemSpec(r.id(), r.name(), r.aliases(), r.vendor(), gpu, r.count(), r.launchYear(), r.price(),
                r.source(), r.notes());
    }

    /** Ids and aliases must be unique after normalisation, within models and within hardware. */
    private static void checkNames(Map<String, CatalogParser.Located<ModelSpec>> models,
                                   Map<String, CatalogParser.Located<GpuSpec>> gpus,
                                   List<CatalogParser.RawSystem> systems, List<Problem> problems) {
        Map<String, String> owner = new HashMap<>();
        for (var m : models.values()) {
            List<String> names = new ArrayList<>(m.value().aliases());
            names.add(0, m.value().id());
            names.addAll(m.value().familyAliases());
            for (String n : names) {
                claim(owner, Names.normalize(n), m.value().id(), n, m.file(), m.line(), problems, "model");
            }
        }
        Map<String, String> hwOwner = new HashMap<>();
        for (var g : gpus.values()) {
            List<String> names = new ArrayList<>(g.value().aliases());
            names.add(0, g.value().id());
            for (String n : names) {
                claim(hwOwner, Names.normalize(n), g.value().id(), n, g.file(), g.line(), problems, "GPU");
            }
        }
        for (var s : systems) {
            List<String> names = new ArrayList<>(s.aliases());
            names.add(0, s.id());
            for (String n : names) {
                claim(hwOwner, Names.normalize(n), s.id(), n, s.file(), s.line(), problems, "system");
            }
        }
    }

    private static void claim(Map<String, String> owner, String key, String id, String name, String file, int line,
                              List<Problem> problems, String kind) {
        String previous = owner.putIfAbsent(key, id);
        if (previous != null && !previous.equals(id)) {
            problems.add(new Problem(file, line, id, name.equals(id) ? "id" : "aliases or familyAliases",
                    "'" + name + "' is already used by " + previous));
        }
    }

    /**
     * A stated parameter count far from the architecture's points at a wrong field; an architecture whose
     * tensors add up to more than any parameter count llmplan takes is refused at load, so no later
     * estimate can overflow.
     */
    private static void checkParameters(Iterable<CatalogParser.Located<ModelSpec>> models, List<Problem> problems) {
        for (var located : models) {
            ModelSpec m = located.value();
            if (!TensorInventory.derivable(m.arch())) {
                continue;
            }
            long derived;
            try {
                derived = TensorInventory.of(m.arch(), m.type()).total();
            } catch (ArithmeticException e) {
                derived = Long.MAX_VALUE;
            }
            if (derived > ParamCount.MAX) {
                problems.add(new Problem(located.file(), located.line(), m.id(), "architecture",
                        "the architecture gives more than 1e17 parameters (the most llmplan takes)"));
                continue;
            }
            if (!m.hasParameters() || m.arch().vocab() == null) {
                continue;
            }
            // The architecture describes the language model; a vision encoder is counted on its own.
            long stated = m.languageParameters();
            double off = (derived - stated) / (double) stated;
            if (Math.abs(off) > PARAMETER_TOLERANCE) {
                problems.add(new Problem(located.file(), located.line(), m.id(), "parameters", String.format(Locale.ROOT,
                        "the architecture gives %,d parameters, %+.1f%% from the stated %,d%s (tolerance %.0f%%)",
                        derived, off * 100, stated, m.visionEncoder() == null ? "" : " (without the vision encoder)",
                        PARAMETER_TOLERANCE * 100)));
            }
        }
    }

    static String readBuiltin() {
        String text = readResource(BUILTIN_RESOURCE);
        if (text == null) {
            throw new IllegalStateException("built-in catalog missing from the jar: " + BUILTIN_RESOURCE);
        }
        return text;
    }

    /** A resource as UTF-8 text, or null when absent. */
    private static String readResource(String resource) {
        try (InputStream in = CatalogLoader.class.getResourceAsStream(resource)) {
            return in == null ? null : decode(in.readAllBytes(), BUILTIN_NAME);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in catalog", e);
        }
    }

    /** Reads a user file with a size cap; problems are exit-code-3 data errors naming the file. */
    public static String readFile(Path p) {
        try {
            if (!Files.isRegularFile(p)) {
                // A FIFO or device is never opened: reading one blocks or never ends.
                throw LlmplanException.badData(p + ": " + (Files.exists(p) ? "not a regular file" : "no such file"));
            }
            if (Files.size(p) > YamlReader.MAX_DOCUMENT_CHARS) {
                throw LlmplanException.badData(p + ": larger than " + YamlReader.MAX_DOCUMENT_CHARS / (1024 * 1024) + " MiB");
            }
            return decode(Files.readAllBytes(p), p.toString());
        } catch (IOException e) {
            throw LlmplanException.badData(p + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static String decode(byte[] bytes, String name) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DataFileException(List.of(new Problem(name, 0, null, null, "not valid UTF-8 text")));
        }
    }
}
