package dev.llmplan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ListCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void modelsJsonListsAtLeast150() throws Exception {
        CliRunner.Result r = CliRunner.run("models", "--format", "json");
        assertThat(r.exitCode()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(doc.get("models").size()).isGreaterThanOrEqualTo(150).isEqualTo(doc.get("count").asInt());
    }

    @Test
    void gpusListsAtLeast35WithSystems() throws Exception {
        JsonNode doc = JSON.readTree(CliRunner.run("gpus", "--format", "json").out());
        assertThat(doc.get("gpus").size()).isGreaterThanOrEqualTo(35);
        CliRunner.Result table = CliRunner.run("gpus");
        assertThat(table.out()).contains("dgx-a100-640gb").contains("rtx-4060-ti-16gb");
    }

    @Test
    void modelFiltersNarrowTheList() throws Exception {
        JsonNode doc = JSON.readTree(CliRunner.run("models", "--family", "Llama 2", "--format", "json").out());
        assertThat(doc.get("models")).allSatisfy(m -> assertThat(m.get("family").asText()).isEqualTo("Llama 2"));
        assertThat(doc.get("models").size()).isGreaterThanOrEqualTo(3);
        JsonNode big = JSON.readTree(CliRunner.run("models", "--min-params", "100B", "--format", "json").out());
        assertThat(big.get("models")).allSatisfy(m -> assertThat(m.get("parameters").asLong()).isGreaterThanOrEqualTo(100_000_000_000L));
    }

    @Test
    void csvAndMarkdownHaveAHeaderAndRows() {
        String csv = CliRunner.run("gpus", "--format", "csv", "--vendor", "amd").out();
        assertThat(csv.lines().findFirst().orElseThrow()).startsWith("id,kind,name");
        assertThat(csv.lines().count()).isGreaterThan(2);
        String md = CliRunner.run("models", "--format", "markdown", "--family", "Mistral").out();
        assertThat(md).startsWith("| id | name |");
    }

    @Test
    void catalogShowPrintsTheSource() {
        CliRunner.Result r = CliRunner.run("catalog", "show", "mixtral-8x7b", "--format", "yaml");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("source:").contains("experts: 8");
    }
}
