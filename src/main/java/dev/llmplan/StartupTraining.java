package dev.llmplan;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Build step: the run that the start-up archives record (README "Start-up"): the CDS archives made at
 * package time for Java 17 to 24, the launcher's ahead-of-time cache on Java 25 and later. It runs the
 * command lines people type most, in one JVM, so that the classes of each are archived, not only those of
 * one. JSON and YAML output load Jackson's serialisers, which triple an archive's size and so the time
 * every start spends mapping and relocating it; they are recorded only with the argument
 * {@code documents}, into a second archive that the launcher uses for those formats. Output is
 * discarded; no user catalog is read.
 */
public final class StartupTraining {
    /** The table commands, including those of scripts/startup-benchmark.sh. */
    static final List<String[]> TABLES = List.of(
            new String[] {"--version"},
            new String[] {"fit", "70B", "--quant", "8bit"},
            new String[] {"fit", "llama-2-13b", "--gpu", "rtx-4090", "--quant", "q4_k_m"},
            new String[] {"recommend", "llama-2-70b", "--quant", "4bit"},
            new String[] {"gpus"},
            new String[] {"models"});

    /** Document output, recorded in addition to the tables with the argument "documents". */
    static final List<String[]> DOCUMENTS = List.of(
            new String[] {"fit", "llama-2-7b", "--format", "json"},
            new String[] {"recommend", "llama-2-70b", "--quant", "4bit", "--format", "json"},
            new String[] {"fit", "llama-2-7b", "--format", "yaml"});

    private StartupTraining() {
    }

    public static void main(String[] args) {
        List<String[]> commands = new ArrayList<>(TABLES);
        if (List.of(args).contains("documents")) {
            commands.addAll(DOCUMENTS);
        }
        // A config folder that does not exist: the archive must not depend on the build machine's catalog.
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", "/nonexistent/llmplan-training", "HOME", "/nonexistent");
        PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
        for (String[] command : commands) {
            int code = Main.run(command, discard, discard, new ByteArrayInputStream(new byte[0]), env);
            if (code != 0) {
                throw new IllegalStateException("training command failed with exit " + code + ": " + String.join(" ", command));
            }
        }
    }
}
