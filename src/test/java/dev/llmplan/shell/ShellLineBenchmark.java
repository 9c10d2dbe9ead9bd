package dev.llmplan.shell;

import dev.llmplan.cli.Cli;
import dev.llmplan.cli.Context;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import picocli.CommandLine.Model.CommandSpec;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** How long the shell takes to answer one line once it is running (catalog loaded, JVM warm). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ShellLineBenchmark {
    private final StringWriter out = new StringWriter();
    private LineRunner runner;

    @Setup
    public void setUp() {
        Context session = new Context(new PrintWriter(out), new PrintWriter(new StringWriter()),
                new ByteArrayInputStream(new byte[0]), Map.of("XDG_CONFIG_HOME", "/nonexistent-llmplan-bench"));
        CommandSpec root = Cli.create(session).getCommandSpec();
        SessionDefaults defaults = new SessionDefaults(root);
        runner = new LineRunner(session, defaults, new ShellBuiltins(defaults, () -> session.catalogs().get(), root));
    }

    @Benchmark
    public int fitOnTwoCards() {
        out.getBuffer().setLength(0);
        runner.run(List.of("fit", "llama-2-70b", "--quant", "4bit", "--gpu", "2x rtx-4090", "--no-ladder"));
        return out.getBuffer().length();
    }

    @Benchmark
    public int recommend() {
        out.getBuffer().setLength(0);
        runner.run(List.of("recommend", "mixtral-8x7b", "--quant", "4bit"));
        return out.getBuffer().length();
    }
}
