package dev.llmplan.catalog;

import dev.llmplan.engine.Names;

import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.SystemSpec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated, immutable catalog in use: built-in entries plus the user's, with name lookup. The
 * compiled built-in catalog alone ({@link CompiledCatalog}) comes with its name indexes made at build
 * time and decodes an entry when it is first asked for.
 */
public final class Catalog {
    private final Entries<ModelSpec> models;
    private final Entries<GpuSpec> gpus;
    private final Entries<SystemSpec> systems;
    private final List<String> files;
    private final NameIndex modelIndex;
    private final NameIndex gpuIndex;
    private final NameIndex systemIndex;
    /** "kind:id" to the file the entry was read from; null when every entry is from the first file. */
    private final Map<String, String> entryFiles;

    Catalog(Map<String, ModelSpec> models, Map<String, GpuSpec> gpus, Map<String, SystemSpec> systems, List<String> files,
            Map<String, String> entryFiles) {
        this(Entries.of(models), Entries.of(gpus), Entries.of(systems), files, Map.copyOf(entryFiles),
                new MapIndex(modelIndex(models.values())), new MapIndex(hardwareIndex(gpus.values())),
                new MapIndex(systemIndex(systems.values())));
    }

    Catalog(Entries<ModelSpec> models, Entries<GpuSpec> gpus, Entries<SystemSpec> systems, List<String> files,
            Map<String, String> entryFiles, NameIndex modelIndex, NameIndex gpuIndex, NameIndex systemIndex) {
        this.models = models;
        this.gpus = gpus;
        this.systems = systems;
        this.files = List.copyOf(files);
        this.entryFiles = entryFiles;
        this.modelIndex = modelIndex;
        this.gpuIndex = gpuIndex;
        this.systemIndex = systemIndex;
    }

    private static Map<String, String> modelIndex(Collection<ModelSpec> models) {
        Map<String, String> index = new HashMap<>();
        // Family names come first: they are unique among ids and aliases (the loader checks), and they
        // must win over a display name or a repository's bare name ("gpt2" is the family, not the 124M).
        for (ModelSpec m : models) {
            for (String name : m.familyAliases()) {
                index.putIfAbsent(Names.normalize(name), m.id());
            }
        }
        for (ModelSpec m : models) {
            for (String name : modelNames(m)) {
                index.putIfAbsent(Names.normalize(name), m.id());
            }
        }
        // The survey's label ("GPT-2 1.5B (48 layers)") resolves when only one entry carries it.
        Map<String, Integer> labels = new HashMap<>();
        for (ModelSpec m : models) {
            if (m.surveyLabel() != null) {
                labels.merge(Names.normalize(m.surveyLabel()), 1, Integer::sum);
            }
        }
        for (ModelSpec m : models) {
            if (m.surveyLabel() != null && labels.get(Names.normalize(m.surveyLabel())) == 1) {
                index.putIfAbsent(Names.normalize(m.surveyLabel()), m.id());
            }
        }
        // A Hugging Face repository's bare name ("Llama-2-70b-hf") also resolves, unless ambiguous.
        for (ModelSpec m : models) {
            if (m.hfRepo() != null && m.hfRepo().contains("/")) {
                index.putIfAbsent(Names.normalize(m.hfRepo().substring(m.hfRepo().indexOf('/') + 1)), m.id());
            }
        }
        return index;
    }

    private static Map<String, String> hardwareIndex(Collection<GpuSpec> gpus) {
        Map<String, String> index = new HashMap<>();
        for (GpuSpec g : gpus) {
            index.putIfAbsent(Names.normalize(g.id()), g.id());
            for (String a : g.aliases()) {
                index.putIfAbsent(Names.normalize(a), g.id());
            }
            index.putIfAbsent(Names.normalize(g.name()), g.id());
        }
        return index;
    }

