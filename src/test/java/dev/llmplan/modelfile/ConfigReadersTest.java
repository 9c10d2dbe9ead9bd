package dev.llmplan.modelfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmplan.engine.Architecture;
import dev.llmplan.engine.ModelType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every dedicated config.json reader on a real published config (src/test/resources/configs, sources in
 * INDEX.yaml there): the parameters it counts are within 1% of the published count, and the file is not
 * marked approximate.
 */
class ConfigReadersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode config(String file) throws IOException {
        try (InputStream in = ConfigReadersTest.class.getResourceAsStream("/configs/" + file)) {
            assertThat(in).as(file).isNotNull();
            return JSON.readTree(in);
        }
    }

    /** file, published count, where the published count comes from (INDEX.yaml has the config's own source). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            chatglm-chatglm-6b.json                        | 6200000000     | THUDM/chatglm-6b model card: 62亿 (6.2B) parameters
            chatglm-chatglm2-6b.json                       | 6240000000     | Hugging Face parameter count of THUDM/chatglm2-6b (6.24B)
            chatglm-chatglm3-6b.json                       | 6240000000     | Hugging Face parameter count of THUDM/chatglm3-6b (6.24B)
            chatglm-glm-4-9b-chat.json                     | 9400000000     | Hugging Face parameter count of THUDM/glm-4-9b-chat (9.4B)
            qwen-qwen-7b.json                              | 7720000000     | Hugging Face parameter count of Qwen/Qwen-7B (7.72B)
            baichuan-baichuan2-7b.json                     | 7510000000     | Hugging Face parameter count of Baichuan2-7B (7.51B)
            internlm-internlm-20b.json                     | 20000000000    | internlm/internlm-20b model card: 20B
            internlm2-internlm2_5-7b-chat.json             | 7740000000     | Hugging Face parameter count of internlm2_5-7b-chat (7.74B)
            phi3small-phi-3-small-8k-instruct.json         | 7390000000     | Hugging Face parameter count of Phi-3-small-8k-instruct (7.39B)
            falcon-falcon-7b.json                          | 6920000000     | Hugging Face parameter count of tiiuae/falcon-7b (6.92B)
            RefinedWebModel-falcon-7b-legacy.json          | 6920000000     | the same model under its first (RefinedWebModel) config
            mpt-mpt-7b.json                                | 6650000000     | Hugging Face parameter count of mosaicml/mpt-7b (6.65B)
            gpt_bigcode-gpt_bigcode-santacoder.json        | 1120000000     | Hugging Face parameter count of bigcode/gpt_bigcode-santacoder (1.12B)
            gpt_neox-gpt-neox-20b.json                     | 20554567680    | GPT-NeoX-20B paper (Black et al. 2022), Table 1: 20,554,567,680
            bloom-bloom-560m.json                          | 559214592      | bigscience/bloom-560m model card: 559,214,592 parameters
            t5-t5-3b-head30.json                           | 2850000000     | Hugging Face parameter count of google-t5/t5-3b (2.85B)
            mt5-mt5-base.json                              | 582000000      | Hugging Face parameter count of google/mt5-base (582M)
            mt5-mt5-small.json                             | 300176768      | mT5-small full size in a vocabulary-trimming study: 300,176,768
            whisper-whisper-large-v3.json                  | 1550000000     | openai/whisper model card: large-v3 1550M parameters
            llava-llava-1.5-7b-hf.json                     | 7060000000     | Hugging Face parameter count of llava-hf/llava-1.5-7b-hf (7.06B)
            qwen2_5_vl-qwen2.5-vl-7b-instruct.json         | 8290000000     | Hugging Face parameter count of Qwen/Qwen2.5-VL-7B-Instruct (8.29B)
            gemma3-gemma-3-4b-it.json                      | 4300000000     | google/gemma-3-4b-it model card: 4.30e9 parameters
            mllama-llama-3.2-11b-vision-trimmed.json       | 10600000000    | Meta's Llama 3.2 Vision model card: 11B (10.6B actual)
            deepseek_v2-deepseek-v2-lite-chat-trimmed.json | 15700000000    | DeepSeek-V2 paper / DeepSeek-V2-Lite model card: 15.7B total
            jamba-jamba-v0.1-trimmed.json                  | 52000000000    | AI21 Jamba announcement: 52B total parameters
            jamba-jamba-1.5-mini-partial.json              | 52000000000    | AI21 Jamba 1.5 Mini model card: 52B total (12B active)
            mamba-mamba-130m-ssm.json                      | 130000000      | state-spaces/mamba-130m: 130M
            rwkv6-v6-finch-1b6-trimmed.json                | 1600000000     | RWKV-6 Finch 1.6B
            """)
    void readerCountsThePublishedParameters(String file, long published, String source) throws IOException {
        HfConfig hf = HfConfig.of(config(file));
        long counted = HfConfig.parameters(hf);
        assertThat(hf.approximate()).as(file).isFalse();
        assertThat((double) counted).as(file + " vs " + source).isCloseTo(published, org.assertj.core.data.Percentage.withPercentage(1));
    }

    /** The traps the generic fields fall into, each read the way its model runs. */
    @org.junit.jupiter.api.Test
    void shapesFollowEachModelsOwnFields() throws IOException {
        // Falcon-7B: "num_kv_heads": 71 with multi_query true is ONE KV head (FalconAttention).
        assertThat(HfConfig.of(config("falcon-falcon-7b.json")).arch().effectiveKvHeads()).isEqualTo(1);
        assertThat(HfConfig.of(config("RefinedWebModel-falcon-7b-legacy.json")).arch().effectiveKvHeads()).isEqualTo(1);
        // ChatGLM2: 2 KV groups of kv_channels 128, SwiGLU of ffn_hidden_size, padded vocabulary, seq_length.
        Architecture glm = HfConfig.of(config("chatglm-chatglm2-6b.json")).arch();
        assertThat(List.of(glm.layers(), glm.kvHeads(), glm.headDim(), glm.ffn(), glm.vocab(), glm.maxContext()))
                .containsExactly(28, 2, 128, 13696, 65024, 32768);
        // Qwen v1: intermediate_size 22016 counts both gated halves; seq_length 8192 trained, 32768 extended.
        Architecture qwen = HfConfig.of(config("qwen-qwen-7b.json")).arch();
        assertThat(List.of(qwen.ffn(), qwen.maxContext(), qwen.extendedContext())).containsExactly(11008, 8192, 32768);
        // Gemma 3 4B: the file names no heads; Gemma3TextConfig's 8 heads, 4 KV heads x 256 apply.
        HfConfig gemma = HfConfig.of(config("gemma3-gemma-3-4b-it.json"));
        assertThat(List.of(gemma.arch().heads(), gemma.arch().kvHeads(), gemma.arch().headDim(), gemma.arch().vocab()))
                .containsExactly(8, 4, 256, 262208);
        assertThat(gemma.vision().parameters()).isEqualTo(416_866_032L + 2_950_272L); // SigLIP + projector
        assertThat(gemma.vision().imageTokens()).isEqualTo(256);
        // LLaVA-1.5: LlamaConfig defaults for the text sizes; 576 tokens per 336-pixel image.
        HfConfig llava = HfConfig.of(config("llava-llava-1.5-7b-hf.json"));
        assertThat(List.of(llava.arch().hidden(), llava.arch().layers(), llava.arch().ffn())).containsExactly(4096, 32, 11008);
        assertThat(llava.vision().imageTokens()).isEqualTo(576);
        // Llama 3.2 Vision: 1601 tokens per 560-pixel tile; text 9,775,192,080 of the total (fixes.md §4).
        HfConfig mllama = HfConfig.of(config("mllama-llama-3.2-11b-vision-trimmed.json"));
        assertThat(mllama.vision().imageTokens()).isEqualTo(1601);
        assertThat(mllama.parameters() - mllama.vision().parameters()).isEqualTo(9_775_192_080L);
        // BLOOM's published file spells the width n_embed.
        assertThat(HfConfig.of(config("bloom-bloom-560m.json")).arch().hidden()).isEqualTo(1024);
        // Jamba: 4 of 32 layers attend (the KV cache); AI21's "12B active of 52B" is rounded (the catalog's
        // convention, without the input embedding, gives 11.84B).
        HfConfig jamba = HfConfig.of(config("jamba-jamba-v0.1-trimmed.json"));
        assertThat(jamba.arch().cachingLayers()).isEqualTo(4);
        assertThat(jamba.activeParameters()).isBetween(11_500_000_000L, 12_499_999_999L);
        // Recurrent and encoder-decoder types.
        assertThat(HfConfig.of(config("mamba-mamba-130m-ssm.json")).type()).isEqualTo(ModelType.RECURRENT);
        assertThat(HfConfig.of(config("rwkv6-v6-finch-1b6-trimmed.json")).type()).isEqualTo(ModelType.RECURRENT);
        HfConfig whisper = HfConfig.of(config("whisper-whisper-large-v3.json"));
        assertThat(whisper.type()).isEqualTo(ModelType.ENCODER_DECODER);
        assertThat(whisper.arch().maxContext()).isEqualTo(448);
        // mT5 unties the head; T5 v1.0 ties it.
        assertThat(HfConfig.of(config("mt5-mt5-base.json")).arch().tiedEmbeddings()).isFalse();
        assertThat(HfConfig.of(config("t5-t5-3b-head30.json")).arch().tiedEmbeddings()).isTrue();
    }

    /**
     * Readers without a verbatim published config in reach: configs written from the shapes of catalog entries
     * (their sources are the catalog's), held to the published counts.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bart-large   | {"model_type":"bart","d_model":1024,"encoder_layers":12,"decoder_layers":12,"encoder_ffn_dim":4096,"decoder_ffn_dim":4096,"encoder_attention_heads":16,"decoder_attention_heads":16,"vocab_size":50265,"max_position_embeddings":1024} | 406287360 | KerasHub bart_large_en preset: 406,287,360 parameters
            mbart-cc25   | {"model_type":"mbart","d_model":1024,"encoder_layers":12,"decoder_layers":12,"encoder_ffn_dim":4096,"decoder_ffn_dim":4096,"encoder_attention_heads":16,"decoder_attention_heads":16,"vocab_size":250027,"max_position_embeddings":1024} | 610851840 | mbart-large-cc25 (PaddleNLP MBART_PRETRAINED_INIT_CONFIGURATION shapes): Hugging Face count 611M
            rwkv-4-7b    | {"model_type":"rwkv","hidden_size":4096,"num_hidden_layers":32,"attention_hidden_size":4096,"intermediate_size":16384,"vocab_size":50277,"context_length":1024} | 7392649216 | RWKV/rwkv-4-7b-pile (catalog rwkv-4-7b)
            mamba-2.8b   | {"model_type":"mamba","hidden_size":2560,"num_hidden_layers":64,"vocab_size":50280,"state_size":16,"expand":2,"conv_kernel":4} | 2770000000 | Hugging Face count of state-spaces/mamba-2.8b-hf (2.77B)
            qwen2-vl-7b  | {"model_type":"qwen2_vl","hidden_size":3584,"intermediate_size":18944,"num_hidden_layers":28,"num_attention_heads":28,"num_key_value_heads":4,"vocab_size":152064,"tie_word_embeddings":false,"vision_config":{"depth":32,"embed_dim":1280,"hidden_size":3584,"mlp_ratio":4,"num_heads":16,"patch_size":14,"spatial_merge_size":2,"temporal_patch_size":2}} | 8290000000 | Hugging Face count of Qwen/Qwen2-VL-7B-Instruct (8.29B); ViT 675M (Qwen2-VL paper)
            """)
    void readersWithoutAVerbatimFixture(String name, String json, long published, String source) throws IOException {
        HfConfig hf = HfConfig.of(JSON.readTree(json));
        assertThat(hf.approximate()).isFalse();
        assertThat((double) HfConfig.parameters(hf)).as(name + " vs " + source)
                .isCloseTo(published, org.assertj.core.data.Percentage.withPercentage(1));
    }

    /** UMT5 is mT5 with a relative-position table in every layer, not only the first of each stack. */
    @org.junit.jupiter.api.Test
    void umt5AddsARelativeBiasTablePerLayer() throws IOException {
        String shape = "\"d_model\":512,\"d_ff\":1024,\"d_kv\":64,\"num_heads\":6,\"num_layers\":8,\"vocab_size\":256384,"
                + "\"feed_forward_proj\":\"gated-gelu\",\"tie_word_embeddings\":false}";
        long mt5 = HfConfig.parameters(HfConfig.of(JSON.readTree("{\"model_type\":\"mt5\"," + shape)));
        long umt5 = HfConfig.parameters(HfConfig.of(JSON.readTree("{\"model_type\":\"umt5\"," + shape)));
        assertThat(umt5 - mt5).isEqualTo((8 + 8 - 2) * 32L * 6); // 14 more tables of 32 buckets x 6 heads
    }

    @org.junit.jupiter.api.Test
    void aModelTypeWithoutAReaderIsApproximate() throws IOException {
        HfConfig hf = HfConfig.of(JSON.readTree("{\"model_type\":\"made_up\",\"hidden_size\":1024,"
                + "\"num_hidden_layers\":4,\"num_attention_heads\":8,\"intermediate_size\":4096,\"vocab_size\":1000}"));
        assertThat(hf.approximate()).isTrue();
        assertThat(hf.notes()).anyMatch(n -> n.contains("no dedicated reading"));
        assertThat(HfConfig.hasReader("made_up")).isFalse();
        for (String t : List.of("chatglm", "qwen", "baichuan", "internlm", "internlm2", "yi", "deepseek", "deepseek_v2",
                "deepseek_v3", "phi3small", "falcon", "RefinedWebModel", "mpt", "gpt_bigcode", "gpt_neox", "bloom", "t5",
                "mt5", "umt5", "bart", "mbart", "whisper", "llava", "qwen2_vl", "qwen2_5_vl", "gemma3", "mllama", "mamba",
                "jamba", "rwkv")) {
            assertThat(HfConfig.hasReader(t)).as(t).isTrue();
        }
    }
}
