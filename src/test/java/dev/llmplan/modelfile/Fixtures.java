package dev.llmplan.modelfile;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds small, valid safetensors and GGUF files in code, laid out as their format documents say. */
public final class Fixtures {
    private Fixtures() {
    }

    /** A tensor to write: safetensors dtype or ggml type id, and its shape (safetensors order). */
    public record T(String name, String dtype, long... shape) {
        long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** Bytes per element of the safetensors dtypes used in tests (safetensors Dtype::size). */
    static int dtypeSize(String dtype) {
        return switch (dtype) {
            case "F32", "I32" -> 4;
            case "BF16", "F16" -> 2;
            case "U8", "I8", "F8_E4M3" -> 1;
            default -> throw new IllegalArgumentException(dtype);
        };
    }

    /** Writes a safetensors file; returns the total tensor bytes written (the expected exact weight bytes). */
    public static long safetensors(Path file, List<T> tensors) throws IOException {
        Files.write(file, safetensorsBytes(tensors));
        long sum = 0;
        for (T t : tensors) {
            sum += t.elements() * dtypeSize(t.dtype());
        }
        return sum;
    }

    /**
     * A file whose bytes are all known but mostly zeros, kept as its head and its size, so tests can
     * serve multi-gigabyte checkpoints without holding them: bytes past {@code head} read as zeros.
     */
    public record Lazy(byte[] head, long size) {
        public byte[] read(long offset, int length) {
            byte[] out = new byte[length];
            if (offset < head.length) {
                System.arraycopy(head, (int) offset, out, 0, (int) Math.min(length, head.length - offset));
            }
            return out;
        }
    }

    /** A safetensors file as a {@link Lazy}: the 8-byte length and header, then the (zero) tensor data. */
    public static Lazy safetensorsLazy(List<T> tensors) throws IOException {
        byte[] head = safetensorsHead(tensors);
        long data = 0;
        for (T t : tensors) {
            data += t.elements() * dtypeSize(t.dtype());
        }
        return new Lazy(head, head.length + data);
    }

    public static byte[] safetensorsBytes(List<T> tensors) throws IOException {
        byte[] head = safetensorsHead(tensors);
        long data = 0;
        for (T t : tensors) {
            data += t.elements() * dtypeSize(t.dtype());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(head);
        out.write(new byte[(int) data]);
        return out.toByteArray();
    }

    private static byte[] safetensorsHead(List<T> tensors) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", Map.of("format", "pt"));
        long offset = 0;
        for (T t : tensors) {
            long bytes = t.elements() * dtypeSize(t.dtype());
            List<Long> shape = new ArrayList<>();
            for (long d : t.shape()) {
                shape.add(d);
            }
            header.put(t.name(), Map.of("dtype", t.dtype(), "shape", shape, "data_offsets", List.of(offset, offset + bytes)));
            offset += bytes;
        }
        byte[] json = new ObjectMapper().writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8; // the reference writer pads the header with spaces to 8 bytes
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.write(json);
        for (int i = json.length; i < padded; i++) {
            out.write(' ');
        }
        return out.toByteArray();
    }

    /** The Llama layout (HF names) for a small model, in one dtype. */
    public static List<T> llamaTensors(String dtype, int hidden, int layers, int heads, int kvHeads, int ffn, int vocab) {
        int hd = hidden / heads;
        List<T> list = new ArrayList<>();
        list.add(new T("model.embed_tokens.weight", dtype, vocab, hidden));
        for (int i = 0; i < layers; i++) {
            String p = "model.layers." + i + ".";
            list.add(new T(p + "self_attn.q_proj.weight", dtype, (long) heads * hd, hidden));
            list.add(new T(p + "self_attn.k_proj.weight", dtype, (long) kvHeads * hd, hidden));
            list.add(new T(p + "self_attn.v_proj.weight", dtype, (long) kvHeads * hd, hidden));
            list.add(new T(p + "self_attn.o_proj.weight", dtype, hidden, (long) heads * hd));
            list.add(new T(p + "mlp.gate_proj.weight", dtype, ffn, hidden));
            list.add(new T(p + "mlp.up_proj.weight", dtype, ffn, hidden));
            list.add(new T(p + "mlp.down_proj.weight", dtype, hidden, ffn));
            list.add(new T(p + "input_layernorm.weight", dtype, hidden));
            list.add(new T(p + "post_attention_layernorm.weight", dtype, hidden));
        }
        list.add(new T("model.norm.weight", dtype, hidden));
        list.add(new T("lm_head.weight", dtype, vocab, hidden));
        return list;
    }

    public static String llamaConfig(int hidden, int layers, int heads, int kvHeads, int ffn, int vocab, int maxPos,
                                     String dtype) {
        return "{\"architectures\":[\"LlamaForCausalLM\"],\"model_type\":\"llama\",\"hidden_size\":" + hidden
                + ",\"intermediate_size\":" + ffn + ",\"num_hidden_layers\":" + layers + ",\"num_attention_heads\":" + heads
                + ",\"num_key_value_heads\":" + kvHeads + ",\"vocab_size\":" + vocab + ",\"max_position_embeddings\":" + maxPos
                + ",\"rms_norm_eps\":1e-05,\"tie_word_embeddings\":false,\"torch_dtype\":\"" + dtype + "\"}";
    }