    private static Map<String, String> systemIndex(Collection<SystemSpec> systems) {
        Map<String, String> index = new HashMap<>();
        for (SystemSpec s : systems) {
            index.putIfAbsent(Names.normalize(s.id()), s.id());
            for (String a : s.aliases()) {
                index.putIfAbsent(Names.normalize(a), s.id());
            }
            index.putIfAbsent(Names.normalize(s.name()), s.id());
        }
        return index;
    }

    /** Normalised names to entry ids: a hash map, or a table in the compiled catalog's bytes. */
    interface NameIndex {
        /** The id of the entry with this normalised name, or null. */
        String id(String normalizedName);

        /** Every name with its id (the compiler writes them; tests compare them). */
        Map<String, String> all();
    }

    private record MapIndex(Map<String, String> map) implements NameIndex {
        @Override
        public String id(String normalizedName) {
            return map.get(normalizedName);
        }

        @Override
        public Map<String, String> all() {
            return map;
        }
    }

    /** The name indexes of models, GPUs and systems. */
    List<NameIndex> indexes() {
        return List.of(modelIndex, gpuIndex, systemIndex);
    }

    static List<String> modelNames(ModelSpec m) {
        List<String> names = new ArrayList<>();
        names.add(m.id());
        names.addAll(m.aliases());
        if (m.hfRepo() != null) {
            names.add(m.hfRepo());
        }
        names.add(m.name());
        return names;
    }

    public Collection<ModelSpec> models() {
        return models.all();
    }

    public Collection<GpuSpec> gpus() {
        return gpus.all();
    }

    public Collection<SystemSpec> systems() {
        return systems.all();
    }

    /** The file an entry was read from ({@code kind} is model, gpu or system), or null. */
    public String fileOf(String kind, String id) {
        if (entryFiles != null) {
            return entryFiles.get(kind + ":" + id);
        }
        Entries<?> entries = switch (kind) {
            case "model" -> models;
            case "gpu" -> gpus;
            case "system" -> systems;
            default -> null;
        };
        return entries != null && entries.get(id) != null ? files.get(0) : null;
    }

    /** The files this catalog was read from, built-in first. */
    public List<String> files() {
        return files;
    }

    /**
     * A model by id, alias, display name or Hugging Face repository; failing that, the base model
     * of a fine-tune or a re-packaged checkpoint named after it ("meta-llama/Meta-Llama-3.1-70B-Instruct",
     * "Mistral-7B-Instruct-v0.2", "TheBloke/Llama-2-13B-chat-GPTQ"): those share the base architecture.
     */
    public Optional<ModelSpec> findModel(String name) {
        ModelSpec exact = models.get(modelIndex.id(Names.normalize(name)));
        if (exact != null) {
            return Optional.of(exact);
        }
        String base = name.contains("/") ? name.substring(name.lastIndexOf('/') + 1) : name;
        for (int i = 0; i < 4; i++) {
            String before = base;
            base = base.replaceAll("(?i)[-_ .](instruct|chat|hf|it|base|gguf|gptq|awq|exl2|fp8|bnb-4bit|4bit|8bit)$", "");
            base = base.replaceAll("(?i)^meta[-_ ]", "");
            ModelSpec m = models.get(modelIndex.id(Names.normalize(base)));
            if (m != null) {
                return Optional.of(m);
            }
            if (base.equals(before)) {
                break;
            }
        }
        return Optional.empty();
    }

    /** A model found by name, with a note when the name was a family's ("GPT-2" is planned as gpt2-xl). */
    public record ModelMatch(ModelSpec model, String note) {
    }

