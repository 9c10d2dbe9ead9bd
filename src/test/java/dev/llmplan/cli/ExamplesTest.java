package dev.llmplan.cli;

import dev.llmplan.Main;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs every file in examples/ and holds it to the outcome its first comment states, so examples cannot
 * rot: "# Expected: pass", "# Expected: fail (entry: req, req; entry: req)" or
 * "# Expected: invalid (lines 8, 12)".
 */
class ExamplesTest {
    static final Path EXAMPLES = Path.of("examples");
    static final Pattern EXPECTED = Pattern.compile("(?m)^# Expected: (pass|fail|invalid)(?: \\(([^)]*)\\))? —");

    @TempDir
    Path dir;

    record Expectation(String outcome, String detail) {
    }

    static Expectation expectation(Path file) throws Exception {
        String head = String.join("\n", Files.readAllLines(file).stream().limit(6).toList());
        Matcher m = EXPECTED.matcher(head);
        assertThat(m.find()).as(file + " states its expected outcome near the top (\"# Expected: pass|fail|invalid — why\")").isTrue();
        return new Expectation(m.group(1), m.group(2));
    }

    static List<Path> files(String suffix) throws Exception {
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void everyExampleStatesItsOutcomeAndIsCoveredHere() throws Exception {
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            List<Path> all = s.sorted().toList();
            assertThat(all).isNotEmpty();
            for (Path p : all) {
                assertThat(p.getFileName().toString()).matches(".*\\.(yaml|yml|sh)");
                expectation(p);
            }
        }
        assertThat(files(".yaml")).extracting(p -> p.getFileName().toString()).contains(
                "home-rig-4bit.yaml", "h100-70b-fp8.yaml", "qlora-33b-rtx4090.yaml", "dgx-a100-pretrain.yaml",
                "failing-home-rig.yaml", "invalid-plan.yaml");
    }

