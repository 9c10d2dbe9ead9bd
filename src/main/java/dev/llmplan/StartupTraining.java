package dev.llmplan;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * Build step: the run that the start-up archives record (the CDS archive made at package time for
 * Java 17, the launcher's ahead-of-time cache on Java 25 and later). It runs the command lines people
 * type most, in one JVM, so that the classes of each (the table and JSON paths, recommend, the lists)
 * are archived, not only those of one. Output is discarded; no user catalog is read.
 */
public final class StartupTraining {
    /** Covers the start-up benchmark's commands and the hardware path of fit (scripts/startup-benchmark.sh). */
    static final List<String[]> COMMANDS = List.of(
            new String[] {"--version"},
            new String[] {"fit", "70B", "--quant", "8bit"},
            new String[] {"fit", "llama-2-7b", "--format", "json"},
            new String[] {"fit", "llama-2-13b", "--gpu", "rtx-4090", "--quant", "q4_k_m"},
            new String[] {"recommend", "llama-2-70b", "--quant", "4bit"},
            new String[] {"gpus"},
            new String[] {"models"});

    private StartupTraining() {
    }

    public static void main(String[] args) {
        // A config folder that does not exist: the archive must not depend on the build machine's catalog.
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", "/nonexistent/llmplan-training", "HOME", "/nonexistent");
        PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
        for (String[] command : COMMANDS) {
            int code = Main.run(command, discard, discard, new ByteArrayInputStream(new byte[0]), env);
            if (code != 0) {
                throw new IllegalStateException("training command failed with exit " + code + ": " + String.join(" ", command));
            }
        }
    }
}
