package dev.llmplan.engine;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * One inventory describes the weights: pricing and parameter counts read every tensor, LoRA and
 * Adafactor read its block projections through {@link LinearModules}. The two views must add up.
 */
class TensorInventoryTest {
    private static final Catalog CATALOG = CatalogLoader.builtin();

    private static long linearParams(List<List<LinearModules.Linear>> layers) {
        return layers.stream().flatMap(List::stream).mapToLong(LinearModules.Linear::params).sum();
    }

    @Test
    void theLinearModulesPlusTheOtherTensorsAreTheInventoryForEveryCatalogModel() {
        int checked = 0;
        List<String> off = new ArrayList<>();
        for (ModelSpec m : CATALOG.models()) {
            if (!TensorInventory.derivable(m.arch())) {
                continue;
            }
            TensorInventory inv = TensorInventory.of(m.arch(), m.type());
            long nonLinear = inv.tensors().stream().filter(t -> !t.isBlockLinear()).mapToLong(Tensor::params).sum();
            long storedLinear = inv.tensors().stream().filter(Tensor::isBlockLinear).mapToLong(Tensor::params).sum();
            long viewed = linearParams(LinearModules.of(m.arch(), m.type()));
            if (Boolean.TRUE.equals(m.arch().sharedLayers())) {
                // ALBERT stores one block and runs it every layer; the linear view lists it per layer.
                if (viewed != (long) inv.blockLayers() * storedLinear || storedLinear + nonLinear != inv.total()) {
                    off.add(m.id());
                }
            } else if (viewed + nonLinear != inv.total()) {
                off.add(m.id() + ": linear " + viewed + " + other " + nonLinear + " != " + inv.total());
            }
            checked++;
        }
        assertThat(off).isEmpty();
        assertThat(checked).isGreaterThan(150);
    }

    @Test
    void llamaTensorsCarryTheirHuggingFaceModuleNamesAndShapes() {
        // Llama 2 7B (HF LlamaForCausalLM): hidden 4096, intermediate 11008, vocab 32000, MHA.
        TensorInventory inv = TensorInventory.of(CATALOG.model("llama-2-7b").arch(), ModelType.DECODER);
        assertThat(inv.tensors()).filteredOn(t -> t.layer() == 0)
                .extracting(Tensor::module, Tensor::role, Tensor::dIn, Tensor::dOut, Tensor::copies)
                .containsExactly(
                        tuple("q_proj", TensorRole.ATTN_Q, 4096L, 4096L, 1L),
                        tuple("k_proj", TensorRole.ATTN_K, 4096L, 4096L, 1L),
                        tuple("v_proj", TensorRole.ATTN_V, 4096L, 4096L, 1L),
                        tuple("o_proj", TensorRole.ATTN_OUTPUT, 4096L, 4096L, 1L),
                        tuple("gate_proj", TensorRole.FFN_GATE, 4096L, 11008L, 1L),
                        tuple("up_proj", TensorRole.FFN_UP, 4096L, 11008L, 1L),
                        tuple("down_proj", TensorRole.FFN_DOWN, 11008L, 4096L, 1L),
                        tuple("layer_norms", TensorRole.NORM, 0L, 0L, 1L));
        assertThat(inv.tensors()).filteredOn(t -> t.layer() < 0).extracting(Tensor::module, Tensor::params)
                .containsExactly(tuple("embed_tokens", 32000L * 4096), tuple("norm", 4096L), tuple("lm_head", 4096L * 32000));
        // HF's published count for Llama-2-7b.
        assertThat(inv.total()).isEqualTo(6_738_415_616L);
    }

    @Test
    void deepSeekV3HasMlaProjectionsRoutedAndSharedExpertsAndARouter() {
        // modeling_deepseek.py with the V3 config: q_lora_rank 1536, kv_lora_rank 512, 128 heads of
        // 128 nope + 64 rope, v_head_dim 128, 256 routed experts of 2048 + 1 shared, first 3 layers dense.
        Architecture a = CATALOG.model("deepseek-v3").arch();
        TensorInventory inv = TensorInventory.of(a, ModelType.DECODER);
        assertThat(inv.tensors()).filteredOn(t -> t.layer() == 3 && t.isMatrix())
                .extracting(Tensor::module, Tensor::dIn, Tensor::dOut, Tensor::copies, Tensor::expert)
                .containsExactly(
                        tuple("q_a_proj", 7168L, 1536L, 1L, false),
                        tuple("q_b_proj", 1536L, 128L * 192, 1L, false),
                        tuple("kv_a_proj_with_mqa", 7168L, 512L + 64, 1L, false),
                        tuple("kv_b_proj", 512L, 128L * (128 + 128), 1L, false),
                        tuple("o_proj", 128L * 128, 7168L, 1L, false),
                        tuple("gate_proj", 7168L, 2048L, 256L, true),
                        tuple("up_proj", 7168L, 2048L, 256L, true),
                        tuple("down_proj", 2048L, 7168L, 256L, true),
                        tuple("gate_proj", 7168L, 2048L, 1L, false),
                        tuple("up_proj", 7168L, 2048L, 1L, false),
                        tuple("down_proj", 2048L, 7168L, 1L, false),
                        tuple("gate", 7168L, 256L, 1L, false));
        // LoRA sees one module per name: the shared expert is a 257th copy of the routed ones.
        assertThat(LinearModules.of(inv).get(3)).extracting(LinearModules.Linear::name, LinearModules.Linear::count)
                .containsExactly(tuple("q_a_proj", 1L), tuple("q_b_proj", 1L), tuple("kv_a_proj_with_mqa", 1L),
                        tuple("kv_b_proj", 1L), tuple("o_proj", 1L), tuple("gate_proj", 257L), tuple("up_proj", 257L),
                        tuple("down_proj", 257L));
        assertThat(LinearModules.of(inv).get(0)).extracting(LinearModules.Linear::name, LinearModules.Linear::dIn,
                        LinearModules.Linear::count).contains(tuple("gate_proj", 7168L, 1L));
    }

    @Test
    void aSharedBlockIsStoredOnceAndRunByEveryLayer() {
        // ALBERT base: 12 layers share one block (num_hidden_groups = 1), embeddings of 128 projected to 768.
        ModelSpec albert = CATALOG.model("albert-base-v2");
        TensorInventory inv = TensorInventory.of(albert.arch(), albert.type());
        assertThat(inv.blockLayers()).isEqualTo(12);
        assertThat(inv.tensors()).allMatch(t -> t.layer() <= 0);
        assertThat(inv.storedBlock(11)).isZero();
        assertThat(inv.tensors()).filteredOn(t -> t.module().equals("embedding_hidden_mapping_in"))
                .extracting(Tensor::dIn, Tensor::dOut).containsExactly(tuple(128L, 768L));
        List<List<LinearModules.Linear>> layers = LinearModules.of(inv);
        assertThat(layers).hasSize(12).allMatch(l -> l.equals(layers.get(0)));
    }

    @Test
    void aMatrixMustHoldTheParametersItsShapeSays() {
        assertThat(Tensor.matrix("up_proj", TensorRole.FFN_UP, 0, 4096, 11008, 8, true).params()).isEqualTo(8L * 4096 * 11008);
        assertThatThrownBy(() -> new Tensor("up_proj", TensorRole.FFN_UP, 0, 4096, 11008, 1, false, 4096))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("up_proj");
        assertThat(Tensor.vector("norm", TensorRole.NORM, -1, 4096).isMatrix()).isFalse();
    }
}
