package dev.llmplan.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GgufFileTypeTest {

    private static final double MIB = 1024.0 * 1024.0;

    @Test
    void blockSizesMatchGgml() {
        assertThat(GgmlType.Q8_0.typeSize()).isEqualTo(34);
        assertThat(GgmlType.Q8_0.blockSize()).isEqualTo(32);
        assertThat(GgmlType.Q8_0.bitsPerWeight()).isEqualTo(8.5);
        assertThat(GgmlType.Q4_K.bitsPerWeight()).isEqualTo(4.5);
        assertThat(GgmlType.Q6_K.bitsPerWeight()).isEqualTo(6.5625);
        assertThat(GgmlType.Q2_K.bitsPerWeight()).isEqualTo(2.625);
        assertThat(GgmlType.IQ4_XS.bitsPerWeight()).isEqualTo(4.25);
        assertThat(GgmlType.MXFP4.bitsPerWeight()).isEqualTo(4.25);
        assertThat(GgmlType.F16.bitsPerWeight()).isEqualTo(16.0);
    }

    @Test
    void idsMatchGguf() {
        assertThat(GgmlType.fromId(12)).isEqualTo(GgmlType.Q4_K);
        assertThat(GgmlType.fromId(30)).isEqualTo(GgmlType.BF16);
        assertThat(GgmlType.fromId(39)).isEqualTo(GgmlType.MXFP4);
        assertThat(GgmlType.fromId(4)).isNull();
        assertThat(GgmlType.Q4_K.typeName()).isEqualTo("q4_k");
        assertThat(GgmlType.fromName("q6_K")).isEqualTo(GgmlType.Q6_K);
    }

    @Test
    void bytesRoundUpToWholeBlocksAndFailOnOverflow() {
        assertThat(GgmlType.Q4_0.bytesFor(32)).isEqualTo(18);
        assertThat(GgmlType.Q4_0.bytesFor(33)).isEqualTo(36);
        assertThat(GgmlType.Q4_K.bytesFor(0)).isZero();
        assertThatThrownBy(() -> GgmlType.F64.bytesFor(Long.MAX_VALUE / 4))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void fileTypeNamesResolve() {
        assertThat(GgufFileType.fromId("q4_k_m")).isEqualTo(GgufFileType.Q4_K_M);
        assertThat(GgufFileType.fromId("mxfp4_moe")).isEqualTo(GgufFileType.MXFP4_MOE);
        assertThat(GgufFileType.fromId("mxfp4")).isEqualTo(GgufFileType.MXFP4_MOE);
        assertThat(GgufFileType.fromId("q9_k")).isNull();
        assertThat(GgufFileType.IQ2_M.baseType()).isEqualTo(GgmlType.IQ2_S);
        assertThat(GgufFileType.fromLlamaFtype(15)).isEqualTo(GgufFileType.Q4_K_M);
        assertThat(GgufFileType.Q4_K_M.source()).contains("llama_tensor_get_type");
    }

    // llama.cpp CI (ggml-org/ci, build 2459, open_llama_7b_v2 on a V100): CUDA0 + CPU model buffers.

    @Test
    void openLlama7bQ4_0() {
        assertTotalMib(GgufFileType.Q4_0, 3577.56 + 70.31);
    }

    @Test
    void openLlama7bQ4_K_M() {
        assertTotalMib(GgufFileType.Q4_K_M, 3820.94 + 70.31);
    }

    @Test
    void openLlama7bQ8_0() {
        assertTotalMib(GgufFileType.Q8_0, 6695.84 + 132.81);
    }

    @Test
    void openLlama7bQ2_K() {
        assertTotalMib(GgufFileType.Q2_K, 2373.81 + 41.02);
    }

    @Test
    void openLlama7bF16() {
        assertTotalMib(GgufFileType.F16, 12603.02 + 250.00);
    }

    @Test
    void openLlama7bTensorCountsMatchTheLogs() {
        // The CI logs list 193 q4_K + 33 q6_K for Q4_K_M and 129 q2_K + 96 q3_K + 1 q6_K for Q2_K.
        assertThat(typeCounts(GgufFileType.Q4_K_M))
                .containsEntry(GgmlType.Q4_K, 193).containsEntry(GgmlType.Q6_K, 33);
        assertThat(typeCounts(GgufFileType.Q2_K))
                .containsEntry(GgmlType.Q2_K, 129).containsEntry(GgmlType.Q3_K, 96)
                .containsEntry(GgmlType.Q6_K, 1);
    }

    @Test
    void cpuSideTokenEmbeddingMatchesTheLogs() {
        Architecture arch = llama7b();
        TensorInventory inv = TensorInventory.of(arch, ModelType.DECODER);
        Tensor embedding = find(inv, TensorRole.TOKEN_EMBEDDING, -1);
        assertThat(mib(GgufFileType.Q2_K, embedding, inv, arch)).isCloseTo(41.02, within(0.01));
        assertThat(mib(GgufFileType.Q4_K_M, embedding, inv, arch)).isCloseTo(70.31, within(0.01));
        assertThat(mib(GgufFileType.Q8_0, embedding, inv, arch)).isCloseTo(132.81, within(0.01));
    }

    @Test
    void normsAndRoutersStayF32() {
        Architecture arch = mixtral();
        TensorInventory inv = TensorInventory.of(arch, ModelType.DECODER);
        assertThat(GgufFileType.Q4_K_M.typeFor(find(inv, TensorRole.NORM, 0), inv, arch)).isEqualTo(GgmlType.F32);
        assertThat(GgufFileType.Q4_K_M.typeFor(find(inv, TensorRole.ROUTER, 0), inv, arch)).isEqualTo(GgmlType.F32);
        assertThat(GgufFileType.F16.typeFor(find(inv, TensorRole.NORM, 0), inv, arch)).isEqualTo(GgmlType.F32);
    }

    @Test
    void eightExpertModelsBumpAttentionV() {
        Architecture arch = mixtral();
        TensorInventory inv = TensorInventory.of(arch, ModelType.DECODER);
        assertThat(GgufFileType.Q4_K_M.typeFor(find(inv, TensorRole.ATTN_V, 10), inv, arch)).isEqualTo(GgmlType.Q8_0);
        assertThat(GgufFileType.Q4_K_M.typeFor(find(inv, TensorRole.ATTN_K, 10), inv, arch)).isEqualTo(GgmlType.Q8_0);
        assertThat(GgufFileType.Q3_K_M.typeFor(find(inv, TensorRole.ATTN_OUTPUT, 10), inv, arch))
                .isEqualTo(GgmlType.Q5_K);
    }

    @Test
    void mxfp4QuantisesOnlyExperts() {
        Architecture arch = mixtral();
        TensorInventory inv = TensorInventory.of(arch, ModelType.DECODER);
        Tensor experts = inv.tensors().stream().filter(Tensor::expert).findFirst().orElseThrow();
        assertThat(GgufFileType.MXFP4_MOE.typeFor(experts, inv, arch)).isEqualTo(GgmlType.MXFP4);
        assertThat(GgufFileType.MXFP4_MOE.typeFor(find(inv, TensorRole.ATTN_Q, 0), inv, arch))
                .isEqualTo(GgmlType.Q8_0);
        assertThat(GgufFileType.MXFP4_MOE.typeFor(find(inv, TensorRole.OUTPUT_HEAD, -1), inv, arch))
                .isEqualTo(GgmlType.Q8_0);
    }

    @Test
    void rowsThatDoNotFillBlocksFallBack() {
        // Hidden size 2880 is a multiple of 32 but not of 256.
        Architecture arch = build(24, 2880, 64, 8, 64, 2880, 201088, false);
        TensorInventory inv = TensorInventory.of(arch, ModelType.DECODER);
        assertThat(GgufFileType.Q4_K_M.typeFor(find(inv, TensorRole.ATTN_Q, 5), inv, arch)).isEqualTo(GgmlType.Q5_0);
        assertThat(GgufFileType.Q2_K.typeFor(find(inv, TensorRole.FFN_UP, 5), inv, arch)).isEqualTo(GgmlType.Q4_0);
        assertThat(GgufFileType.IQ4_XS.typeFor(find(inv, TensorRole.FFN_UP, 5), inv, arch)).isEqualTo(GgmlType.IQ4_NL);
        // The head's row does not fill a Q4_K block, so it goes straight to Q8_0.
        assertThat(GgufFileType.Q4_K_M.typeFor(find(inv, TensorRole.OUTPUT_HEAD, -1), inv, arch))
                .isEqualTo(GgmlType.Q8_0);
        // 100 elements per row fit no block type at all.
        assertThat(GgufFileType.fallback(GgmlType.Q4_K, 100)).isEqualTo(GgmlType.F16);
    }

    @Test
    void tiedEmbeddingTakesTheHeadType() {
        Architecture arch = build(28, 3584, 28, 4, 128, 18944, 152064, true);
        TensorInventory inv = TensorInventory.of(arch, ModelType.DECODER);
        assertThat(GgufFileType.Q4_K_M.typeFor(find(inv, TensorRole.TOKEN_EMBEDDING, -1), inv, arch))
                .isEqualTo(GgmlType.Q6_K);
    }

    @Test
    void layerRulesFollowLlamaCpp() {
        Architecture arch = llama7b();
        TensorInventory inv = TensorInventory.of(arch, ModelType.DECODER);
        // Q3_K_M: first two attn_v Q5_K, ffn_down Q5_K for the first n/16 layers then Q4_K.
        assertThat(GgufFileType.Q3_K_M.typeFor(find(inv, TensorRole.ATTN_V, 1), inv, arch)).isEqualTo(GgmlType.Q5_K);
        assertThat(GgufFileType.Q3_K_M.typeFor(find(inv, TensorRole.ATTN_V, 2), inv, arch)).isEqualTo(GgmlType.Q4_K);
        assertThat(GgufFileType.Q3_K_M.typeFor(find(inv, TensorRole.FFN_DOWN, 1), inv, arch)).isEqualTo(GgmlType.Q5_K);
        assertThat(GgufFileType.Q3_K_M.typeFor(find(inv, TensorRole.FFN_DOWN, 2), inv, arch)).isEqualTo(GgmlType.Q4_K);
        // Q4_K_S: attn_v Q5_K for the first 4 layers, ffn_down for the first n/8.
        assertThat(GgufFileType.Q4_K_S.typeFor(find(inv, TensorRole.ATTN_V, 3), inv, arch)).isEqualTo(GgmlType.Q5_K);
        assertThat(GgufFileType.Q4_K_S.typeFor(find(inv, TensorRole.ATTN_V, 4), inv, arch)).isEqualTo(GgmlType.Q4_K);
        // IQ2_XXS: Q5_K head, Q2_K embedding.
        assertThat(GgufFileType.IQ2_XXS.typeFor(find(inv, TensorRole.OUTPUT_HEAD, -1), inv, arch))
                .isEqualTo(GgmlType.Q5_K);
        assertThat(GgufFileType.IQ2_XXS.typeFor(find(inv, TensorRole.TOKEN_EMBEDDING, -1), inv, arch))
                .isEqualTo(GgmlType.Q2_K);
    }

    @Test
    void llama70bGetsQ5KValues() {
        Architecture arch = build(80, 8192, 64, 8, 128, 28672, 32000, false);
        TensorInventory inv = TensorInventory.of(arch, ModelType.DECODER);
        assertThat(GgufFileType.Q3_K_S.typeFor(find(inv, TensorRole.ATTN_V, 40), inv, arch)).isEqualTo(GgmlType.Q5_K);
        assertThat(GgufFileType.Q2_K.typeFor(find(inv, TensorRole.ATTN_V, 40), inv, arch)).isEqualTo(GgmlType.Q5_K);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static void assertTotalMib(GgufFileType type, double publishedMib) {
        Architecture arch = llama7b();
        TensorInventory inv = TensorInventory.of(arch, ModelType.DECODER);
        long bytes = 0;
        for (Tensor t : inv.tensors()) {
            bytes = Math.addExact(bytes, type.typeFor(t, inv, arch).bytesFor(t.params()));
        }
        assertThat(bytes / MIB).isCloseTo(publishedMib, within(publishedMib * 0.005));
    }

    private static Map<GgmlType, Integer> typeCounts(GgufFileType type) {
        Architecture arch = llama7b();
        TensorInventory inv = TensorInventory.of(arch, ModelType.DECODER);
        Map<GgmlType, Integer> counts = new EnumMap<>(GgmlType.class);
        for (Tensor t : inv.tensors()) {
            counts.merge(type.typeFor(t, inv, arch), 1, Integer::sum);
        }
        return counts;
    }

    private static double mib(GgufFileType type, Tensor t, TensorInventory inv, Architecture arch) {
        return type.typeFor(t, inv, arch).bytesFor(t.params()) / MIB;
    }

    private static Tensor find(TensorInventory inv, TensorRole role, int layer) {
        return inv.tensors().stream().filter(t -> t.role() == role && t.layer() == layer).findFirst().orElseThrow();
    }

    /** LLaMA-7B as open_llama_7b_v2 uses it. */
    private static Architecture llama7b() {
        return build(32, 4096, 32, 32, 128, 11008, 32000, false);
    }

    /** Mixtral-8x7B. */
    private static Architecture mixtral() {
        Architecture.Builder b = build(32, 4096, 32, 8, 128, 14336, 32000, false).toBuilder();
        b.experts = 8;
        b.expertsPerToken = 2;
        b.expertFfn = 14336;
        return b.build();
    }

    private static Architecture build(int layers, int hidden, int heads, int kvHeads, int headDim, int ffn,
            int vocab, boolean tied) {
        Architecture.Builder b = Architecture.builder();
        b.layers = layers;
        b.hidden = hidden;
        b.heads = heads;
        b.kvHeads = kvHeads;
        b.headDim = headDim;
        b.ffn = ffn;
        b.ffnType = FfnType.SWIGLU;
        b.vocab = vocab;
        b.tiedEmbeddings = tied;
        return b.build();
    }
}
