package dev.llmplan.modelfile;

import dev.llmplan.engine.LlmplanException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelFilesTest {
    @TempDir
    Path dir;

    /** A tiny Llama folder as save_pretrained writes it: config.json, two shards and the index. */
    static long writeShardedLlama(Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), Fixtures.llamaConfig(64, 2, 4, 2, 128, 256, 512, "bfloat16"));
        List<Fixtures.T> all = Fixtures.llamaTensors("BF16", 64, 2, 4, 2, 128, 256);
        List<Fixtures.T> first = all.subList(0, 10);
        List<Fixtures.T> second = all.subList(10, all.size());
        long bytes = Fixtures.safetensors(dir.resolve("model-00001-of-00002.safetensors"), first)
                + Fixtures.safetensors(dir.resolve("model-00002-of-00002.safetensors"), second);
        StringBuilder map = new StringBuilder();
        for (Fixtures.T t : all) {
            map.append(map.length() == 0 ? "" : ",").append('"').append(t.name()).append("\":\"model-0000")
                    .append(first.contains(t) ? 1 : 2).append("-of-00002.safetensors\"");
        }
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"metadata\":{\"total_size\":" + bytes + "},\"weight_map\":{" + map + "}}");
        return bytes;
    }

    @Test
    void shardedFolderGivesExactBytesAndParameters() throws IOException {
        long bytes = writeShardedLlama(dir);
        // embed 256x64 + 2 x (q 64x64 + k, v 32x64 + o 64x64 + 3 x 128x64 + 2 x 64) + 64 + lm_head 256x64
        long params = 16_384 + 2 * (4_096 + 2_048 + 2_048 + 4_096 + 24_576 + 128) + 64 + 16_384;
        assertThat(params).isEqualTo(106_816);
        assertThat(bytes).isEqualTo(2 * params);
        for (Path p : List.of(dir, dir.resolve("config.json"), dir.resolve("model-00001-of-00002.safetensors"),
                dir.resolve("model.safetensors.index.json"))) {
            LocalModel m = ModelFiles.read(p);
            assertThat(m.spec().exactWeightBytes()).as(p.toString()).isEqualTo(bytes);
            assertThat(m.spec().parameters()).isEqualTo(params);
            assertThat(m.defaultQuant()).isEqualTo("bf16");
            assertThat(m.inspection().files()).hasSize(2);
        }
        // Derived from config.json, the same model has the same count (Llama has no biases).
        Files.delete(dir.resolve("model.safetensors.index.json"));
        assertThat(ModelFiles.read(dir).inspection().files()).hasSize(2);
    }

    @Test
    void indexNamingAMissingOrOutsideShardIsAnError() throws IOException {
        writeShardedLlama(dir);
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        assertThatThrownBy(() -> ModelFiles.read(dir)).isInstanceOf(LlmplanException.class).hasMessageContaining("missing");
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"weight_map\":{\"a\":\"../../etc/passwd\"}}");
        assertThatThrownBy(() -> ModelFiles.read(dir)).isInstanceOf(LlmplanException.class)
                .hasMessageContaining("not a .safetensors file in this folder");
    }

    @Test
    void gptqCheckpointCountsPackedWeightsAndDefaultsToItsFormat() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"model_type\":\"llama\",\"hidden_size\":64,\"num_hidden_layers\":1,"
                + "\"num_attention_heads\":4,\"torch_dtype\":\"float16\","
                + "\"quantization_config\":{\"quant_method\":\"gptq\",\"bits\":4,\"group_size\":32}}");
        long bytes = Fixtures.safetensors(dir.resolve("model.safetensors"), List.of(
                new Fixtures.T("l.qweight", "I32", 8, 64),     // 64 x 64 weights, 8 per int32
                new Fixtures.T("l.qzeros", "I32", 2, 8),
                new Fixtures.T("l.scales", "F16", 2, 64),
                new Fixtures.T("l.g_idx", "I32", 64),
                new Fixtures.T("embed.weight", "F16", 10, 64)));
        LocalModel m = ModelFiles.read(dir);
        assertThat(m.spec().parameters()).isEqualTo(64 * 64 + 640);
        assertThat(m.spec().exactWeightBytes()).isEqualTo(bytes).isEqualTo(2048 + 64 + 256 + 256 + 1280);
        assertThat(m.defaultQuant()).isEqualTo("gptq-4bit-g32");
        assertThat(m.spec().nativePrecision()).isEqualTo("fp16");
    }

    @Test
    void folderWithoutModelFilesOrWithSeveralGgufModelsIsRefused() throws IOException {
        assertThatThrownBy(() -> ModelFiles.read(dir)).isInstanceOfSatisfying(LlmplanException.class,
                e -> assertThat(e.kind()).isEqualTo(LlmplanException.Kind.BAD_DATA)).hasMessageContaining("no config.json");
        Fixtures.llamaMetadata().write(dir.resolve("a.gguf"), Fixtures.llamaGgufTensors());
        Fixtures.llamaMetadata().write(dir.resolve("b.gguf"), Fixtures.llamaGgufTensors());
        assertThatThrownBy(() -> ModelFiles.read(dir)).isInstanceOf(LlmplanException.class).hasMessageContaining("several GGUF");
        assertThatThrownBy(() -> ModelFiles.read(dir.resolve("nope.gguf"))).isInstanceOf(LlmplanException.class)
                .hasMessageContaining("no such file");
    }

    @Test
    void configWithoutTheShapeCannotBeDerived() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"model_type\":\"llama\",\"vocab_size\":32000}");
        assertThatThrownBy(() -> ModelFiles.read(dir)).isInstanceOfSatisfying(LlmplanException.class,
                e -> assertThat(e.kind()).isEqualTo(LlmplanException.Kind.BAD_DATA)).hasMessageContaining("cannot derive");
        Files.writeString(dir.resolve("config.json"), "{\"model_type\":");
        assertThatThrownBy(() -> ModelFiles.read(dir)).isInstanceOf(LlmplanException.class).hasMessageContaining("invalid JSON");
    }
}
