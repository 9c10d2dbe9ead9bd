package dev.llmplan.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmplan.cli.CliRunner;
import dev.llmplan.modelfile.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MODEL resolves in the order DESIGN.md §2 fixes: a local path first (what exists, or what is
 * written like a path), then hf: references, catalog ids and aliases, bare sizes, and last ORG/NAME
 * as a hub repository (issue 14, item 1: folders named like aliases were answered from the catalog).
 */
class ModelResolutionOrderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A model that is no catalog model: hidden 64, 2 layers, 4 heads (2 KV), ffn 128, vocab 256. */
    private static final String TINY_CONFIG = Fixtures.llamaConfig(64, 2, 4, 2, 128, 256, 512, "bfloat16");
    /** Its parameters: embed 256x64 + 2 x (q 64x64, k, v 32x64, o 64x64, 3 x 128x64, 2 norms) + norm + lm_head 256x64. */
    private static final long TINY_PARAMS = 106_816;

    @TempDir
    Path dir;

    private static JsonNode fitJson(Map<String, String> env, String model) throws Exception {
        CliRunner.Result r = CliRunner.run(env, "fit", model, "--format", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void aFolderNamedLikeACatalogAliasIsReadFromDisk() throws Exception {
        // "llama7b" is an alias of catalog llama-7b (6.7B parameters); the folder holds a 106,816-parameter model.
        Path folder = Files.createDirectories(dir.resolve("llama7b"));
        Files.writeString(folder.resolve("config.json"), TINY_CONFIG);
        JsonNode fit = fitJson(Map.of(), folder.toString());
        assertThat(fit.at("/model/id").asText()).isEqualTo(folder.toString());
        assertThat(fit.at("/model/parameters").asLong()).isEqualTo(TINY_PARAMS);
        assertThat(fit.at("/model/origin").asText()).isEqualTo("file");
        // With a trailing slash too.
        assertThat(fitJson(Map.of(), folder + "/").at("/model/parameters").asLong()).isEqualTo(TINY_PARAMS);
    }

    @Test
    void aLocalCloneOfACatalogRepoIsReadFromDiskAlsoFromPlanFiles() throws Exception {
        Path clone = Files.createDirectories(dir.resolve("meta-llama/Llama-2-70b-hf"));
        Files.writeString(clone.resolve("config.json"), TINY_CONFIG);
        assertThat(fitJson(Map.of(), clone.toString()).at("/model/parameters").asLong()).isEqualTo(TINY_PARAMS);
        // A plan file names it relative to its own folder, exactly as the repository id is spelled.
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, "schemaVersion: 1\nentries:\n  - name: clone\n    model: meta-llama/Llama-2-70b-hf\n"
                + "    hardware:\n      gpu: rtx-4090\n");
        CliRunner.Result r = CliRunner.run("check", plan.toString(), "--format", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.toString()).contains(clone.toString()).doesNotContain("llama-2-70b\"");
        // Without the folder, the same text is the catalog model (68,976,648,192 parameters).
        assertThat(fitJson(Map.of(), "meta-llama/Llama-2-70b-hf").at("/model/parameters").asLong()).isEqualTo(68_976_648_192L);
    }

    @Test
    void aMissingPathLikeArgumentIsAnExitThreeErrorNamingThePath() {
        for (String text : new String[] {"./llama7b", "../llama7b", "/nonexistent/llama7b", "llama7b/", "weights/model.bin",
                "llama-2-7b.safetensors"}) {
            CliRunner.Result r = CliRunner.run("fit", text);
            assertThat(r.exitCode()).as(text).isEqualTo(3);
            assertThat(r.err().strip()).as(text).isEqualTo("llmplan fit: " + text + ": no such file or folder");
        }
    }

    @Test
    void tildeIsTheHomeFolderFromTheEnvironment() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("models/tiny"));
        Files.writeString(folder.resolve("config.json"), TINY_CONFIG);
        Map<String, String> env = Map.of("HOME", dir.toString());
        assertThat(fitJson(env, "~/models/tiny").at("/model/parameters").asLong()).isEqualTo(TINY_PARAMS);
        CliRunner.Result missing = CliRunner.run(env, "fit", "~/models/none");
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.err()).contains(dir.resolve("models/none") + ": no such file or folder");
    }

    @Test
    void namesStillResolveToTheCatalogAndSizesWhenNoSuchPathExists() throws Exception {
        assertThat(fitJson(Map.of(), "llama7b").at("/model/id").asText()).isEqualTo("llama-7b");
        assertThat(fitJson(Map.of(), "Llama 2 70B").at("/model/id").asText()).isEqualTo("llama-2-70b");
        assertThat(fitJson(Map.of(), "1.3b").at("/model/parameters").asLong()).isEqualTo(1_300_000_000L);
    }

    @Test
    void anUnknownRepoIdIsTriedOnTheHubLastAndBothAnswersAreGiven() {
        // The test environment is offline (CliRunner sets HF_HUB_OFFLINE=1), so the hub answers from an empty cache.
        CliRunner.Result r = CliRunner.run("fit", "no-such-org/llama-2-7b-variant");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).hasLineCount(1).contains("unknown model 'no-such-org/llama-2-7b-variant'")
                .contains("as a hub repository: hf:no-such-org/llama-2-7b-variant: offline mode is on (HF_HUB_OFFLINE)");
    }
}
