package dev.llmplan.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmplan.cli.CliRunner;
import dev.llmplan.modelfile.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MODEL from the Hugging Face Hub, end to end through the CLI against {@link FakeHub} (no test
 * touches the internet): exact parameters from safetensors headers read by range requests, GGUF
 * tensor bytes, a second run from the cache with the server gone, and every error as one line
 * with exit code 3.
 */
class HubCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Llama 3 8B's shape (meta-llama/Meta-Llama-3-8B config.json): 8,030,261,248 parameters. */
    static final int HIDDEN = 4096, LAYERS = 32, HEADS = 32, KV_HEADS = 8, FFN = 14336, VOCAB = 128256;
    static final long LLAMA3_8B_PARAMS = 8_030_261_248L;

    @TempDir
    Path tmp;
    FakeHub hub;

    @BeforeEach
    void start() throws Exception {
        hub = FakeHub.start();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    /** The environment of a run against the fake hub, with its own cache. */
    Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>();
        env.put("HF_ENDPOINT", hub.endpoint());
        env.put("HF_HUB_OFFLINE", "0");
        env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        env.put("HOME", tmp.resolve("home").toString());
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    static String config() {
        return Fixtures.llamaConfig(HIDDEN, LAYERS, HEADS, KV_HEADS, FFN, VOCAB, 8192, "bfloat16");
    }

    static List<Fixtures.T> llama3Tensors() {
        return Fixtures.llamaTensors("BF16", HIDDEN, LAYERS, HEADS, KV_HEADS, FFN, VOCAB);
    }

    /** A single-file safetensors repository of Llama 3 8B's shape (16 GB, served lazily). */
    void singleFileRepo(String repo) throws Exception {
        hub.file(repo, "config.json", config());
        hub.file(repo, "model.safetensors", Fixtures.safetensorsLazy(llama3Tensors()));
        hub.file(repo, "README.md", "# test model\n");
    }

    /** The same model in four shards with model.safetensors.index.json, as save_pretrained writes it. */
    void shardedRepo(String repo) throws Exception {
        List<Fixtures.T> all = llama3Tensors();
        int n = 4;
        StringBuilder map = new StringBuilder();
        int per = (all.size() + n - 1) / n;
        for (int s = 0; s < n; s++) {
            List<Fixtures.T> part = all.subList(s * per, Math.min(all.size(), (s + 1) * per));
            String name = String.format("model-%05d-of-%05d.safetensors", s + 1, n);
            hub.file(repo, name, Fixtures.safetensorsLazy(part));
            for (Fixtures.T t : part) {
                map.append(map.length() == 0 ? "" : ",").append('"').append(t.name()).append("\":\"").append(name).append('"');
            }
        }
        hub.file(repo, "config.json", config());
        hub.file(repo, "model.safetensors.index.json", "{\"metadata\":{},\"weight_map\":{" + map + "}}");
    }

    static CliRunner.Result run(Map<String, String> env, String... args) {
        return CliRunner.run(env, args);
    }

    static JsonNode json(CliRunner.Result r) throws Exception {
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void fitReadsExactParametersFromTheSafetensorsHeaderServingUnderTenPercent() throws Exception {
        singleFileRepo("test-org/llama-3-8b");
        JsonNode fit = json(run(env(), "fit", "hf:test-org/llama-3-8b", "--format", "json"));
        assertThat(fit.at("/model/id").asText()).isEqualTo("hf:test-org/llama-3-8b");
        assertThat(fit.at("/model/parameters").asLong()).isEqualTo(LLAMA3_8B_PARAMS);
        assertThat(fit.at("/memory/components/weights").asLong()).isEqualTo(2 * LLAMA3_8B_PARAMS);
        assertThat(fit.at("/workload/quant").asText()).isEqualTo("bf16");
        long repo = hub.repositoryBytes("test-org/llama-3-8b");
        assertThat(repo).isGreaterThan(16_000_000_000L);
        // The 8-byte length, then the header alone: a few tens of kilobytes of 16 GB.
        assertThat(hub.bytesServed()).isLessThan(repo / 10).isLessThan(200_000);
        assertThat(hub.requests()).anyMatch(r -> r.endsWith("model.safetensors bytes=0-7"));
    }

    @Test
    void aSecondRunWorksFromTheCacheWithTheServerStoppedAndOffline() throws Exception {
        singleFileRepo("test-org/llama-3-8b");
        String first = json(run(env(), "fit", "hf:test-org/llama-3-8b", "--gpu", "rtx-4090", "--format", "json")).toString();
        hub.reset();
        // Online again: only metadata is asked for; every byte comes from the cache.
        String again = json(run(env(), "fit", "hf:test-org/llama-3-8b", "--gpu", "rtx-4090", "--format", "json")).toString();
        assertThat(again).isEqualTo(first);
        assertThat(hub.requests()).noneMatch(r -> r.contains("bytes="));
        int port = hub.port();
        hub.close();
        CliRunner.Result stopped = run(env("HF_ENDPOINT", "http://127.0.0.1:" + port), "fit", "hf:test-org/llama-3-8b",
                "--gpu", "rtx-4090", "--format", "json");
        assertThat(json(stopped).toString()).isEqualTo(first);
        assertThat(stopped.err()).contains("note: cannot reach http://127.0.0.1:" + port).contains("read from the cache");
        CliRunner.Result offline = run(env("HF_HUB_OFFLINE", "1"), "fit", "hf:test-org/llama-3-8b", "--gpu", "rtx-4090",
                "--format", "json");
        assertThat(json(offline).toString()).isEqualTo(first);
        assertThat(offline.err()).isEmpty();
        // The cache holds the ranges read, not the files: far below the 16 GB repository.
        long cached;
        try (var s = Files.walk(tmp.resolve("cache/llmplan/hub"))) {
            cached = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(cached).isPositive().isLessThan(200_000);
    }

    @Test
    void shardedCheckpointsReadTheIndexThenEachShardHeader() throws Exception {
        shardedRepo("test-org/llama-3-8b-sharded");
        JsonNode fit = json(run(env(), "fit", "test-org/llama-3-8b-sharded", "--format", "json"));
        assertThat(fit.at("/model/parameters").asLong()).isEqualTo(LLAMA3_8B_PARAMS);
        assertThat(hub.bytesServed()).isLessThan(hub.repositoryBytes("test-org/llama-3-8b-sharded") / 10);
        for (int s = 1; s <= 4; s++) {
            String shard = String.format("model-%05d-of-00004.safetensors", s);
            assertThat(hub.requests()).as(shard).anyMatch(r -> r.endsWith(shard + " bytes=0-7"));
        }
        JsonNode inspect = json(run(env(), "inspect", "hf:test-org/llama-3-8b-sharded", "--format", "json"));
        assertThat(inspect.toString()).contains("hf:test-org/llama-3-8b-sharded/model-00004-of-00004.safetensors");
    }

    @Test
    void quantizationConfigFromConfigJsonSetsTheStoredFormat() throws Exception {
        String repo = "test-org/small-fp8";
        hub.file(repo, "config.json", Fixtures.llamaConfig(64, 2, 4, 2, 128, 256, 512, "bfloat16")
                .replace("}", ",\"quantization_config\":{\"quant_method\":\"fp8\",\"activation_scheme\":\"dynamic\"}}"));
        hub.file(repo, "model.safetensors", Fixtures.safetensorsLazy(Fixtures.llamaTensors("F8_E4M3", 64, 2, 4, 2, 128, 256)));
        JsonNode fit = json(run(env(), "fit", "hf:" + repo, "--format", "json"));
        assertThat(fit.at("/workload/quant").asText()).isEqualTo("fp8");
        // 106,816 parameters (ModelFilesTest), one byte each.
        assertThat(fit.at("/memory/components/weights").asLong()).isEqualTo(106_816);
    }

    /** Llama 3 8B's shape as a Q4_K / Q6_K GGUF with its 128,256-token vocabulary (a 2 MB header). */
    static Fixtures.Lazy llamaGguf(Fixtures.Gguf metadata, List<Fixtures.G> tensors) {
        return metadata.lazy(tensors);
    }

    static Fixtures.Gguf ggufMetadata() {
        return new Fixtures.Gguf().str("general.architecture", "llama").str("general.name", "Llama 3 8B test")
                .u32("general.file_type", 15).u32("llama.block_count", LAYERS).u32("llama.context_length", 8192)
                .u32("llama.embedding_length", HIDDEN).u32("llama.feed_forward_length", FFN)
                .u32("llama.attention.head_count", HEADS).u32("llama.attention.head_count_kv", KV_HEADS)
                .u32("llama.rope.dimension_count", 128).strings("tokenizer.ggml.tokens", VOCAB);
    }

    static List<Fixtures.G> ggufTensors(int fromLayer, int toLayer, boolean ends) {
        List<Fixtures.G> list = new ArrayList<>();
        if (ends) {
            list.add(new Fixtures.G("token_embd.weight", 12, HIDDEN, VOCAB));
        }
        for (int i = fromLayer; i < toLayer; i++) {
            String p = "blk." + i + ".";
            list.add(new Fixtures.G(p + "attn_q.weight", 12, HIDDEN, HIDDEN));
            list.add(new Fixtures.G(p + "attn_k.weight", 12, HIDDEN, KV_HEADS * 128));
            list.add(new Fixtures.G(p + "attn_v.weight", 14, HIDDEN, KV_HEADS * 128));
            list.add(new Fixtures.G(p + "attn_output.weight", 12, HIDDEN, HIDDEN));
            list.add(new Fixtures.G(p + "ffn_gate.weight", 12, HIDDEN, FFN));
            list.add(new Fixtures.G(p + "ffn_up.weight", 12, HIDDEN, FFN));
            list.add(new Fixtures.G(p + "ffn_down.weight", 14, FFN, HIDDEN));
            list.add(new Fixtures.G(p + "attn_norm.weight", 0, HIDDEN));
            list.add(new Fixtures.G(p + "ffn_norm.weight", 0, HIDDEN));
        }
        if (ends) {
            list.add(new Fixtures.G("output_norm.weight", 0, HIDDEN));
            list.add(new Fixtures.G("output.weight", 14, HIDDEN, VOCAB));
        }
        return list;
    }

    @Test
    void aGgufFileGivesItsTensorBytesFromTheHeaderAlone() throws Exception {
        String repo = "test-org/llama-3-8b-GGUF";
        List<Fixtures.G> tensors = ggufTensors(0, LAYERS, true);
        long tensorBytes = tensors.stream().mapToLong(Fixtures::ggmlBytes).sum();
        Fixtures.Lazy file = llamaGguf(ggufMetadata(), tensors);
        assertThat(file.head().length).isGreaterThan(1_000_000); // the vocabulary alone is about 1.9 MB
        hub.file(repo, "llama-3-8b.Q4_K_M.gguf", file);
        hub.file(repo, "llama-3-8b.Q8_0.gguf", file);
        JsonNode fit = json(run(env(), "fit", "hf:" + repo + "/llama-3-8b.Q4_K_M.gguf", "--format", "json"));
        assertThat(fit.at("/memory/components/weights").asLong()).isEqualTo(tensorBytes);
        assertThat(fit.at("/workload/quant").asText()).isEqualTo("q4_k_m");
        assertThat(hub.bytesServed()).isLessThan(file.size() / 10);
        // Several GGUF models in one repository: the user must name one.
        CliRunner.Result several = run(env(), "fit", "hf:" + repo);
        assertThat(several.exitCode()).isEqualTo(2);
        assertThat(several.err()).contains("holds several GGUF models").contains("name one file");
    }

    @Test
    void splitGgufFilesInASubfolderAreReadShardByShard() throws Exception {
        String repo = "test-org/big-GGUF";
        List<Fixtures.G> first = ggufTensors(0, 16, false);
        first.add(0, new Fixtures.G("token_embd.weight", 12, HIDDEN, VOCAB));
        List<Fixtures.G> second = ggufTensors(16, LAYERS, false);
        second.add(new Fixtures.G("output_norm.weight", 0, HIDDEN));
        second.add(new Fixtures.G("output.weight", 14, HIDDEN, VOCAB));
        hub.file(repo, "Q4_K_M/big-00001-of-00002.gguf", ggufMetadata().u32("split.count", 2).lazy(first));
        hub.file(repo, "Q4_K_M/big-00002-of-00002.gguf", new Fixtures.Gguf().u32("split.count", 2).lazy(second));
        long bytes = first.stream().mapToLong(Fixtures::ggmlBytes).sum() + second.stream().mapToLong(Fixtures::ggmlBytes).sum();
        JsonNode fit = json(run(env(), "fit", "hf:" + repo + "/Q4_K_M/big-00001-of-00002.gguf", "--format", "json"));
        assertThat(fit.at("/memory/components/weights").asLong()).isEqualTo(bytes);
        assertThat(hub.requests()).anyMatch(r -> r.startsWith("HEAD /test-org/big-GGUF/resolve/main/Q4_K_M/big-00002-of-00002.gguf"));
    }

    @Test
    void revisionsAreAskedForByName() throws Exception {
        String repo = "test-org/revised";
        hub.file(repo, "v1.0", "config.json", lazy(Fixtures.llamaConfig(64, 2, 4, 2, 128, 256, 512, "bfloat16")));
        hub.file(repo, "v1.0", "model.safetensors", Fixtures.safetensorsLazy(Fixtures.llamaTensors("BF16", 64, 2, 4, 2, 128, 256)));
        hub.file(repo, "main", "README.md", lazy("moved"));
        JsonNode fit = json(run(env(), "fit", "hf:" + repo + "@v1.0", "--format", "json"));
        assertThat(fit.at("/model/id").asText()).isEqualTo("hf:test-org/revised@v1.0");
        assertThat(fit.at("/model/parameters").asLong()).isEqualTo(106_816);
        assertThat(hub.requests()).anyMatch(r -> r.startsWith("GET /api/models/test-org/revised/revision/v1.0"))
                .anyMatch(r -> r.startsWith("HEAD /test-org/revised/resolve/v1.0/model.safetensors"));
        CliRunner.Result none = run(env(), "fit", "hf:" + repo + "@v9");
        assertThat(none.exitCode()).isEqualTo(3);
        assertThat(none.err()).hasLineCount(1).contains("has no revision 'v9' (HTTP 404)");
    }

    static Fixtures.Lazy lazy(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new Fixtures.Lazy(b, b.length);
    }

    @Test
    void gatedRepositoriesNeedTheTokenWhichNeverLeavesTheHubsHost() throws Exception {
        singleFileRepo("gated-org/llama-3-8b");
        hub.gate("gated-org/llama-3-8b", "hf_good");
        CliRunner.Result denied = run(env(), "fit", "hf:gated-org/llama-3-8b");
        assertThat(denied.exitCode()).isEqualTo(3);
        assertThat(denied.err().strip()).isEqualTo("llmplan fit: hf:gated-org/llama-3-8b/config.json: access denied (HTTP 401),"
                + " the repository is gated or private; accept its licence at " + hub.endpoint()
                + "/gated-org/llama-3-8b and set HF_TOKEN to an access token of that account");
        CliRunner.Result wrong = run(env("HF_TOKEN", "hf_other"), "fit", "hf:gated-org/llama-3-8b");
        assertThat(wrong.err()).contains("(HTTP 403)").contains("the token from HF_TOKEN has no access");
        JsonNode fit = json(run(env("HF_TOKEN", "hf_good"), "fit", "hf:gated-org/llama-3-8b", "--format", "json"));
        assertThat(fit.at("/model/parameters").asLong()).isEqualTo(LLAMA3_8B_PARAMS);
        // The 16 GB file is redirected to the CDN host; the bearer token was not sent there.
        assertThat(hub.requests()).anyMatch(r -> r.startsWith("GET /cdn/gated-org/llama-3-8b/"));
        assertThat(hub.cdnAuthorization()).isEmpty();
    }

    @Test
    void theTokenFileHuggingfaceHubWritesIsUsed() throws Exception {
        singleFileRepo("gated-org/llama-3-8b");
        hub.gate("gated-org/llama-3-8b", "hf_from_file");
        Path hfHome = Files.createDirectories(tmp.resolve("hf-home"));
        Files.writeString(hfHome.resolve("token"), "hf_from_file\n");
        JsonNode fit = json(run(env("HF_HOME", hfHome.toString()), "fit", "hf:gated-org/llama-3-8b", "--format", "json"));
        assertThat(fit.at("/model/parameters").asLong()).isEqualTo(LLAMA3_8B_PARAMS);
        // Its default place: $XDG_CACHE_HOME/huggingface/token.
        Files.createDirectories(tmp.resolve("cache/huggingface"));
        Files.writeString(tmp.resolve("cache/huggingface/token"), "hf_from_file");
        assertThat(run(env(), "fit", "hf:gated-org/llama-3-8b").exitCode()).isZero();
    }

    @Test
    void missingRepositoriesAndFilesAreOneLineErrors() {
        CliRunner.Result repo = run(env(), "fit", "hf:nobody/nothing");
        assertThat(repo.exitCode()).isEqualTo(3);
        assertThat(repo.err().strip()).isEqualTo("llmplan fit: hf:nobody/nothing: no such model repository at " + hub.endpoint()
                + " (HTTP 401); check the name, or set HF_TOKEN if it is private");
        hub.file("test-org/x", "config.json", "{}");
        CliRunner.Result file = run(env(), "fit", "hf:test-org/x/missing.gguf");
        assertThat(file.exitCode()).isEqualTo(3);
        assertThat(file.err().strip()).isEqualTo("llmplan fit: hf:test-org/x/missing.gguf: no such file in hf:test-org/x (HTTP 404)");
        // A bare ORG/NAME that is no catalog model either says both.
        CliRunner.Result bare = run(env(), "fit", "nobody/nothing");
        assertThat(bare.err()).hasLineCount(1).contains("unknown model 'nobody/nothing'")
                .contains("as a hub repository: hf:nobody/nothing: no such model repository");
    }

    @Test
    void slowAndTruncatedAnswersAreBoundedErrors() throws Exception {
        singleFileRepo("test-org/llama-3-8b");
        hub.delayMs = 3000;
        CliRunner.Result slow = run(env("HF_HUB_ETAG_TIMEOUT", "0.5", "HF_HUB_DOWNLOAD_TIMEOUT", "0.5"), "fit",
                "hf:test-org/llama-3-8b");
        assertThat(slow.exitCode()).isEqualTo(3);
        assertThat(slow.err().strip()).isEqualTo("llmplan fit: hf:test-org/llama-3-8b: cannot reach " + hub.endpoint()
                + " (no complete answer within 0.5 s) (time-outs: HF_HUB_ETAG_TIMEOUT, HF_HUB_DOWNLOAD_TIMEOUT) and its file"
                + " list is not in the cache; check the network or HTTPS_PROXY, or run once online");
        hub.delayMs = 0;
        hub.truncate = true;
        CliRunner.Result cut = run(env(), "fit", "hf:test-org/llama-3-8b");
        assertThat(cut.exitCode()).isEqualTo(3);
        assertThat(cut.err()).hasLineCount(1).contains("hf:test-org/llama-3-8b/config.json: ")
                .contains("(truncated response); try again");
    }

    @Test
    void offlineWithNothingCachedAndNoNetworkAreOneLineErrors() throws Exception {
        CliRunner.Result offline = run(env("HF_HUB_OFFLINE", "1"), "fit", "hf:test-org/llama-3-8b");
        assertThat(offline.exitCode()).isEqualTo(3);
        assertThat(offline.err().strip()).isEqualTo("llmplan fit: hf:test-org/llama-3-8b: offline mode is on (HF_HUB_OFFLINE)"
                + " and its file list is not in the cache (" + tmp.resolve("cache/llmplan/hub")
                + "); unset HF_HUB_OFFLINE and run once online");
        int port = hub.port();
        hub.close();
        CliRunner.Result down = run(env("HF_ENDPOINT", "http://127.0.0.1:" + port), "fit", "hf:test-org/llama-3-8b");
        assertThat(down.exitCode()).isEqualTo(3);
        assertThat(down.err()).hasLineCount(1).contains("cannot reach http://127.0.0.1:" + port + " (connection refused)");
    }

    @Test
    void headersBeyondTheLimitAndMalformedHeadersAreRefused() throws Exception {
        String repo = "test-org/broken";
        hub.file(repo, "config.json", Fixtures.llamaConfig(64, 2, 4, 2, 128, 256, 512, "bfloat16"));
        // A header length of 80 MiB: within the format's 100 MB cap, beyond the 64 MiB llmplan reads from one hub file.
        byte[] huge = new byte[8];
        java.nio.ByteBuffer.wrap(huge).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(80L * 1024 * 1024);
        hub.file(repo, "model.safetensors", new Fixtures.Lazy(huge, 200L * 1024 * 1024));
        CliRunner.Result big = run(env(), "fit", "hf:" + repo);
        assertThat(big.exitCode()).isEqualTo(3);
        assertThat(big.err().strip()).isEqualTo("llmplan fit: hf:test-org/broken/model.safetensors: the header needs more"
                + " than 64 MiB, the most llmplan reads from one hub file (corrupt or unusual file?)");
        assertThat(hub.bytesServed()).isLessThan(1_000_000);
        byte[] bad = "\u0010\0\0\0\0\0\0\0{not json at all}".getBytes(StandardCharsets.ISO_8859_1);
        hub.file(repo, "model.safetensors", new Fixtures.Lazy(bad, bad.length));
        CliRunner.Result malformed = run(env(), "fit", "hf:" + repo);
        assertThat(malformed.exitCode()).isEqualTo(3);
        assertThat(malformed.err()).hasLineCount(1)
                .startsWith("llmplan fit: hf:test-org/broken/model.safetensors: corrupt or unsupported file: header is not valid JSON");
    }

    @Test
    void everyCommandThatTakesAModelReadsTheHub() throws Exception {
        singleFileRepo("test-org/llama-3-8b");
        Map<String, String> env = env();
        assertThat(json(run(env, "recommend", "hf:test-org/llama-3-8b", "--quant", "4bit", "--format", "json")).toString())
                .contains("hf:test-org/llama-3-8b");
        assertThat(json(run(env, "inspect", "hf:test-org/llama-3-8b", "--format", "json")).at("/model/parameters").asLong())
                .isEqualTo(LLAMA3_8B_PARAMS);
        Path plan = tmp.resolve("plan.yaml");
        Files.writeString(plan, "schemaVersion: 1\nentries:\n  - name: hub\n    model: hf:test-org/llama-3-8b\n"
                + "    workload:\n      quant: q4_k_m\n    hardware:\n      gpu: rtx-4090\n");
        CliRunner.Result check = run(env, "check", plan.toString());
        assertThat(check.exitCode()).as(check.err()).isZero();
        assertThat(check.out()).contains("hub");
    }

    @Test
    void proxiesFromTheEnvironmentCarryTheRequests() throws Exception {
        singleFileRepo("test-org/llama-3-8b");
        // The hub's name does not resolve; only the proxy (the fake, which also answers absolute-form requests) is reachable.
        Map<String, String> env = env("HF_ENDPOINT", "http://hub.invalid", "HTTP_PROXY", hub.endpoint());
        JsonNode fit = json(run(env, "fit", "hf:test-org/llama-3-8b", "--format", "json"));
        assertThat(fit.at("/model/parameters").asLong()).isEqualTo(LLAMA3_8B_PARAMS);
        // NO_PROXY sends it direct, where hub.invalid cannot be found.
        env.put("NO_PROXY", ".invalid");
        env.put("XDG_CACHE_HOME", tmp.resolve("other-cache").toString());
        CliRunner.Result direct = run(env, "fit", "hf:test-org/llama-3-8b");
        assertThat(direct.exitCode()).isEqualTo(3);
        assertThat(direct.err()).contains("cannot reach http://hub.invalid");
    }
}
