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
    void longestContextIsWhatThePoolHoldsWithTheRestAtTheBandsHighEnd() throws Exception {
        JsonNode doc = CliRunner.json("fit", "llama-3.1-8b", "--runtime", "vllm", "--gpu", "rtx-4090", "--format", "json");
        long poolTokens = doc.at("/vllm/tokens").asLong();
        long blocks = doc.at("/vllm/blocks").asLong();
        assertThat(poolTokens).isEqualTo(blocks * 16);
        // llama-3.1-8b's maximum (131072) is far above the pool, so the pool is the limit; the weights and
        // activations it is left after may be larger by the band's high end, which shortens it.
        long longest = doc.at("/fit/longestContext").asLong();
        assertThat(longest).isPositive().isLessThanOrEqualTo(poolTokens);
        assertThat(doc.at("/fit/longestContextLimit").asText())
                .contains("KV block pool").contains(String.format("%,d blocks x 16 tokens", blocks))
                .contains("activations profiled for 8,192 batched tokens").contains("max_model_len")
                .contains("high end of the error band");
        // The same rule as the verdict: at the longest context the high end fits vLLM's budget, one more does not.
        JsonNode at = CliRunner.json("fit", "llama-3.1-8b", "--runtime", "vllm", "--gpu", "rtx-4090", "--context", "" + longest,
                "--format", "json");
        JsonNode past = CliRunner.json("fit", "llama-3.1-8b", "--runtime", "vllm", "--gpu", "rtx-4090", "--context", "" + (longest + 1),
                "--format", "json");
        long budget = doc.at("/vllm/budgetBytes").asLong();
        assertThat(at.at("/fit/verdict").asText()).isEqualTo("fits");
        assertThat(at.at("/memory/errorBand/highBytes").asLong()).isLessThanOrEqualTo(budget);
        assertThat(past.at("/fit/verdict").asText()).isNotEqualTo("fits");
        // The KV cache is block arithmetic, not widened: the band's high end adds to the rest only.
        JsonNode m = at.at("/memory");
        long rest = m.at("/totalBytes").asLong() - m.at("/components/kvCache").asLong();
        double high = (m.at("/errorBand/highBytes").asLong() - m.at("/totalBytes").asLong()) / (double) rest;
        assertThat(high).isBetween(0.0, 0.5);
        // The largest batch at the context is bounded by the pool's concurrency, whole blocks per sequence.
        assertThat(doc.at("/fit/largestBatch").asLong()).isLessThanOrEqualTo(blocks / (4096 / 16));
    }

    @Test
    void tableShowsTheSameLongestContextAsTheDocument() throws Exception {
        String out = CliRunner.run("fit", "llama-3.1-8b", "--runtime", "vllm", "--gpu", "rtx-4090").out();
        Matcher longest = Pattern.compile("longest context that fits \\(batch 1\\): ([0-9]+) tokens \\(limited by vLLM's KV block pool")
                .matcher(out);
        assertThat(longest.find()).as(out).isTrue();
        JsonNode doc = CliRunner.json("fit", "llama-3.1-8b", "--runtime", "vllm", "--gpu", "rtx-4090", "--format", "json");
        assertThat(longest.group(1)).isEqualTo(doc.at("/fit/longestContext").asText());
    }

    @Test
    void aBatchSharesThePool() throws Exception {
        JsonNode doc = CliRunner.json("fit", "llama-3.1-8b", "--runtime", "vllm", "--gpu", "rtx-4090", "--batch", "4", "--format", "json");
        long blocks = doc.at("/vllm/blocks").asLong();
        assertThat(doc.at("/fit/longestContext").asLong()).isPositive().isLessThanOrEqualTo(blocks / 4 * 16);
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
