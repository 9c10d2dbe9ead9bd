package dev.llmplan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmplan.Main;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/** Runs the CLI in-process with captured streams, as the tests of every command do. */
public final class CliRunner {
    public record Result(int exitCode, String out, String err) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private CliRunner() {
    }

    /** Runs a command that must succeed and parses its stdout as JSON. */
    public static JsonNode json(String... args) {
        Result r = run(args);
        if (r.exitCode() != 0) {
            throw new AssertionError("exit " + r.exitCode() + ": " + r.err());
        }
        try {
            return JSON.readTree(r.out());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + r.out(), e);
        }
    }

    public static Result run(String... args) {
        return run(Map.of(), args);
    }

    public static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> e = new HashMap<>(env);
        // Keep the user's real config directory out of tests.
        e.putIfAbsent("XDG_CONFIG_HOME", System.getProperty("java.io.tmpdir") + "/llmplan-test-config-absent");
        // No test reaches the real hub: an ORG/NAME that is no catalog id would otherwise be looked up there.
        e.putIfAbsent("HF_HUB_OFFLINE", "1");
        e.putIfAbsent("XDG_CACHE_HOME", System.getProperty("java.io.tmpdir") + "/llmplan-test-cache-absent");
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), new ByteArrayInputStream(new byte[0]), e);
        return new Result(code, out.toString(), err.toString());
    }
}