    // ---- GGUF (ggml/docs/gguf.md) ----

    /** A GGUF tensor: ggml type id and dims in ggml order (ne[0] = row length first). */
    public record G(String name, int type, long... dims) {
    }

    /** Bytes of a GGUF tensor from the ggml block table (ggml.c type_traits), written out independently. */
    public static long ggmlBytes(G t) {
        long n = 1;
        for (long d : t.dims()) {
            n *= d;
        }
        return switch (t.type()) {
            case 0 -> n * 4;             // F32
            case 1 -> n * 2;             // F16
            case 8 -> n / 32 * 34;       // Q8_0
            case 12 -> n / 256 * 144;    // Q4_K
            case 14 -> n / 256 * 210;    // Q6_K
            default -> n;                // any other id: the fixture only needs some bytes
        };
    }

    /** GGUF metadata writer: key then typed value. */
    public static final class Gguf {
        private final ByteArrayOutputStream kv = new ByteArrayOutputStream();
        private int count;
        private int version = 3;

        public Gguf version(int v) {
            version = v;
            return this;
        }

        public Gguf u32(String key, long value) {
            key(key, 4);
            put(kv, 4, value);
            return this;
        }

        public Gguf str(String key, String value) {
            key(key, 8);
            string(kv, value);
            return this;
        }

        public Gguf f32(String key, float value) {
            key(key, 6);
            put(kv, 4, Float.floatToIntBits(value));
            return this;
        }

        public Gguf strings(String key, int n) {
            key(key, 9);
            put(kv, 4, 8);
            put(kv, 8, n);
            for (int i = 0; i < n; i++) {
                string(kv, "t" + i);
            }
            return this;
        }

        public Gguf i32s(String key, int... values) {
            key(key, 9);
            put(kv, 4, 5);
            put(kv, 8, values.length);
            for (int v : values) {
                put(kv, 4, v);
            }
            return this;
        }

        private void key(String key, int type) {
            string(kv, key);
            put(kv, 4, type);
            count++;
        }

        /** The whole file: header, metadata, tensor infos, padding to 32, tensor data (zeros). */
        public byte[] bytes(List<G> tensors) {
            Lazy lazy = lazy(tensors);
            return lazy.read(0, (int) lazy.size());
        }

        /** The file as a {@link Lazy}: everything up to the tensor data, then its (zero) bytes. */
        public Lazy lazy(List<G> tensors) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            put(out, 4, 0x46554747L);
            put(out, 4, version);
            put(out, 8, tensors.size());
            put(out, 8, count);
            out.writeBytes(kv.toByteArray());
            long offset = 0;
            for (G t : tensors) {
                string(out, t.name());
                put(out, 4, t.dims().length);
                for (long d : t.dims()) {
                    put(out, 8, d);
                }
                put(out, 4, t.type());
                put(out, 8, offset);
                offset = align(offset + ggmlBytes(t));
            }
            while (out.size() % 32 != 0) {
                out.write(0);
            }
            return new Lazy(out.toByteArray(), out.size() + offset);
        }

        public long write(Path file, List<G> tensors) throws IOException {
            Files.write(file, bytes(tensors));
            return tensors.stream().mapToLong(Fixtures::ggmlBytes).sum();
        }
    }

    static long align(long v) {
        return (v + 31) / 32 * 32;
    }

    static void put(ByteArrayOutputStream out, int width, long v) {
        for (int i = 0; i < width; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        put(out, 8, b.length);
        out.writeBytes(b);
    }

    /** A small Llama-shaped GGUF: hidden 256, 2 layers, 4 heads (2 KV), ffn 512, vocab 300, Q4_K_M-like mix. */
    public static Gguf llamaMetadata() {
        return new Gguf().str("general.architecture", "llama").str("general.name", "tiny-llama")
                .u32("general.file_type", 15).u32("llama.block_count", 2).u32("llama.context_length", 2048)
                .u32("llama.embedding_length", 256).u32("llama.feed_forward_length", 512)
                .u32("llama.attention.head_count", 4).u32("llama.attention.head_count_kv", 2)
                .f32("llama.rope.freq_base", 10000f).u32("llama.rope.dimension_count", 64)
                .u32("general.alignment", 32).strings("tokenizer.ggml.tokens", 300);
    }

    public static List<G> llamaGgufTensors() {
        List<G> list = new ArrayList<>();
        list.add(new G("token_embd.weight", 12, 256, 300));
        for (int i = 0; i < 2; i++) {
            String p = "blk." + i + ".";
            list.add(new G(p + "attn_q.weight", 12, 256, 256));
            list.add(new G(p + "attn_k.weight", 12, 256, 128));
            list.add(new G(p + "attn_v.weight", 14, 256, 128));
            list.add(new G(p + "attn_output.weight", 12, 256, 256));
            list.add(new G(p + "ffn_gate.weight", 12, 256, 512));
            list.add(new G(p + "ffn_up.weight", 12, 256, 512));
            list.add(new G(p + "ffn_down.weight", 14, 512, 256));
            list.add(new G(p + "attn_norm.weight", 0, 256));
            list.add(new G(p + "ffn_norm.weight", 0, 256));
        }
        list.add(new G("output_norm.weight", 0, 256));
        list.add(new G("output.weight", 14, 256, 300));
        return list;
    }
}
