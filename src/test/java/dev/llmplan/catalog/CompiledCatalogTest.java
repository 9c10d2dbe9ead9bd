package dev.llmplan.catalog;

import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.SystemSpec;
import dev.llmplan.yaml.DataFileException;
import dev.llmplan.yaml.YamlReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The compiled built-in catalog (the jar's catalog.bin, made by CatalogCompiler at build time) gives exactly
 * what parsing catalog.yaml gives: every entry equal as a record, the same name lookups and files, and the
 * same merge with user catalogs, problems and their lines included.
 */
class CompiledCatalogTest {
    @TempDir
    Path dir;

    private static CompiledCatalog compiled() {
        CompiledCatalog c = CompiledCatalog.builtin();
        assertThat(c).as("the build writes " + CompiledCatalog.RESOURCE + " (exec-maven-plugin, compile-catalog)").isNotNull();
        return c;
    }

    private static void assertSame(Catalog fromCompiled, Catalog fromYaml) {
        assertThat(fromCompiled.models()).containsExactlyElementsOf(fromYaml.models());
        assertThat(fromCompiled.gpus()).containsExactlyElementsOf(fromYaml.gpus());
        assertThat(fromCompiled.systems()).containsExactlyElementsOf(fromYaml.systems());
        assertThat(fromCompiled.modelIds()).isEqualTo(fromYaml.modelIds());
        assertThat(fromCompiled.hardwareIds()).isEqualTo(fromYaml.hardwareIds());
        assertThat(fromCompiled.files()).isEqualTo(fromYaml.files());
        for (int k = 0; k < 3; k++) {
            Map<String, String> names = fromYaml.indexes().get(k).all();
            assertThat(fromCompiled.indexes().get(k).all()).isEqualTo(names);
            for (Map.Entry<String, String> e : names.entrySet()) {
                assertThat(fromCompiled.indexes().get(k).id(e.getKey())).isEqualTo(e.getValue());
            }
            assertThat(fromCompiled.indexes().get(k).id("no such name")).isNull();
        }
        for (ModelSpec m : fromYaml.models()) {
            assertThat(fromCompiled.fileOf("model", m.id())).isEqualTo(fromYaml.fileOf("model", m.id()));
        }
        for (GpuSpec g : fromYaml.gpus()) {
            assertThat(fromCompiled.fileOf("gpu", g.id())).isEqualTo(fromYaml.fileOf("gpu", g.id()));
        }
        for (SystemSpec s : fromYaml.systems()) {
            assertThat(fromCompiled.fileOf("system", s.id())).isEqualTo(fromYaml.fileOf("system", s.id()));
        }
        assertThat(fromCompiled.fileOf("model", "no-such-model")).isNull();
    }

    @Test
    void everyBuiltInEntryRoundTripsExactly() {
        Catalog fromYaml = CatalogLoader.load(List.of(), null);
        Catalog fromCompiled = compiled().catalog(CatalogLoader.BUILTIN_NAME);
        assertThat(fromYaml.models()).hasSizeGreaterThan(150);
        assertSame(fromCompiled, fromYaml);
    }

    @Test
    void entriesAreDecodedOnlyWhenAskedFor() {
        Catalog c = compiled().catalog(CatalogLoader.BUILTIN_NAME);
        // A lookup by any name, the HF repository's bare name included, finds the same record as the YAML's.
        Catalog fromYaml = CatalogLoader.load(List.of(), null);
        for (String name : List.of("llama-2-7b", "Llama 2 7B", "meta-llama/Llama-2-7b-hf", "Llama-2-7b-hf",
                "TheBloke/Llama-2-7B-chat-GPTQ", "a100", "NVIDIA A100 80GB", "home-rig")) {
            assertThat(c.findModel(name)).isEqualTo(fromYaml.findModel(name));
            assertThat(c.findGpu(name)).isEqualTo(fromYaml.findGpu(name));
            assertThat(c.findSystem(name)).isEqualTo(fromYaml.findSystem(name));
        }
        assertThat(c.findModel("llama-2-7b")).isPresent();
        assertThat(c.findSystem("home-rig").orElseThrow().gpu().id()).isEqualTo("rtx-4060-ti-16gb");
    }

    @Test
    void theParsedFormKeepsTheYamlLinesForMergingWithUserFiles() {
        String yaml = CatalogLoader.readBuiltin();
        CatalogParser.Parsed fromYaml = new CatalogParser(CatalogLoader.BUILTIN_NAME, ModelSpec.Origin.CATALOG, new ArrayList<>())
                .parse(YamlReader.read(yaml, CatalogLoader.BUILTIN_NAME));
        CatalogParser.Parsed fromCompiled = compiled().parsed(CatalogLoader.BUILTIN_NAME);
        assertThat(fromCompiled.models()).containsExactlyElementsOf(fromYaml.models());
        assertThat(fromCompiled.gpus()).containsExactlyElementsOf(fromYaml.gpus());
        assertThat(fromCompiled.systems()).containsExactlyElementsOf(fromYaml.systems());
    }

    @Test
    void aUserCatalogMergesWithTheCompiledFormAsWithTheYaml() throws Exception {
        // Replaces a GPU that a built-in system uses, adds a model with an alias of its own, adds a system.
        Path user = dir.resolve("user.yaml");
        Files.writeString(user, """
                schemaVersion: 1
                gpus:
                  - id: rtx-4060-ti-16gb
                    name: My 4060 Ti
                    vendor: nvidia
                    category: consumer
                    memoryGiB: 16
                    source: me
                models:
                  - id: my-7b
                    name: My 7B
                    aliases: [mine-7b]
                    family: Mine
                    developer: Me
                    weights: open
                    type: decoder
                    parameters: 7B
                    source: me
                systems:
                  - id: my-box
                    name: My box
                    vendor: me
                    gpu: a100-80gb-sxm4
                    count: 2
                    source: me
                """);
        Catalog fromCompiled = CatalogLoader.load(List.of(user), compiled());
        Catalog fromYaml = CatalogLoader.load(List.of(user), null);
        assertSame(fromCompiled, fromYaml);
        assertThat(fromCompiled.findSystem("home-rig").orElseThrow().gpu().name()).isEqualTo("My 4060 Ti");
        assertThat(fromCompiled.fileOf("model", "my-7b")).isEqualTo(user.toString());
        assertThat(fromCompiled.fileOf("model", "llama-2-7b")).isEqualTo(CatalogLoader.BUILTIN_NAME);
    }

    @Test
    void problemsAcrossFilesAreTheSameWithTheCompiledForm() throws Exception {
        // An alias already used by a built-in model, a system on an unknown GPU, and a wrong parameter count.
        Path user = dir.resolve("bad.yaml");
        Files.writeString(user, """
                schemaVersion: 1
                models:
                  - id: my-7b
                    name: My 7B
                    aliases: [Llama-2-7b-chat]
                    family: Mine
                    developer: Me
                    weights: open
                    type: decoder
                    parameters: 70B
                    source: me
                    architecture: {layers: 32, hidden: 4096, heads: 32, kvHeads: 32, ffn: 11008, ffnType: swiglu, vocab: 32000}
                systems:
                  - id: my-box
                    name: My box
                    vendor: me
                    gpu: no-such-gpu
                    count: 2
                    source: me
                """);
        DataFileException compiled = catchProblems(() -> CatalogLoader.load(List.of(user), compiled()));
        DataFileException yaml = catchProblems(() -> CatalogLoader.load(List.of(user), null));
        assertThat(compiled.problems()).hasSize(3).isEqualTo(yaml.problems());
    }

    private static DataFileException catchProblems(Runnable load) {
        try {
            load.run();
        } catch (DataFileException e) {
            return e;
        }
        throw new AssertionError("expected problems");
    }

    /** Every component type the codec takes, nulls included: a new catalog field of these types needs no change. */
    enum Colour { RED, GREEN }

    record Inner(String text, Double ratio) {
    }

    record Everything(int i, long l, double d, boolean b, float f, short s, byte y, char c, Integer boxed, Long longBox,
                      Double doubleBox, Boolean flag, String text, String absent, Colour colour, Inner inner, Inner noInner,
                      List<String> names, List<Inner> inners, Set<Colour> colours, Map<String, Integer> counts,
                      List<String> noList) {
    }

    @Test
    void theCodecCarriesEveryComponentTypeOfARecord() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("b", 2);
        counts.put("a", null);
        Everything value = new Everything(-7, Long.MIN_VALUE, -0.0, true, 1.5f, (short) -3, (byte) 9, 'é', 42, 1L << 40,
                Double.NaN, false, "héllo ✓", null, Colour.GREEN, new Inner("x", 0.1), null,
                List.of("a", "", "c"), List.of(new Inner(null, null), new Inner("y", 2.0)), Set.of(Colour.RED),
                counts, null);
        RecordCodec.Writer w = new RecordCodec.Writer();
        w.writeRecord(value, Everything.class);
        Everything back = new RecordCodec.Reader(w.toByteArray(), 0).readRecord(Everything.class);
        assertThat(back).isEqualTo(value);
    }

    record Unsupported(Object anything) {
    }

    @Test
    void aComponentOfAnotherTypeFailsTheBuildNamingIt() {
        RecordCodec.Writer w = new RecordCodec.Writer();
        assertThatThrownBy(() -> w.writeRecord(new Unsupported("x"), Unsupported.class))
                .hasMessageContaining("Unsupported.anything").hasMessageContaining("java.lang.Object");
    }
}
