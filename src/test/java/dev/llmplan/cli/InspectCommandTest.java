package dev.llmplan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.llmplan.modelfile.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code inspect PATH} in every format, and {@code fit PATH} using the files' exact bytes. */
class InspectCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** config.json (bf16, 2 layers, hidden 64) and one shard; returns the tensor bytes written. */
    private long llamaFolder() throws IOException {
        Files.writeString(dir.resolve("config.json"), Fixtures.llamaConfig(64, 2, 4, 2, 128, 256, 512, "bfloat16"));
        List<Fixtures.T> all = Fixtures.llamaTensors("BF16", 64, 2, 4, 2, 128, 256);
        return Fixtures.safetensors(dir.resolve("model-00001-of-00002.safetensors"), all.subList(0, 7))
                + Fixtures.safetensors(dir.resolve("model-00002-of-00002.safetensors"), all.subList(7, all.size()));
    }

    @Test
    void inspectJsonAndYamlCarryTheSameExactFacts() throws Exception {
        long bytes = llamaFolder();
        CliRunner.Result r = CliRunner.run("inspect", dir.toString(), "--format", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(doc.get("kind").asText()).isEqualTo("safetensors");
        assertThat(doc.at("/model/weightBytes").asLong()).isEqualTo(bytes);
        assertThat(doc.at("/model/parameters").asLong()).isEqualTo(bytes / 2);
        assertThat(doc.at("/model/defaultQuant").asText()).isEqualTo("bf16");
        assertThat(doc.at("/architecture/layers").asInt()).isEqualTo(2);
        assertThat(doc.at("/architecture/kvHeads").asInt()).isEqualTo(2);
        assertThat(doc.at("/tensorTypes/0/type").asText()).isEqualTo("BF16");
        assertThat(doc.at("/tensorTypes/0/bytes").asLong()).isEqualTo(bytes);
        assertThat(doc.get("files")).hasSize(2);
        JsonNode yaml = new YAMLMapper().readTree(CliRunner.run("inspect", dir.toString(), "--format", "yaml").out());
        assertThat(yaml).isEqualTo(doc);
    }

    @Test
    void inspectTablesCsvAndMarkdown() throws Exception {
        long bytes = llamaFolder();
        String table = CliRunner.run("inspect", dir.toString()).out();
        assertThat(table).contains("Model files: ").contains("Architecture").contains("Tensors by stored type")
                .contains("BF16").contains(Long.toString(bytes));
        String csv = CliRunner.run("inspect", dir.toString(), "--format", "csv").out();
        assertThat(csv).startsWith("field,value").contains("model.weightBytes," + bytes)
                .contains("tensorTypes.BF16.bytes," + bytes).contains("architecture.hidden,64");
        String md = CliRunner.run("inspect", dir.toString(), "--format", "markdown").out();
        assertThat(md).contains("## Architecture").contains("| hidden").contains("| BF16");
    }

    @Test
    void fitUsesTheExactByteCountUnlessQuantOverridesIt() throws Exception {
        long bytes = llamaFolder();
        JsonNode fit = JSON.readTree(CliRunner.run("fit", dir.toString(), "--format", "json").out());
        assertThat(fit.at("/memory/components/weights").asLong()).isEqualTo(bytes);
        JsonNode q = JSON.readTree(CliRunner.run("fit", dir.toString(), "--quant", "int8", "--format", "json").out());
        assertThat(q.at("/memory/components/weights").asLong()).isNotEqualTo(bytes).isPositive();
    }

    @Test
    void fitOnAGgufFileWeighsItsTensorsToTheByte() throws Exception {
        Path f = dir.resolve("tiny.gguf");
        long bytes = Fixtures.llamaMetadata().write(f, Fixtures.llamaGgufTensors());
        CliRunner.Result r = CliRunner.run("fit", f.toString(), "--format", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode fit = JSON.readTree(r.out());
        assertThat(fit.at("/memory/components/weights").asLong()).isEqualTo(bytes);
        assertThat(fit.at("/workload/quant").asText()).isEqualTo("q4_k_m");
    }

    @Test
    void configOnlyFolderFitsWithTheDerivedCount() throws Exception {
        Files.writeString(dir.resolve("config.json"), Fixtures.llamaConfig(4096, 32, 32, 32, 11008, 32000, 4096, "float16"));
        CliRunner.Result r = CliRunner.run("inspect", dir.resolve("config.json").toString(), "--format", "json");
        assertThat(JSON.readTree(r.out()).at("/model/parameters").asLong()).isEqualTo(6_738_415_616L);
        JsonNode fit = JSON.readTree(CliRunner.run("fit", dir.toString(), "--format", "json").out());
        // fp16: 2 bytes per derived parameter
        assertThat(fit.at("/memory/components/weights").asLong()).isEqualTo(2 * 6_738_415_616L);
    }

    @Test
    void missingAndCorruptFilesAreOneLineExitThree() throws Exception {
        CliRunner.Result missing = CliRunner.run("inspect", dir.resolve("none.gguf").toString());
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.err()).startsWith("llmplan inspect: ").contains("no such file");
        Path bad = dir.resolve("bad.gguf");
        Files.write(bad, new byte[] {'G', 'G', 'U', 'F', 9, 0, 0, 0});
        for (String cmd : List.of("inspect", "fit")) {
            CliRunner.Result r = CliRunner.run(cmd, bad.toString());
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.err()).contains("corrupt or unsupported file").doesNotContain("Exception").hasLineCount(1);
        }
        assertThat(CliRunner.run("fit", "no/such/model.gguf").err()).contains("no such file");
    }
}
