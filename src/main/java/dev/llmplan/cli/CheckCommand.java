package dev.llmplan.cli;

import dev.llmplan.request.PlanResolver;

import dev.llmplan.yaml.DataFileException;
import dev.llmplan.yaml.Problem;
import dev.llmplan.format.CheckReport;
import dev.llmplan.planfile.EntryResult;
import dev.llmplan.format.JUnitReport;
import dev.llmplan.planfile.PlanFile;
import dev.llmplan.planfile.PlanParser;
import dev.llmplan.request.Options;
import dev.llmplan.request.PlanResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code llmplan check PLAN.yaml...}: evaluates plan files for CI; exit 1 when any requirement fails. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Evaluate plan files: every entry must fit its hardware and meet its requirements.",
                "A plan file is YAML (schema: schema/plan.schema.json): schemaVersion: 1 and a list of entries, "
                        + "each with name, model, workload (the fit options in camelCase), hardware {gpu, nodes} "
                        + "and requirements {minHeadroomPercent, maxGpus, minContext, maxCostUsd, minDecodeTokensPerSecond}."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every entry passes", "1:an entry fails a requirement (each failure says which and by how much)",
                "2:usage error", "3:invalid plan file (every problem with its line; nothing evaluated)", "4:internal error"},
        footerHeading = "%nExamples:%n",
        footer = {"  llmplan check examples/home-rig-4bit.yaml",
                "  llmplan check deploy.yaml --format json",
                "  llmplan check plans/*.yaml --junit reports/llmplan.xml"})
final class CheckCommand implements Callable<Integer> {
    /** Plan files are hand-written; anything larger is a mistake. */
    static final long MAX_PLAN_BYTES = 4L * 1024 * 1024;

    private final Context context;

    @Parameters(arity = "1..*", paramLabel = "PLAN.yaml", description = "Plan files to evaluate.")
    List<Path> plans;

    @Mixin
    OutputOptions output;

    @Option(names = "--junit", paramLabel = "FILE",
            description = "Also write a JUnit XML report (one test case per entry) to FILE, replacing it atomically.")
    Path junit;

    CheckCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        output.validate();
        List<Problem> problems = new ArrayList<>();
        List<PlanFile> parsed = new ArrayList<>();
        Map<String, Path> dirs = new HashMap<>();
        for (Path p : plans) {
            String name = p.toString();
            String text = read(p, problems);
            if (text == null) {
                continue;
            }
            parsed.add(PlanParser.parse(text, name, problems, Options.planKeys()));
            Path parent = p.toAbsolutePath().getParent();
            dirs.put(name, parent);
        }
        if (parsed.isEmpty()) {
            throw new DataFileException(problems);
        }
        PlanResolver resolver = new PlanResolver(context.catalogs().get(), context.env());
        List<EntryResult> results;
        try {
            results = resolver.evaluate(parsed, dirs, problems);
        } finally {
            resolver.notes().forEach(n -> context.err().println("llmplan check: note: " + Options.forPlanFile(n)));
            context.err().flush();
        }
        for (EntryResult r : results) {
            r.warnings().forEach(w -> context.err().println("llmplan check: warning: " + r.entry().name() + ": "
                    + Options.forPlanFile(w)));
        }
        context.err().flush();
        CheckReport report = new CheckReport(results);
        if (junit != null) {
            JUnitReport.write(junit, JUnitReport.xml(results));
        }
        output.print(context, report);
        return report.passed() ? Cli.OK : Cli.CHECK_FAILED;
    }

    private static String read(Path p, List<Problem> problems) {
        String name = p.toString();
        try {
            if (!Files.isRegularFile(p)) {
                problems.add(new Problem(name, 0, null, null, Files.exists(p) ? "not a regular file" : "no such file"));
                return null;
            }
            if (Files.size(p) > MAX_PLAN_BYTES) {
                problems.add(new Problem(name, 0, null, null, "larger than " + MAX_PLAN_BYTES / (1024 * 1024) + " MiB"));
                return null;
            }
            byte[] bytes = Files.readAllBytes(p);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            problems.add(new Problem(name, 0, null, null, "not UTF-8 text"));
        } catch (IOException | SecurityException e) {
            problems.add(new Problem(name, 0, null, null, "cannot read: " + e.getClass().getSimpleName()));
        }
        return null;
    }
}
