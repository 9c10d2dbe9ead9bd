package dev.llmplan.hub;

import dev.llmplan.engine.LlmplanException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hub references, settings from the environment and proxy selection, each as huggingface_hub or curl reads them. */
class HubSettingsTest {
    @TempDir
    Path tmp;

    @Test
    void referencesParseRepoRevisionAndPath() {
        assertThat(HubRef.parse("hf:meta-llama/Llama-3.1-8B")).isEqualTo(new HubRef("meta-llama/Llama-3.1-8B", null, null));
        assertThat(HubRef.parse("hf:org/name@v1.0")).isEqualTo(new HubRef("org/name", "v1.0", null));
        assertThat(HubRef.parse("hf://org/name@refs%2Fpr%2F3/sub/m.gguf"))
                .isEqualTo(new HubRef("org/name", "refs/pr/3", "sub/m.gguf"));
        assertThat(HubRef.parse("hf:org/name/Q4_K_M/m-00001-of-00002.gguf").namesFile()).isTrue();
        assertThat(HubRef.parse("hf:org/name/Q4_K_M/").path()).isEqualTo("Q4_K_M");
        assertThat(HubRef.parse("org/name").effectiveRevision()).isEqualTo("main");
        assertThat(HubRef.parse("hf:org/name@v2").label("config.json")).isEqualTo("hf:org/name@v2/config.json");
        for (String bad : List.of("hf:name-only", "hf:org/na me", "hf:org/../etc", "hf:org/name/../x.gguf", "hf:org/name@")) {
            assertThatThrownBy(() -> HubRef.parse(bad)).as(bad).isInstanceOf(LlmplanException.class);
        }
    }

    @Test
    void repoIdsHaveTheShapeHuggingfaceHubValidates() {
        assertThat(HubRef.isRepoId("meta-llama/Llama-3.1-8B")).isTrue();
        assertThat(HubRef.isRepoId("Qwen/Qwen2.5-7B-Instruct")).isTrue();
        assertThat(HubRef.isRepoId("llama-2-7b")).isFalse();
        assertThat(HubRef.isRepoId("a/b/c")).isFalse();
        assertThat(HubRef.isRepoId("org--x/name")).isFalse();
        assertThat(HubRef.isReference("HF:org/name")).isTrue();
    }

    @Test
    void settingsComeFromTheHuggingfaceHubVariables() throws Exception {
        HubSettings d = HubSettings.from(Map.of("HOME", tmp.toString()));
        assertThat(d.endpoint()).isEqualTo("https://huggingface.co");
        assertThat(d.token()).isNull();
        assertThat(d.offline()).isFalse();
        assertThat(d.cacheDir()).isEqualTo(tmp.resolve(".cache/llmplan/hub"));
        assertThat(d.metadataTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.downloadTimeout()).isEqualTo(Duration.ofSeconds(10));
        // ~/.cache/huggingface/token is where `huggingface-cli login` writes the token by default.
        Files.createDirectories(tmp.resolve(".cache/huggingface"));
        Files.writeString(tmp.resolve(".cache/huggingface/token"), "hf_file\n");
        assertThat(HubSettings.from(Map.of("HOME", tmp.toString())).token()).isEqualTo("hf_file");
        HubSettings s = HubSettings.from(Map.of("HOME", tmp.toString(), "HF_ENDPOINT", "https://hf-mirror.example/",
                "HF_TOKEN", "hf_env", "HF_HUB_OFFLINE", "yes", "XDG_CACHE_HOME", tmp.resolve("x").toString(),
                "HF_HUB_DOWNLOAD_TIMEOUT", "2.5"));
        assertThat(s.endpoint()).isEqualTo("https://hf-mirror.example");
        assertThat(s.token()).isEqualTo("hf_env");
        assertThat(s.tokenSource()).isEqualTo("HF_TOKEN");
        assertThat(s.offline()).isTrue();
        assertThat(s.cacheDir()).isEqualTo(tmp.resolve("x/llmplan/hub"));
        assertThat(s.downloadTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThatThrownBy(() -> HubSettings.from(Map.of("HF_ENDPOINT", "ftp://x"))).hasMessageContaining("HF_ENDPOINT");
        assertThatThrownBy(() -> HubSettings.from(Map.of("HF_HUB_ETAG_TIMEOUT", "soon"))).hasMessageContaining("HF_HUB_ETAG_TIMEOUT");
    }

    @Test
    void proxiesFollowSchemeAndNoProxy() {
        EnvProxySelector p = new EnvProxySelector(Map.of("HTTPS_PROXY", "http://127.0.0.1:3128", "http_proxy", "127.0.0.1:8080",
                "NO_PROXY", "localhost, .internal.example,corp.example"));
        assertThat(p.select(URI.create("https://huggingface.co/x")).get(0).address().toString()).endsWith(":3128");
        assertThat(p.select(URI.create("http://huggingface.co/x")).get(0).address().toString()).endsWith(":8080");
        assertThat(p.select(URI.create("https://localhost/x"))).containsExactly(Proxy.NO_PROXY);
        assertThat(p.select(URI.create("https://a.internal.example/x"))).containsExactly(Proxy.NO_PROXY);
        assertThat(p.select(URI.create("https://corp.example/x"))).containsExactly(Proxy.NO_PROXY);
        assertThat(p.select(URI.create("https://x.corp.example/x"))).containsExactly(Proxy.NO_PROXY);
        assertThat(p.select(URI.create("https://notcorp.example/x")).get(0)).isNotEqualTo(Proxy.NO_PROXY);
        assertThat(new EnvProxySelector(Map.of("HTTPS_PROXY", "http://127.0.0.1:1", "NO_PROXY", "*"))
                .select(URI.create("https://huggingface.co"))).containsExactly(Proxy.NO_PROXY);
        assertThat(new EnvProxySelector(Map.of()).any()).isFalse();
    }
}
