package dev.llmplan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14 item 6: vLLM's KV block pool and the longest context must tell one story. vLLM refuses a
 * max_model_len larger than its pool holds ("The model's max seq len ... is larger than the maximum
 * number of tokens that can be stored in KV cache"), and the pool holds whole 16-token blocks.
 */
class VllmContextLimitTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void longestContextIsThePoolsWholeBlocksAndSaysSo() throws Exception {
        CliRunner.Result r = CliRunner.run("fit", "llama-3.1-8b", "--runtime", "vllm", "--gpu", "rtx-4090", "--format", "json");
        assertThat(r.exitCode()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        long poolTokens = doc.at("/vllm/tokens").asLong();
        long blocks = doc.at("/vllm/blocks").asLong();
        assertThat(poolTokens).isEqualTo(blocks * 16);
        // llama-3.1-8b's maximum (131072) is far above the pool, so the pool is the limit: exactly its tokens.
        assertThat(doc.at("/fit/longestContext").asLong()).isEqualTo(poolTokens);
        assertThat(doc.at("/fit/longestContextLimit").asText())
                .contains("KV block pool").contains(String.format("%,d blocks x 16 tokens", blocks))
                .contains("activations profiled for 8,192 batched tokens").contains("max_model_len")
                // vLLM judges no error band inside its own budget: do not claim one.
                .doesNotContain("error band");
        // The largest batch at the context is the pool's concurrency, whole blocks per sequence.
        assertThat(doc.at("/fit/largestBatch").asLong()).isEqualTo(blocks / (4096 / 16));
    }

    @Test
    void tableShowsTheSameNumberInTheVllmLineAndTheLongestContextLine() {
        String out = CliRunner.run("fit", "llama-3.1-8b", "--runtime", "vllm", "--gpu", "rtx-4090").out();
        Matcher pool = Pattern.compile("blocks x 16 tokens = ([0-9,]+) tokens for all sequences together").matcher(out);
        Matcher longest = Pattern.compile("longest context that fits \\(batch 1\\): ([0-9]+) tokens \\(limited by vLLM's KV block pool")
                .matcher(out);
        assertThat(pool.find()).as(out).isTrue();
        assertThat(longest.find()).as(out).isTrue();
        assertThat(longest.group(1)).isEqualTo(pool.group(1).replace(",", ""));
    }

    @Test
    void aBatchSharesThePool() throws Exception {
        JsonNode doc = JSON.readTree(CliRunner.run("fit", "llama-3.1-8b", "--runtime", "vllm", "--gpu", "rtx-4090",
                "--batch", "4", "--format", "json").out());
        long blocks = doc.at("/vllm/blocks").asLong();
        assertThat(doc.at("/fit/longestContext").asLong()).isEqualTo(blocks / 4 * 16);
        assertThat(doc.at("/fit/longestContextLimit").asText()).contains("shared by the batch of 4");
    }

    @Test
    void aModelShorterThanThePoolStopsAtItsMaximum() throws Exception {
        JsonNode doc = JSON.readTree(CliRunner.run("fit", "llama-3-8b", "--runtime", "vllm", "--gpu", "h100",
                "--format", "json").out());
        assertThat(doc.at("/vllm/tokens").asLong()).isGreaterThan(8192);
        assertThat(doc.at("/fit/longestContext").asInt()).isEqualTo(8192);
        assertThat(doc.at("/fit/longestContextLimit").asText()).isEqualTo("the model's maximum");
    }
}
