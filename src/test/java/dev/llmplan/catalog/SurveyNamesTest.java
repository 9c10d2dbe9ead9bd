package dev.llmplan.catalog;

import dev.llmplan.engine.LlmplanException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every model the survey names resolves by the survey's own spelling. The names are extracted from
 * shared/seed/llm-survey.md with their line numbers (src/test/resources/survey/survey-names.tsv); a copy of
 * those lines (survey-lines.txt) keeps the test meaningful where the shared folder is absent, and is checked
 * against the survey where it is present.
 */
class SurveyNamesTest {
    /** The survey relative to the repository root (Maven runs tests there). */
    static final Path SURVEY = Path.of("../shared/seed/llm-survey.md");

    record Row(int line, String spelling, String expected) {
        boolean isModel() {
            return !expected.startsWith("NONE:");
        }

        boolean isFamily() {
            return expected.startsWith("FAMILY:");
        }

        String id() {
            return isFamily() ? expected.substring("FAMILY:".length()) : expected;
        }
    }

    static List<Row> rows(String resource) throws IOException {
        List<Row> out = new ArrayList<>();
        for (String l : lines(resource)) {
            String[] f = l.split("\t");
            assertThat(f).as(l).hasSize(3);
            out.add(new Row(Integer.parseInt(f[0]), f[1], f[2]));
        }
        return out;
    }

    static Map<Integer, String> copiedLines() throws IOException {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (String l : lines("/survey/survey-lines.txt")) {
            int tab = l.indexOf('\t');
            out.put(Integer.parseInt(l.substring(0, tab)), l.substring(tab + 1));
        }
        return out;
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = SurveyNamesTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        }
    }

    @Test
    void eachSpellingOccursInTheSurveyAtItsLine() throws IOException {
        Map<Integer, String> copy = copiedLines();
        List<Row> rows = rows("/survey/survey-names.tsv");
        assertThat(rows).hasSizeGreaterThan(200);
        for (Row r : rows) {
            assertThat(copy.get(r.line())).as("line " + r.line() + " for '" + r.spelling() + "'").contains(r.spelling());
        }
    }

    @Test
    void theCopiedLinesMatchTheSurveyWhereItIsPresent() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(SURVEY), "the shared survey is not beside the repository");
        List<String> survey = Files.readAllLines(SURVEY, StandardCharsets.UTF_8);
        copiedLines().forEach((n, text) -> assertThat(survey.get(n - 1)).as("survey line " + n).isEqualTo(text));
    }

    @Test
    void everySurveyModelResolvesBySurveySpelling() throws IOException {
        Catalog catalog = CatalogLoader.builtin();
        List<String> wrong = new ArrayList<>();
        for (Row r : rows("/survey/survey-names.tsv")) {
            if (!r.isModel()) {
                continue;
            }
            var match = catalog.matchModel(r.spelling());
            String got = match.map(m -> m.model().id()).orElse("(nothing)");
            if (!got.equals(r.id())) {
                wrong.add("line " + r.line() + ": '" + r.spelling() + "' -> " + got + ", expected " + r.id());
            } else if (r.isFamily() && match.get().note() == null && !r.spelling().equalsIgnoreCase(r.id())) {
                wrong.add("line " + r.line() + ": '" + r.spelling() + "' is a family name but gave no note");
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** The labels the survey's size lists compose ("OpenCALM 6.8B") resolve too. */
    @Test
    void composedSurveyLabelsResolve() throws IOException {
        Catalog catalog = CatalogLoader.builtin();
        List<String> wrong = new ArrayList<>();
        for (Row r : rows("/survey/survey-labels.tsv")) {
            String got = catalog.findModel(r.spelling()).map(m -> m.id()).orElse("(nothing)");
            if (!got.equals(r.id())) {
                wrong.add("'" + r.spelling() + "' -> " + got + ", expected " + r.id());
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void aFamilyNameSaysWhichSizeItPlansAndListsTheOthers() {
        Catalog catalog = CatalogLoader.builtin();
        var gpt2 = catalog.matchModel("GPT-2").orElseThrow();
        assertThat(gpt2.model().id()).isEqualTo("gpt2-xl"); // the survey's GPT-2 is the 1.5B model
        assertThat(gpt2.note()).contains("GPT-2 family", "gpt2-xl", "gpt2-small", "gpt2-medium", "gpt2-large");
        assertThat(catalog.matchModel("gpt2-xl").orElseThrow().note()).isNull();
    }

    @Test
    void aDeveloperNameListsItsModels() {
        Catalog catalog = CatalogLoader.builtin();
        assertThatThrownBy(() -> catalog.model("rinna")).isInstanceOf(LlmplanException.class)
                .hasMessageContaining("rinna is a developer").hasMessageContaining("japanese-gpt-neox-3.6b")
                .hasMessageContaining("youri-7b");
    }
}
