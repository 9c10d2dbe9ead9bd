package dev.llmplan.modelfile;

import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GgufFileTest {
    @TempDir
    Path dir;

    @Test
    void weightsAreTheSumOfEachTensorsGgmlSizeToTheByte() throws IOException {
        Path f = dir.resolve("tiny.Q4_K_M.gguf");
        long expected = Fixtures.llamaMetadata().write(f, Fixtures.llamaGgufTensors());
        // Q4_K 144 B / 256, Q6_K 210 B / 256, F32 4 B (ggml.c type_traits):
        // q4_k: 76800 + 2*(65536+32768+65536+131072+131072) = 928768 elements -> 3628 blocks -> 522432 B
        // q6_k: 2*(32768+131072) + 76800 = 404480 elements -> 1580 blocks -> 331800 B; f32: 5*256*4 = 5120 B
        assertThat(expected).isEqualTo(522_432 + 331_800 + 5_120);
        LocalModel m = ModelFiles.read(f);
        assertThat(m.spec().exactWeightBytes()).isEqualTo(expected);
        assertThat(m.spec().parameters()).isEqualTo(928_768 + 404_480 + 1_280);
        assertThat(m.spec().origin()).isEqualTo(ModelSpec.Origin.FILE);
        assertThat(m.defaultQuant()).isEqualTo("q4_k_m");
        assertThat(m.inspection().typeTotals()).extracting(TypeTotal::type).containsExactly("q4_k", "q6_k", "f32");
        var a = m.spec().arch();
        assertThat(a.layers()).isEqualTo(2);
        assertThat(a.hidden()).isEqualTo(256);
        assertThat(a.heads()).isEqualTo(4);
        assertThat(a.kvHeads()).isEqualTo(2);
        assertThat(a.ffn()).isEqualTo(512);
        assertThat(a.vocab()).isEqualTo(300);
        assertThat(a.maxContext()).isEqualTo(2048);
        assertThat(a.tiedEmbeddings()).isFalse();
        assertThat(m.spec().name()).isEqualTo("tiny-llama");
    }

    @Test
    void slidingWindowAndExpertsComeFromTheMetadata() throws IOException {
        Path f = dir.resolve("g.gguf");
        new Fixtures.Gguf().str("general.architecture", "gemma2").u32("gemma2.block_count", 2)
                .u32("gemma2.embedding_length", 256).u32("gemma2.attention.head_count", 4)
                .u32("gemma2.attention.head_count_kv", 2).u32("gemma2.attention.key_length", 128)
                .u32("gemma2.attention.sliding_window", 4096).u32("gemma2.expert_count", 8)
                .u32("gemma2.expert_used_count", 2).i32s("gemma2.feed_forward_length", 512, 1024)
                .write(f, List.of(new Fixtures.G("token_embd.weight", 1, 256, 10)));
        var a = ModelFiles.read(f).spec().arch();
        assertThat(a.slidingWindow()).isEqualTo(4096);
        assertThat(a.fullAttentionEvery()).isEqualTo(2);
        assertThat(a.headDim()).isEqualTo(128);
        assertThat(a.experts()).isEqualTo(8);
        assertThat(a.expertsPerToken()).isEqualTo(2);
        assertThat(a.ffn()).isEqualTo(1024); // per-layer array: the largest layer
        assertThat(a.tiedEmbeddings()).isTrue();
    }

    @Test
    void splitFilesAreReadTogether() throws IOException {
        List<Fixtures.G> all = Fixtures.llamaGgufTensors();
        long a = Fixtures.llamaMetadata().u32("split.count", 2).write(dir.resolve("m-00001-of-00002.gguf"), all.subList(0, 10));
        long b = new Fixtures.Gguf().u32("split.count", 2).write(dir.resolve("m-00002-of-00002.gguf"), all.subList(10, all.size()));
        LocalModel m = ModelFiles.read(dir.resolve("m-00002-of-00002.gguf"));
        assertThat(m.spec().exactWeightBytes()).isEqualTo(a + b).isEqualTo(522_432 + 331_800 + 5_120);
        assertThat(m.inspection().files()).hasSize(2);
        assertThat(m.spec().arch().layers()).isEqualTo(2);
        Files.delete(dir.resolve("m-00002-of-00002.gguf"));
        assertThatThrownBy(() -> ModelFiles.read(dir.resolve("m-00001-of-00002.gguf")))
                .isInstanceOf(LlmplanException.class).hasMessageContaining("missing");
    }

    @Test
    void versionTwoIsReadAndOtherVersionsAndMagicsAreRejected() throws IOException {
        Path f = dir.resolve("v.gguf");
        Fixtures.llamaMetadata().version(2).write(f, Fixtures.llamaGgufTensors());
        assertThat(ModelFiles.read(f).spec().exactWeightBytes()).isEqualTo(859_352);
        Fixtures.llamaMetadata().version(1).write(f, Fixtures.llamaGgufTensors());
        assertBadData(f, "version 1");
        byte[] b = Files.readAllBytes(f);
        b[0] = 'X';
        Files.write(f, b);
        assertBadData(f, "wrong magic");
    }

    @Test
    void truncationAndImpossibleLengthsAreCleanErrors() throws IOException {
        Path f = dir.resolve("t.gguf");
        byte[] ok = Fixtures.llamaMetadata().bytes(Fixtures.llamaGgufTensors());
        Files.write(f, Arrays.copyOf(ok, ok.length - 100));
        assertBadData(f, "outside the file");
        Files.write(f, Arrays.copyOf(ok, 300));
        assertBadData(f, "truncated");
        // tensor count 2^62
        byte[] big = ok.clone();
        big[15] = 0x40;
        Files.write(f, big);
        assertBadData(f, "tensor count");
        // a 4 GiB string length for the first key
        Path s = dir.resolve("s.gguf");
        Files.write(s, new Fixtures.Gguf().str("general.architecture", "llama").bytes(List.of()));
        byte[] sb = Files.readAllBytes(s);
        sb[24 + 4] = 1;
        Files.write(s, sb);
        assertBadData(s, "exceeds");
    }

    @Test
    void unknownTypesAndPartialBlocksAreRejected() throws IOException {
        Path f = dir.resolve("u.gguf");
        Files.write(f, new Fixtures.Gguf().bytes(List.of(new Fixtures.G("x", 4, 32))));
        assertBadData(f, "unknown ggml type 4");
        Files.write(f, new Fixtures.Gguf().bytes(List.of(new Fixtures.G("x", 0, 1, 1, 1, 1, 1))));
        assertBadData(f, "dimensions");
    }

    static void assertBadData(Path f, String fragment) {
        assertThatThrownBy(() -> ModelFiles.read(f))
                .isInstanceOfSatisfying(LlmplanException.class, e -> assertThat(e.kind()).isEqualTo(LlmplanException.Kind.BAD_DATA))
                .hasMessageContaining(fragment);
    }
}
