package dev.llmplan.modelfile;

import dev.llmplan.engine.LlmplanException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafetensorsFileTest {
    @TempDir
    Path dir;

    @Test
    void readsNamesShapesDtypesAndExactBytesFromTheHeaderOnly() throws IOException {
        Path f = dir.resolve("model.safetensors");
        long written = Fixtures.safetensors(f, List.of(
                new Fixtures.T("a.weight", "BF16", 64, 32),
                new Fixtures.T("b.weight", "F32", 10),
                new Fixtures.T("c.qweight", "I32", 4, 8)));
        SafetensorsFile s = SafetensorsFile.read(f);
        assertThat(s.tensors()).hasSize(3);
        assertThat(s.tensors().get(0).shape()).containsExactly(64L, 32L);
        // 64*32*2 + 10*4 + 32*4 bytes, as written
        assertThat(written).isEqualTo(4096 + 40 + 128);
        assertThat(s.tensors().stream().mapToLong(TensorEntry::bytes).sum()).isEqualTo(written);
        assertThat(s.metadata()).containsEntry("format", "pt");
        assertThat(s.fileBytes()).isEqualTo(Files.size(f));
    }

    @Test
    void truncatedDataIsACorruptFileError() throws IOException {
        Path f = dir.resolve("t.safetensors");
        byte[] ok = Fixtures.safetensorsBytes(List.of(new Fixtures.T("a", "F16", 100)));
        Files.write(f, Arrays.copyOf(ok, ok.length - 1));
        assertBadData(f, "outside");
    }

    @Test
    void headerLengthBeyondTheLimitOrTheFileIsRejected() throws IOException {
        Path f = dir.resolve("h.safetensors");
        Files.write(f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).array());
        assertBadData(f, "header length");
        Files.write(f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array());
        assertBadData(f, "truncated");
        Files.write(f, new byte[3]);
        assertBadData(f, "shorter");
    }

    @Test
    void bytesThatDisagreeWithDtypeAndShapeAreRejected() throws IOException {
        assertBadData(header("{\"a\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,9]}}", 9), "not 4 x 16 bits");
    }

    @Test
    void overlappingRangesAndMissingFieldsAreRejected() throws IOException {
        assertBadData(header("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[2,6]}}", 8), "overlap");
        assertBadData(header("{\"a\":{\"dtype\":\"U8\",\"shape\":[4]}}", 4), "lacks");
        assertBadData(header("[1,2]", 0), "not a JSON object");
        assertBadData(header("{\"a\":", 0), "not valid JSON");
        assertBadData(header("{\"a\":{\"dtype\":\"U8\",\"shape\":[1099511627776,2],\"data_offsets\":[0,0]}}", 0), "2^40");
    }

    private Path header(String json, int dataBytes) throws IOException {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = dir.resolve("x" + System.nanoTime() + ".safetensors");
        Files.write(f, b.array());
        return f;
    }

    static void assertBadData(Path f, String fragment) {
        assertThatThrownBy(() -> SafetensorsFile.read(f))
                .isInstanceOfSatisfying(LlmplanException.class, e -> assertThat(e.kind()).isEqualTo(LlmplanException.Kind.BAD_DATA))
                .hasMessageContaining("corrupt or unsupported file")
                .hasMessageContaining(fragment);
    }
}