    @TestFactory
    Stream<DynamicTest> planExamplesHaveTheOutcomeTheirCommentStates() throws Exception {
        return files(".yaml").stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> checkPlan(p)));
    }

    private void checkPlan(Path plan) throws Exception {
        Expectation e = expectation(plan);
        CliRun r = CliRun.of(dir, "check", plan.toString(), "--format", "json");
        skipIfTrainingIsMissing(r);
        switch (e.outcome()) {
            case "pass" -> {
                assertThat(r.exit()).as(r.out() + r.err()).isZero();
                assertThat(new ObjectMapper().readTree(r.out()).get("passed").asBoolean()).isTrue();
            }
            case "fail" -> {
                assertThat(r.exit()).as(r.err()).isEqualTo(1);
                assertThat(failures(new ObjectMapper().readTree(r.out()))).isEqualTo(parseFailures(e.detail()));
                CliRun table = CliRun.of(dir, "check", plan.toString());
                parseFailures(e.detail()).forEach((entry, reqs) -> reqs.forEach(req ->
                        assertThat(table.out()).contains("FAIL " + entry + ": " + req + ": ")));
            }
            case "invalid" -> {
                assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(3);
                assertThat(r.out()).isEmpty();
                Set<Integer> lines = new TreeSet<>();
                Matcher m = Pattern.compile(Pattern.quote(plan.toString()) + ":(\\d+): ").matcher(r.err());
                while (m.find()) {
                    lines.add(Integer.parseInt(m.group(1)));
                }
                Set<Integer> expected = new TreeSet<>();
                for (String n : e.detail().replace("lines", "").split(",")) {
                    expected.add(Integer.parseInt(n.trim()));
                }
                assertThat(lines).isEqualTo(expected);
                assertThat(r.err().lines()).hasSize(expected.size());
            }
            default -> throw new AssertionError(e.outcome());
        }
    }

    /** Training modes arrive with engine/TrainingModel; until then their examples cannot run. */
    private static void skipIfTrainingIsMissing(CliRun r) {
        if (r.err().contains("is not available yet")) {
            abort("training modes are not available in this build yet: " + r.err().strip());
        }
    }

    private static Map<String, Set<String>> failures(JsonNode doc) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (JsonNode entry : doc.get("entries")) {
            for (JsonNode req : entry.get("requirements")) {
                if (!req.get("passed").asBoolean()) {
                    out.computeIfAbsent(entry.get("name").asText(), k -> new TreeSet<>()).add(req.get("requirement").asText());
                }
            }
        }
        return out;
    }

    /** "a: fits, minContext; b: maxGpus" as a map from entry to failed requirements. */
    static Map<String, Set<String>> parseFailures(String detail) {
        assertThat(detail).as("a failing example lists its failures: (entry: requirement, ...; ...)").isNotBlank();
        Map<String, Set<String>> out = new TreeMap<>();
        for (String part : detail.split(";")) {
            String[] kv = part.split(":", 2);
            Set<String> reqs = new TreeSet<>();
            for (String q : kv[1].split(",")) {
                reqs.add(q.trim());
            }
            out.put(kv[0].trim(), reqs);
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> workflowsRunTheirCheckCommandWithTheStatedOutcome() throws Exception {
        return files(".yml").stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            Expectation e = expectation(p);
            JsonNode wf = new ObjectMapper(new YAMLFactory()).readTree(p.toFile());
            List<String> commands = new ArrayList<>();
            for (JsonNode job : wf.get("jobs")) {
                for (JsonNode step : job.get("steps")) {
                    if (step.has("run")) {
                        step.get("run").asText().lines().filter(l -> l.contains("llmplan check")).forEach(commands::add);
                    }
                }
            }
            assertThat(commands).as("the workflow runs llmplan check").isNotEmpty();
            for (String command : commands) {
                List<String> args = new ArrayList<>(Arrays.asList(command.trim().split("\\s+")));
                assertThat(args.get(0)).isEqualTo("./llmplan");
                args.remove(0);
                int junit = args.indexOf("--junit");
                Path report = dir.resolve("report.xml");
                if (junit >= 0) {
                    args.set(junit + 1, report.toString());
                }
                args.stream().filter(a -> a.startsWith("examples/")).forEach(a -> assertThat(Path.of(a)).exists());
                CliRun r = CliRun.of(dir, args.toArray(String[]::new));
                skipIfTrainingIsMissing(r);
                assertThat(r.exit()).as(command + "\n" + r.out() + r.err()).isEqualTo(e.outcome().equals("pass") ? 0 : 1);
                if (junit >= 0) {
                    assertThat(Files.readString(report)).contains("<testsuites");
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> scriptsRunWithTheStatedOutcome() throws Exception {
        return files(".sh").stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            Expectation e = expectation(p);
            assumeTrue(onPath("bash"), "bash is not installed");
            assumeTrue(onPath("jq"), "jq is not installed: the script needs it (its missing-jq message is tested separately)");
            Process proc = script(p, Map.of());
            String out = new String(proc.getInputStream().readAllBytes());
            String err = new String(proc.getErrorStream().readAllBytes());
            assertThat(proc.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(proc.exitValue()).as(out + err).isEqualTo(e.outcome().equals("pass") ? 0 : 1);
            if (p.getFileName().toString().equals("fit-json-jq.sh")) {
                // 7B and 13B in 4-bit fit two 16 GiB cards; 70B (about 40 GiB) does not
                assertThat(out.lines().toList()).hasSize(4);
                assertThat(out).containsPattern("(?m)^mistral-7b\tfits\t")
                        .containsPattern("(?m)^llama-2-13b\tfits\t")
                        .containsPattern("(?m)^llama-2-70b\tdoes not fit\t-");
            }
        }));
    }

    @Test
    void jqScriptSaysClearlyWhenJqIsMissing() throws Exception {
        assumeTrue(onPath("bash"), "bash is not installed");
        Process proc = script(EXAMPLES.resolve("fit-json-jq.sh"), Map.of("JQ", dir.resolve("no-jq-here").toString()));
        String err = new String(proc.getErrorStream().readAllBytes());
        assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(proc.exitValue()).isEqualTo(127);
        assertThat(err).contains("jq is not installed");
    }

    private Process script(Path script, Map<String, String> extraEnv) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        assumeTrue(!cp.contains(" ") && !java.contains(" "), "paths with spaces");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString());
        pb.environment().put("LLMPLAN", java + " -XX:TieredStopAtLevel=1 -cp " + cp + " dev.llmplan.Main");
        pb.environment().put("XDG_CONFIG_HOME", dir.toString());
        pb.environment().putAll(extraEnv);
        return pb.start();
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
