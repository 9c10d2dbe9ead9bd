package dev.llmplan.planfile;

import dev.llmplan.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 16 #5: plan files read YAML's number forms as catalogs do, and refuse the rest with file:line (exit 3). */
class PlanNumbersTest {
    @TempDir
    Path dir;

    private CliRunner.Result check(String batch, String context, String headroom) throws Exception {
        Path p = Files.writeString(dir.resolve("plan" + System.nanoTime() + ".yaml"), """
                schemaVersion: 1
                entries:
                  - name: one
                    model: mistral-7b
                    workload: {quant: q4_k_m, batch: BATCH, context: CONTEXT}
                    hardware: {gpu: h100}
                    requirements: {minHeadroomPercent: HEADROOM}
                """.replace("BATCH", batch).replace("CONTEXT", context).replace("HEADROOM", headroom));
        return CliRunner.run("check", p.toString(), "--format", "json");
    }

    @Test
    void hexBinaryUnderscoresAndOctal12AreNumbers() throws Exception {
        CliRunner.Result r = check("0x2", "0b1_0000_0000_0000", "1_0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"batch\" : 2").contains("\"context\" : 4096");
        assertThat(check("0o2", "4096", "10").exitCode()).isZero();
    }

    @Test
    void infinityNanAndAmbiguousOctalAreRefusedWithTheirLine() throws Exception {
        CliRunner.Result inf = check("1", "4096", ".inf");
        assertThat(inf.exitCode()).isEqualTo(3);
        assertThat(inf.err()).containsPattern("\\.yaml:7: one: requirements\\.minHeadroomPercent: must be a finite number, got \\.inf");
        CliRunner.Result nan = check(".nan", "4096", "10");
        assertThat(nan.exitCode()).isEqualTo(3);
        assertThat(nan.err()).contains(":5: one: workload.batch: expected a whole number, got a number .nan");
        CliRunner.Result octal = check("010", "4096", "10");
        assertThat(octal.exitCode()).isEqualTo(3);
        assertThat(octal.err()).contains(":5: one: workload.batch: '010' is ambiguous");
        CliRunner.Result ctx = check("1", "012", "10");
        assertThat(ctx.exitCode()).isEqualTo(3);
        assertThat(ctx.err()).contains(":5: one: workload.context: '012' is ambiguous");
        for (CliRunner.Result r : new CliRunner.Result[] {inf, nan, octal, ctx}) {
            assertThat(r.err().lines()).hasSize(1);
            assertThat(r.err()).doesNotContain("NumberFormatException").doesNotContain("internal error");
        }
    }
}
