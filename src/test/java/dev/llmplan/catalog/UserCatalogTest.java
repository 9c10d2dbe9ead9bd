package dev.llmplan.catalog;

import dev.llmplan.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UserCatalogTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static final String MODEL = """
            schemaVersion: 1
            models:
              - id: my-model-7b
                name: My Model 7B
                family: Mine
                developer: Me
                weights: open
                type: decoder
                parameters: 6738415616
                source: my own config.json
                architecture:
                  layers: 32
                  hidden: 4096
                  heads: 32
                  kvHeads: 32
                  headDim: 128
                  ffn: 11008
                  ffnType: swiglu
                  vocab: 32000
                  maxContext: 4096
                  tiedEmbeddings: false
            """;

    @Test
    void aUserCatalogAddsModelsUsableByFit() throws Exception {
        Path file = write("mine.yaml", MODEL);
        CliRunner.Result r = CliRunner.run("fit", "my-model-7b", "--mode", "load", "--catalog", file.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("My Model 7B");
    }

    @Test
    void theEnvironmentVariableAlsoAddsACatalog() throws Exception {
        Path file = write("mine.yaml", MODEL);
        CliRunner.Result r = CliRunner.run(Map.of("LLMPLAN_CATALOG", file.toString()), "fit", "my-model-7b", "--mode", "load");
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    void aUserEntryReplacesABuiltInOneById() throws Exception {
        Path file = write("override.yaml", MODEL.replace("my-model-7b", "llama-2-7b").replace("My Model 7B", "Replaced Llama"));
        CliRunner.Result r = CliRunner.run("catalog", "show", "llama-2-7b", "--catalog", file.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Replaced Llama");
    }

    @Test
    void everyProblemIsReportedWithItsLineAndExitCodeThree() throws Exception {
        Path file = write("bad.yaml", """
                schemaVersion: 1
                models:
                  - id: bad-one
                    name: Bad
                    family: X
                    developer: Y
                    weights: open
                    type: decoder
                    parameters: "7B"
                    source: s
                    colour: blue
                    architecture:
                      layers: thirty
                      heads: 32
                      kvHeads: 5
                  - id: bad-one
                    name: Bad again
                    family: X
                    developer: Y
                    weights: open
                    type: decoder
                    parameters: 7000000000
                    source: s
                """);
        CliRunner.Result r = CliRunner.run("catalog", "validate", file.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("bad.yaml:11: bad-one: colour: unknown key");
        assertThat(r.err()).contains("bad.yaml:13: bad-one: architecture.layers: expected an integer");
        assertThat(r.err()).contains("architecture.kvHeads: heads (32) are not divisible by kvHeads (5)");
        assertThat(r.err()).contains("duplicate model id");
        assertThat(r.err().lines()).allSatisfy(l -> assertThat(l).startsWith("llmplan catalog validate: "));
        assertThat(r.out()).isEmpty();
    }

    @Test
    void brokenYamlIsOneLineWithItsLineNumber() throws Exception {
        Path file = write("broken.yaml", "schemaVersion: 1\nmodels:\n  - id: [unclosed\n");
        CliRunner.Result r = CliRunner.run("catalog", "validate", file.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("broken.yaml:").contains("invalid YAML");
        assertThat(r.err().lines().count()).isEqualTo(1);
    }

    @Test
    void aDuplicateAliasAcrossFilesIsReported() throws Exception {
        Path file = write("dup.yaml", MODEL.replace("family: Mine", "aliases: [\"Llama 2 7B\"]\n    family: Mine"));
        CliRunner.Result r = CliRunner.run("catalog", "validate", file.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("already used by llama-2-7b");
    }

    @Test
    void aStatedCountFarFromTheArchitectureIsReportedWithTheDistance() throws Exception {
        Path file = write("far.yaml", MODEL.replace("parameters: 6738415616", "parameters: 13000000000"));
        CliRunner.Result r = CliRunner.run("catalog", "validate", file.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("parameters: the architecture gives 6,738,415,616 parameters, -48.2% from the stated");
    }
}
