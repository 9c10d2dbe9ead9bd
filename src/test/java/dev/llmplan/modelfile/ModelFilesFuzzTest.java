package dev.llmplan.modelfile;

import dev.llmplan.engine.LlmplanException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Mutates valid headers (byte flips, random bytes, truncation) with a fixed seed: every outcome must
 * be a clean bad-data error or a self-consistent answer, never another exception, a hang or an OOM.
 */
class ModelFilesFuzzTest {
    private static final int ITERATIONS = 2500;

    @TempDir
    Path dir;

    @Test
    void mutatedSafetensorsHeaders() throws IOException {
        byte[] valid = Fixtures.safetensorsBytes(Fixtures.llamaTensors("BF16", 16, 2, 2, 1, 32, 40));
        int headerEnd = 8 + (int) ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        fuzz(valid, headerEnd, dir.resolve("f.safetensors"), 11);
    }

    @Test
    void mutatedGgufHeaders() throws IOException {
        List<Fixtures.G> tensors = List.of(new Fixtures.G("token_embd.weight", 8, 32, 20),
                new Fixtures.G("blk.0.attn_q.weight", 0, 32, 32), new Fixtures.G("output_norm.weight", 0, 32));
        byte[] valid = new Fixtures.Gguf().str("general.architecture", "llama").u32("llama.block_count", 1)
                .u32("llama.embedding_length", 32).u32("llama.attention.head_count", 4).strings("tokenizer.ggml.tokens", 20)
                .i32s("llama.feed_forward_length", 64).bytes(tensors);
        int dataStart = valid.length - (int) (Fixtures.align(20 * 32 / 32 * 34) + Fixtures.align(32 * 32 * 4) + Fixtures.align(128));
        fuzz(valid, dataStart, dir.resolve("f.gguf"), 17);
    }

    private void fuzz(byte[] valid, int headerEnd, Path file, long seed) {
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            Random r = new Random(seed);
            int clean = 0;
            int errors = 0;
            for (int i = 0; i < ITERATIONS; i++) {
                byte[] b = mutate(valid, headerEnd, r);
                Files.write(file, b);
                try {
                    LocalModel m = ModelFiles.read(file);
                    // A mutation the format cannot detect must still give a consistent answer.
                    assertThat(m.spec().exactWeightBytes()).isBetween(0L, (long) b.length);
                    assertThat(m.spec().parameters()).isPositive();
                    clean++;
                } catch (LlmplanException e) {
                    assertThat(e.kind()).as("iteration %d: %s", i, e.getMessage()).isNotNull();
                    assertThat(e.getMessage()).doesNotContain("\n");
                    errors++;
                } catch (Throwable t) {
                    fail("iteration " + i + " (seed " + seed + ") threw " + t, t);
                }
            }
            assertThat(errors).isPositive();
            assertThat(clean + errors).isEqualTo(ITERATIONS);
        });
    }

    private static byte[] mutate(byte[] valid, int headerEnd, Random r) {
        byte[] b = valid.clone();
        switch (r.nextInt(4)) {
            case 0 -> b[r.nextInt(headerEnd)] ^= (byte) (1 << r.nextInt(8));
            case 1 -> {
                for (int k = 0; k < 1 + r.nextInt(4); k++) {
                    b[r.nextInt(headerEnd)] = (byte) r.nextInt(256);
                }
            }
            case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length));
            default -> {
                // 0xff runs in a length or count field: the largest values a file can claim
                int at = r.nextInt(headerEnd);
                for (int k = at; k < Math.min(headerEnd, at + 1 + r.nextInt(8)); k++) {
                    b[k] = (byte) 0xff;
                }
            }
        }
        return b;
    }
}