    /** As {@link #findModel}, saying when a family name picked the family's representative size. */
    public Optional<ModelMatch> matchModel(String name) {
        Optional<ModelSpec> found = findModel(name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ModelSpec m = found.get();
        String key = Names.normalize(name);
        boolean family = m.familyAliases().stream().anyMatch(f -> Names.normalize(f).equals(key));
        return Optional.of(new ModelMatch(m, family ? familyNote(name, m) : null));
    }

    /** "'GPT-2' names the GPT-2 family: planned as gpt2-xl (1.56B); other sizes: gpt2-small (124M), ...". */
    private String familyNote(String name, ModelSpec representative) {
        List<String> others = models.all().stream()
                .filter(o -> o != representative && o.family() != null && o.family().equals(representative.family()))
                .sorted(java.util.Comparator.comparing((ModelSpec o) -> o.parameters() == null ? Long.MAX_VALUE : o.parameters())
                        .thenComparing(ModelSpec::id))
                .map(Catalog::idAndSize).toList();
        return "'" + dev.llmplan.engine.Printable.of(name) + "' names the " + representative.family() + " family: planned as "
                + idAndSize(representative) + (others.isEmpty() ? ", its only size in the catalog"
                : "; other sizes: " + String.join(", ", others));
    }

    private static String idAndSize(ModelSpec m) {
        return m.id() + (m.hasParameters() ? " (" + dev.llmplan.engine.ParamCount.humanCount(m.parameters()) + ")" : "");
    }

    /**
     * The error for a model name the catalog does not know. A developer's name ("rinna") lists that
     * developer's models, smallest first; anything else gets the closest ids.
     */
    public LlmplanException unknownModel(String name) {
        String key = Names.normalize(name);
        List<ModelSpec> byDeveloper = key.length() < 2 ? List.of() : models.all().stream()
                .filter(m -> m.developer() != null && developerMatches(m.developer(), key))
                .sorted(java.util.Comparator.comparing((ModelSpec m) -> m.parameters() == null ? Long.MAX_VALUE : m.parameters())
                        .thenComparing(ModelSpec::id))
                .toList();
        if (byDeveloper.isEmpty()) {
            return unknown("model", name, models.ids());
        }
        int shown = Math.min(8, byDeveloper.size());
        String list = String.join(", ", byDeveloper.subList(0, shown).stream().map(ModelSpec::id).toList())
                + (byDeveloper.size() > shown ? " and " + (byDeveloper.size() - shown) + " more" : "");
        String printable = dev.llmplan.engine.Printable.of(name);
        return LlmplanException.badData("unknown model '" + printable + "': " + printable + " is a developer, not a model;"
                + " its catalog models are " + list + "; see 'llmplan models --developer " + printable + "'");
    }

    /** "rinna" matches the developer "rinna"; "Meta" matches "Meta AI (Facebook)": the whole name or its first word. */
    private static boolean developerMatches(String developer, String key) {
        if (Names.normalize(developer).equals(key)) {
            return true;
        }
        String first = developer.split("[\\s(/,]+", 2)[0];
        return !first.isEmpty() && Names.normalize(first).equals(key);
    }

    public Optional<GpuSpec> findGpu(String name) {
        return Optional.ofNullable(gpus.get(gpuIndex.id(Names.normalize(name))));
    }

    public Optional<SystemSpec> findSystem(String name) {
        return Optional.ofNullable(systems.get(systemIndex.id(Names.normalize(name))));
    }

    public ModelSpec model(String name) {
        return findModel(name).orElseThrow(() -> unknownModel(name));
    }

    public GpuSpec gpu(String name) {
        return findGpu(name).orElseThrow(() -> unknown("GPU", name, gpus.ids()));
    }

    public List<String> modelIds() {
        return models.ids();
    }

    public List<String> hardwareIds() {
        List<String> out = new ArrayList<>(gpus.ids());
        out.addAll(systems.ids());
        return out;
    }

    public static LlmplanException unknown(String kind, String name, Collection<String> ids) {
        String base = name.contains("/") ? name.substring(name.lastIndexOf('/') + 1) : name; // "org/Model-7B"
        List<String> close = Names.closestN(base, ids, 3, Math.max(2, Names.normalize(base).length() / 3));
        String hint = close.isEmpty() ? "" : " (did you mean " + String.join(", ", close) + "?)";
        String list = switch (kind) {
            case "model" -> "'llmplan models'";
            case "GPU" -> "'llmplan gpus'";
            default -> "'llmplan models' and 'llmplan gpus'";
        };
        return LlmplanException.badData("unknown " + kind + " '" + name + "'" + hint + "; see " + list);
    }
}
