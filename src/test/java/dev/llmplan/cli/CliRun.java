package dev.llmplan.cli;

import dev.llmplan.Main;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs one command line in-process with captured streams and an empty config directory. */
record CliRun(int exit, String out, String err) {
    static CliRun of(Path configHome, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), new ByteArrayInputStream(new byte[0]),
                Map.of("XDG_CONFIG_HOME", configHome.toString(), "HF_HUB_OFFLINE", "1",
                        "XDG_CACHE_HOME", configHome.resolve("cache-absent").toString()));
        return new CliRun(code, out.toString(), err.toString());
    }
}
