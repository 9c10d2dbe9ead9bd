package dev.llmplan.device;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command-line tool found on the PATH of the environment llmplan was given, with a bounded
 * wait: output goes to temporary files (so a chatty tool cannot block on a full pipe), a tool
 * that does not finish in time is killed, and at most 1 MiB of its output is read.
 */
final class ToolRunner {
    static final int MAX_OUTPUT = 1024 * 1024;

    /** A tool that could not be used, with the reason in a few words. */
    static final class Failed extends Exception {
        Failed(String reason) {
            super(reason);
        }
    }

    record Result(String out, String err) {
    }

    private final String path;
    private final Duration timeout;

    ToolRunner(Map<String, String> env, Duration timeout) {
        this.path = env.getOrDefault("PATH", "");
        this.timeout = timeout;
    }

    /** The executable's full path, or null when it is not on the PATH. */
    Path find(String tool) {
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            try {
                Path p = Path.of(dir, tool);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
            } catch (InvalidPathException e) {
                // a PATH entry that is no path on this system
            }
        }
        return null;
    }

    /** Runs the tool; a non-zero exit, a time-out or no such tool is {@link Failed}. */
    Result run(String tool, String... args) throws Failed {
        Path exe = find(tool);
        if (exe == null) {
            throw new Failed("not found on PATH");
        }
        List<String> command = new ArrayList<>();
        command.add(exe.toString());
        command.addAll(List.of(args));
        Path out = null;
        Path err = null;
        Process p = null;
        try {
            out = Files.createTempFile("llmplan-tool", ".out");
            err = Files.createTempFile("llmplan-tool", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File(File.separatorChar == '/' ? "/dev/null" : "NUL")));
            pb.environment().put("PATH", path);
            pb.environment().put("LC_ALL", "C");
            p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(1, TimeUnit.SECONDS);
                throw new Failed("no answer within " + seconds(timeout));
            }
            String stdout = read(out);
            String stderr = read(err);
            if (p.exitValue() != 0) {
                String why = firstLine(stderr.isBlank() ? stdout : stderr);
                throw new Failed("exit " + p.exitValue() + (why.isEmpty() ? "" : ": " + why));
            }
            return new Result(stdout, stderr);
        } catch (IOException e) {
            throw new Failed("cannot run it: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (p != null) {
                p.destroyForcibly();
            }
            throw new Failed("interrupted");
        } finally {
            delete(out);
            delete(err);
        }
    }

    private static String read(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            return new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
        }
    }

    private static void delete(Path f) {
        if (f != null) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // a leftover temporary file is harmless
            }
        }
    }

    static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        String line = (nl < 0 ? t : t.substring(0, nl)).strip();
        return line.length() > 120 ? line.substring(0, 120) + "..." : line;
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toMillis() / 1000 + " s" : d.toMillis() / 1000.0 + " s";
    }
}
