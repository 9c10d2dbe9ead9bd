package dev.llmplan.shell;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shell as a user meets it: a separate JVM in a pseudo-terminal (src/test/e2e/shell-tab-completion.sh),
 * and the start-up promise that one-shot commands never load JLine.
 */
class ShellEndToEndTest {
    private static final Path SCRIPT = Path.of("src/test/e2e/shell-tab-completion.sh");

    /** The test classpath (surefire's manifest-only jar hides it from java.class.path). */
    private static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String run(List<String> command, long seconds, int[] exit) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("E2E_STARTUP_S", "6");
        pb.environment().put("E2E_COMMAND_S", "5");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] bytes = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(seconds, TimeUnit.SECONDS)).as("finished in time").isTrue();
        exit[0] = p.exitValue();
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void tabCompletesAPartialModelIdInARealTerminal() throws Exception {
        assumeTrue(onPath("script"), "util-linux 'script' is not installed: the pseudo-terminal check cannot run");
        assumeTrue(onPath("bash"), "bash is not installed");
        int[] exit = new int[1];
        String out = run(List.of("bash", SCRIPT.toString(), java(), "-cp", classpath(), "dev.llmplan.Main"), 120, exit);
        assertThat(exit[0]).as(out).isZero();
        assertThat(out).contains("Tab completed mixtral-8x2 to mixtral-8x22b");
    }

    @Test
    void oneShotCommandsNeverLoadJLine() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-verbose:class", "-cp", classpath(), "dev.llmplan.Main",
                "fit", "llama-2-7b", "--gpu", "rtx-4090"));
        int[] exit = new int[1];
        String out = run(cmd, 120, exit);
        assertThat(exit[0]).as(out).isZero();
        assertThat(out).contains("dev.llmplan.shell.ShellCommand").contains("On rtx-4090");
        assertThat(out).doesNotContain("org.jline").doesNotContain("dev.llmplan.shell.Shell ");
    }
}
