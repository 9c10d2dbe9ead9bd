package dev.llmplan.modelfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmplan.engine.Architecture;
import dev.llmplan.engine.AttentionKind;
import dev.llmplan.engine.FfnType;
import dev.llmplan.engine.ModelType;
import dev.llmplan.engine.TensorInventory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class HfConfigTest {
    @TempDir
    Path dir;

    private static HfConfig parse(String json) throws IOException {
        JsonNode n = new ObjectMapper().readTree(json.replace('\'', '"'));
        return HfConfig.of(n);
    }

    /**
     * meta-llama/Llama-2-7b-hf config.json (hidden 4096, intermediate 11008, 32 layers, 32 heads,
     * 32 KV heads, vocab 32000, 4096 positions, untied). Its safetensors hold 6,738,415,616
     * parameters (the model card's "7B"; the sum of the published shards' tensor shapes): Llama has
     * no biases, so embeddings + 32 x (4 x 4096^2 + 3 x 4096 x 11008 + 2 x 4096) + 4096 + lm_head
     * is exact.
     */
    @Test
    void llama2SevenBConfigAloneGivesThePublishedParameterCount() throws IOException {
        Files.writeString(dir.resolve("config.json"), Fixtures.llamaConfig(4096, 32, 32, 32, 11008, 32000, 4096, "float16"));
        LocalModel m = ModelFiles.read(dir);
        assertThat(m.spec().parameters()).isEqualTo(6_738_415_616L);
        assertThat(m.spec().exactWeightBytes()).isNull();
        assertThat(m.spec().nativePrecision()).isEqualTo("fp16");
        assertThat(m.defaultQuant()).isNull();
        assertThat(m.inspection().kind()).isEqualTo("config");
        Architecture a = m.spec().arch();
        assertThat(a.attention()).isEqualTo(AttentionKind.MHA);
        assertThat(a.ffnType()).isEqualTo(FfnType.SWIGLU);
        assertThat(a.maxContext()).isEqualTo(4096);
        assertThat(TensorInventory.of(a, ModelType.DECODER).total()).isEqualTo(6_738_415_616L);
    }

    /**
     * Published totals (sums of the safetensors shapes): Mistral-7B-v0.1 7,241,732,096 and
     * Mixtral-8x7B-v0.1 46,702,792,704. Neither has biases, so the derived count is exact.
     */
    @Test
    void mistralAndMixtralConfigsGiveTheirPublishedCounts() throws IOException {
        String shape = "'hidden_size':4096,'num_hidden_layers':32,'num_attention_heads':32,'num_key_value_heads':8,"
                + "'intermediate_size':14336,'vocab_size':32000,'tie_word_embeddings':false";
        HfConfig mistral = parse("{'model_type':'mistral'," + shape + "}");
        assertThat(TensorInventory.of(mistral.arch(), mistral.type()).total()).isEqualTo(7_241_732_096L);
        HfConfig mixtral = parse("{'model_type':'mixtral'," + shape + ",'num_local_experts':8,'num_experts_per_tok':2}");
        assertThat(TensorInventory.of(mixtral.arch(), mixtral.type()).total()).isEqualTo(46_702_792_704L);
    }

    @Test
    void mistralKeepsItsSlidingWindowAndQwen2SwitchedOffDoesNot() throws IOException {
        HfConfig m = parse("{'model_type':'mistral','hidden_size':4096,'num_hidden_layers':32,'num_attention_heads':32,"
                + "'num_key_value_heads':8,'intermediate_size':14336,'vocab_size':32000,'sliding_window':4096}");
        assertThat(m.arch().slidingWindow()).isEqualTo(4096);
        assertThat(m.arch().fullAttentionEvery()).isNull();
        assertThat(m.arch().attention()).isEqualTo(AttentionKind.GQA);
        assertThat(m.arch().tiedEmbeddings()).isFalse();
        HfConfig q = parse("{'model_type':'qwen2','hidden_size':3584,'num_hidden_layers':28,'num_attention_heads':28,"
                + "'num_key_value_heads':4,'sliding_window':131072,'use_sliding_window':false}");
        assertThat(q.arch().slidingWindow()).isNull();
    }

    /**
     * Norms a block applies, each keeping its input for training: transformers' Gemma2DecoderLayer and
     * Gemma3DecoderLayer have input, post_attention, pre_feedforward and post_feedforward norms (4); GemmaDecoderLayer
     * and GPTNeoXLayer two; PhiDecoderLayer, GPTJBlock and Falcon-7B's parallel block one norm for both branches;
     * Falcon's new decoder architecture (40B, 180B) ln_attn and ln_mlp.
     */
    @Test
    void normsPerBlockFollowTheDecoderLayer() throws IOException {
        String shape = "'hidden_size':2048,'num_hidden_layers':4,'num_attention_heads':16,'vocab_size':32000";
        assertThat(parse("{'model_type':'gemma2'," + shape + ",'head_dim':128}").arch().norms()).isEqualTo(4);
        assertThat(parse("{'model_type':'gemma'," + shape + ",'head_dim':128}").arch().norms()).isEqualTo(2);
        assertThat(parse("{'model_type':'gemma3_text'," + shape + ",'head_dim':128}").arch().norms()).isEqualTo(4);
        assertThat(parse("{'model_type':'phi'," + shape + ",'intermediate_size':8192}").arch().norms()).isEqualTo(1);
        assertThat(parse("{'model_type':'gptj','n_embd':2048,'n_layer':4,'n_head':16,'vocab_size':32000}").arch().norms())
                .isEqualTo(1);
        assertThat(parse("{'model_type':'gpt_neox'," + shape + ",'intermediate_size':8192}").arch().norms()).isEqualTo(2);
        assertThat(parse("{'model_type':'falcon'," + shape + ",'parallel_attn':true}").arch().norms()).isEqualTo(1);
        assertThat(parse("{'model_type':'falcon'," + shape + ",'new_decoder_architecture':true,'num_kv_heads':8}")
                .arch().norms()).isEqualTo(2);
    }

    /** Gemma2Config's attn_logit_softcapping defaults to 50.0; Gemma 3 sets it to null (q/k norms instead). */
    @Test
    void gemma2CapsItsAttentionLogits() throws IOException {
        String shape = "'hidden_size':2048,'num_hidden_layers':4,'num_attention_heads':16,'vocab_size':32000,'head_dim':128";
        assertThat(parse("{'model_type':'gemma2'," + shape + "}").arch().attentionSoftcap()).isEqualTo(50.0);
        assertThat(parse("{'model_type':'gemma2'," + shape + ",'attn_logit_softcapping':30.0}").arch().attentionSoftcap())
                .isEqualTo(30.0);
        assertThat(parse("{'model_type':'gemma2'," + shape + ",'attn_logit_softcapping':null}").arch().attentionSoftcap())
                .isNull();
        assertThat(parse("{'model_type':'gemma3_text'," + shape + ",'attn_logit_softcapping':null}").arch()
                .attentionSoftcap()).isNull();
        assertThat(parse("{'model_type':'gemma'," + shape + "}").arch().attentionSoftcap()).isNull();
    }

    @Test
    void layerTypesAndPatternsBecomeFullAttentionEvery() throws IOException {
        HfConfig g2 = parse("{'model_type':'gemma2','hidden_size':3584,'num_hidden_layers':42,'num_attention_heads':16,"
                + "'num_key_value_heads':8,'head_dim':256,'sliding_window':4096}");
        assertThat(g2.arch().fullAttentionEvery()).isEqualTo(2);
        assertThat(g2.arch().headDim()).isEqualTo(256);
        assertThat(g2.arch().ffnType()).isEqualTo(FfnType.GEGLU);
        assertThat(g2.arch().tiedEmbeddings()).isTrue();
        HfConfig g3 = parse("{'model_type':'gemma3','torch_dtype':'bfloat16','text_config':{'model_type':'gemma3_text',"
                + "'hidden_size':2560,'num_hidden_layers':34,'num_attention_heads':8,'num_key_value_heads':4,'head_dim':256,"
                + "'sliding_window':1024,'sliding_window_pattern':6}}");
        assertThat(g3.arch().fullAttentionEvery()).isEqualTo(6);
        assertThat(g3.arch().hidden()).isEqualTo(2560);
        assertThat(g3.nativePrecision()).isEqualTo("bf16");
        assertThat(g3.notes()).anyMatch(n -> n.contains("text_config"));
        HfConfig oss = parse("{'model_type':'gpt_oss','hidden_size':2880,'num_hidden_layers':4,'num_attention_heads':64,"
                + "'num_key_value_heads':8,'head_dim':64,'sliding_window':128,'num_local_experts':32,"
                + "'num_experts_per_tok':4,'intermediate_size':2880,"
                + "'layer_types':['sliding_attention','full_attention','sliding_attention','full_attention']}");
        assertThat(oss.arch().slidingWindow()).isEqualTo(128);
        assertThat(oss.arch().fullAttentionEvery()).isEqualTo(2);
        assertThat(oss.arch().experts()).isEqualTo(32);
        assertThat(oss.arch().expertFfn()).isEqualTo(2880);
    }

    @Test
    void moeAndMlaFields() throws IOException {
        HfConfig mix = parse("{'model_type':'mixtral','hidden_size':4096,'num_hidden_layers':32,'num_attention_heads':32,"
                + "'num_key_value_heads':8,'intermediate_size':14336,'num_local_experts':8,'num_experts_per_tok':2}");
        assertThat(mix.arch().experts()).isEqualTo(8);
        assertThat(mix.arch().expertsPerToken()).isEqualTo(2);
        assertThat(mix.arch().expertFfn()).isEqualTo(14336);
        HfConfig qm = parse("{'model_type':'qwen2_moe','hidden_size':2048,'num_hidden_layers':24,'num_attention_heads':16,"
                + "'num_key_value_heads':16,'intermediate_size':5632,'moe_intermediate_size':1408,'num_experts':60,"
                + "'num_experts_per_tok':4,'shared_expert_intermediate_size':5632}");
        assertThat(qm.arch().sharedExperts()).isEqualTo(4);
        assertThat(qm.arch().expertFfn()).isEqualTo(1408);
        HfConfig ds = parse("{'model_type':'deepseek_v3','hidden_size':7168,'num_hidden_layers':61,'num_attention_heads':128,"
                + "'num_key_value_heads':128,'kv_lora_rank':512,'q_lora_rank':1536,'qk_rope_head_dim':64,"
                + "'qk_nope_head_dim':128,'v_head_dim':128,'n_routed_experts':256,'n_shared_experts':1,"
                + "'num_experts_per_tok':8,'moe_intermediate_size':2048,'first_k_dense_replace':3,'intermediate_size':18432}");
        assertThat(ds.arch().attention()).isEqualTo(AttentionKind.MLA);
        assertThat(ds.arch().headDim()).isEqualTo(192);
        assertThat(ds.arch().denseLayers()).isEqualTo(3);
        assertThat(ds.arch().sharedExperts()).isEqualTo(1);
    }

    @Test
    void olderFamiliesUseTheirOwnFieldNamesAndDefaults() throws IOException {
        HfConfig gpt2 = parse("{'model_type':'gpt2','n_embd':768,'n_layer':12,'n_head':12,'n_positions':1024,'vocab_size':50257}");
        assertThat(gpt2.arch().ffn()).isEqualTo(3072);
        assertThat(gpt2.arch().positionEmbedding()).isEqualTo("learned");
        assertThat(gpt2.arch().tiedEmbeddings()).isTrue();
        // GPT-2 small has 124,439,808 parameters (sum of its model.safetensors shapes). The derived count
        // has no biases: 12 x (2304 + 768 + 3072 + 768 + 2 x 768) + 768 = 102,144 of them.
        long derived = TensorInventory.of(gpt2.arch(), gpt2.type()).total();
        assertThat(derived).isEqualTo(124_439_808L - 102_144L);
        HfConfig falcon = parse("{'model_type':'falcon','hidden_size':4544,'num_hidden_layers':32,'num_attention_heads':71,"
                + "'multi_query':true,'vocab_size':65024}");
        assertThat(falcon.arch().kvHeads()).isEqualTo(1);
        assertThat(falcon.arch().attention()).isEqualTo(AttentionKind.MQA);
        assertThat(falcon.arch().ffn()).isEqualTo(4 * 4544);
        HfConfig t5 = parse("{'model_type':'t5','d_model':1024,'d_ff':2816,'d_kv':64,'num_heads':16,'num_layers':24,"
                + "'num_decoder_layers':24,'feed_forward_proj':'gated-gelu','vocab_size':32128,'tie_word_embeddings':false}");
        assertThat(t5.type()).isEqualTo(ModelType.ENCODER_DECODER);
        assertThat(t5.arch().encoderLayers()).isEqualTo(24);
        assertThat(t5.arch().decoderLayers()).isEqualTo(24);
        assertThat(t5.arch().headDim()).isEqualTo(64);
        assertThat(t5.arch().ffnType()).isEqualTo(FfnType.GEGLU);
        HfConfig bert = parse("{'model_type':'bert','hidden_size':768,'num_hidden_layers':12,'num_attention_heads':12,"
                + "'intermediate_size':3072,'vocab_size':30522,'max_position_embeddings':512}");
        assertThat(bert.type()).isEqualTo(ModelType.ENCODER);
        HfConfig mpt = parse("{'model_type':'mpt','d_model':4096,'n_layers':32,'n_heads':32,'expansion_ratio':4,"
                + "'max_seq_len':2048,'vocab_size':50432,'attn_config':{'alibi':true}}");
        assertThat(mpt.arch().ffn()).isEqualTo(16384);
        assertThat(mpt.arch().positionEmbedding()).isEqualTo("alibi");
        HfConfig unknown = parse("{'model_type':'brandnew','hidden_size':1024,'num_hidden_layers':8,"
                + "'num_attention_heads':8,'intermediate_size':4096,'hidden_act':'silu'}");
        assertThat(unknown.notes()).anyMatch(n -> n.contains("brandnew"));
        assertThat(unknown.arch().ffnType()).isEqualTo(FfnType.SWIGLU);
    }

    @Test
    void quantizationConfigBecomesTheDefaultFormat() throws IOException {
        assertThat(quant("{'quant_method':'bitsandbytes','load_in_4bit':true,'bnb_4bit_quant_type':'nf4',"
                + "'bnb_4bit_use_double_quant':true}")).isEqualTo("nf4-dq");
        assertThat(quant("{'quant_method':'bitsandbytes','load_in_4bit':true,'bnb_4bit_quant_type':'nf4'}")).isEqualTo("nf4");
        assertThat(quant("{'quant_method':'bitsandbytes','load_in_8bit':true}")).isEqualTo("int8");
        assertThat(quant("{'quant_method':'gptq','bits':4,'group_size':128}")).isEqualTo("gptq-4bit");
        assertThat(quant("{'quant_method':'gptq','bits':8,'group_size':32}")).isEqualTo("gptq-8bit-g32");
        assertThat(quant("{'quant_method':'awq','bits':4,'group_size':64}")).isEqualTo("awq-4bit-g64");
        assertThat(quant("{'quant_method':'fp8','activation_scheme':'dynamic'}")).isEqualTo("fp8");
        assertThat(quant("{'quant_method':'hqq'}")).isNull();
    }

    private static String quant(String q) throws IOException {
        return parse("{'model_type':'llama','quantization_config':" + q + "}").quant().format();
    }
}
