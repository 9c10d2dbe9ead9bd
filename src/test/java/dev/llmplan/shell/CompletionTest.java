package dev.llmplan.shell;

import dev.llmplan.cli.Cli;
import dev.llmplan.cli.Context;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Completion candidates as JLine asks for them: a line, a cursor, the parser's words, our completer. */
class CompletionTest {
    @TempDir
    Path dir;

    private Terminal terminal;

    @AfterEach
    void close() throws Exception {
        if (terminal != null) {
            terminal.close();
        }
    }

    /** The values JLine would offer for {@code line} with the cursor at its end. */
    private List<String> complete(String line, Map<String, String> env) throws Exception {
        Context context = new Context(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                new ByteArrayInputStream(new byte[0]), ShellHarness.env(env));
        CommandSpec root = Cli.create(context).getCommandSpec();
        SessionDefaults defaults = new SessionDefaults(root);
        ShellCompleter completer = new ShellCompleter(new Completions(root, () -> context.catalogs().get(), defaults, dir));
        terminal = new DumbTerminal("test", Terminal.TYPE_DUMB, new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), java.nio.charset.StandardCharsets.UTF_8);
        DefaultParser parser = new DefaultParser();
        LineReader reader = LineReaderBuilder.builder().terminal(terminal).parser(parser).completer(completer).build();
        ParsedLine parsed = parser.parse(line, line.length(), Parser.ParseContext.COMPLETE);
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(reader, parsed, candidates);
        return candidates.stream().map(Candidate::value).toList();
    }

    private List<String> complete(String line) throws Exception {
        return complete(line, Map.of());
    }

    @Test
    void commandsAndShellCommands() throws Exception {
        assertThat(complete("fi")).containsExactly("fit");
        assertThat(complete("se")).contains("set", "settings");
        assertThat(complete("")).contains("fit", "models", "gpus", "catalog", "help", "exit", "quit");
    }

    @Test
    void aPartialModelId() throws Exception {
        List<String> c = complete("fit llama-2-1");
        assertThat(c).contains("llama-2-13b", "Llama-2-13b-chat").doesNotContain("llama-2-7b", "llama-2-70b");
        assertThat(complete("fit mixtral-8x2")).containsExactly("mixtral-8x22b");
    }

    @Test
    void aPartialGpuIdAfterACount() throws Exception {
        List<String> joined = complete("fit 7B --gpu 2xrtx-40");
        assertThat(joined).contains("2xrtx-4060-ti-16gb", "2xrtx-4060-ti-8gb", "2xrtx-4090")
                .allMatch(v -> v.startsWith("2xrtx-40"));
        assertThat(complete("fit 7B --gpu \"2x rtx-4060")).contains("2x rtx-4060-ti-16gb", "2x rtx-4060-ti-8gb");
        assertThat(complete("fit 7B --gpu rtx-4090,a100-8")).contains("rtx-4090,a100-80gb");
        assertThat(complete("fit 7B --gpu=dgx-a")).contains("--gpu=dgx-a100-640gb");
    }

    @Test
    void optionNamesAndOptionValues() throws Exception {
        assertThat(complete("fit 7B --qu")).containsExactly("--quant");
        assertThat(complete("fit 7B --quant q4_k")).contains("q4_k_m", "q4_k_s").allMatch(v -> v.startsWith("q4_k"));
        assertThat(complete("fit 7B --quant nf")).contains("nf4", "nf4-dq");
        assertThat(complete("fit 7B --quant 4")).contains("4bit");
        assertThat(complete("fit 7B --mode q")).containsExactly("qlora");
        assertThat(complete("fit 7B --runtime ")).contains("transformers", "vllm", "llama.cpp", "generic");
        assertThat(complete("fit 7B --format j")).containsExactly("json");
        assertThat(complete("fit 7B --optimizer paged")).containsExactly("paged-adamw-8bit");
        assertThat(complete("fit 7B --kv-cache q8")).containsExactly("q8_0");
        assertThat(complete("fit 7B --context 12")).containsExactly("128k");
    }

    @Test
    void sessionSettingsCompleteKeysAndValues() throws Exception {
        assertThat(complete("set qu")).containsExactly("quant");
        assertThat(complete("set gpu rtx-409")).contains("rtx-4090");
        assertThat(complete("set gpu 2x rtx-4060-ti-1")).containsExactly("rtx-4060-ti-16gb");
        assertThat(complete("set mode lo")).containsExactly("load", "lora");
    }

    @Test
    void modelsFromAUserCatalog() throws Exception {
        Path mine = dir.resolve("mine.yaml");
        Files.writeString(mine, """
                schemaVersion: 1
                models:
                  - id: zz-private-model-7b
                    name: Private 7B
                    aliases: [zz-private-alias]
                    family: Mine
                    developer: Me
                    weights: open
                    type: decoder
                    parameters: 6738415616
                    source: test
                    architecture: {layers: 32, hidden: 4096, heads: 32, kvHeads: 32, headDim: 128, ffn: 11008,
                                   ffnType: swiglu, vocab: 32000, maxContext: 4096, tiedEmbeddings: false}
                """);
        assertThat(complete("fit zz-priv", Map.of("LLMPLAN_CATALOG", mine.toString())))
                .containsExactly("zz-private-model-7b", "zz-private-alias");
        assertThat(complete("fit zz-priv")).isEmpty();
    }

    @Test
    void fileArguments() throws Exception {
        Files.writeString(dir.resolve("plan.yaml"), "x");
        Files.createDirectory(dir.resolve("plans"));
        String base = dir + "/pl";
        assertThat(complete("check " + base)).containsExactly(dir + "/plan.yaml", dir + "/plans/");
        assertThat(complete("fit 7B --catalog " + base)).contains(dir + "/plan.yaml");
        assertThat(complete("inspect " + base)).contains(dir + "/plan.yaml");
        assertThat(complete("fit " + dir + "/pla")).contains(dir + "/plan.yaml");
        assertThat(complete("check pl")).containsExactly("plan.yaml", "plans/"); // relative to the working folder
    }
}
