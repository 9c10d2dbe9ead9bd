package dev.llmplan.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 16 #14, #15: one rule for sizes, ASCII digits, no overflow in messages, a stated GPU bound. */
class ParsingConsistencyTest {
    @TempDir
    Path dir;

    private static void usage(CliRunner.Result r, String fragment) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains(fragment).doesNotContain("internal error");
    }

    @Test
    void everyNameThatStartsWithADigitIsReadAsASize() {
        // Was: 70Q exit 2 while 7BB and 1e30B were exit 3 "unknown model".
        usage(CliRunner.run("fit", "70Q"), "unknown suffix 'Q'");
        usage(CliRunner.run("fit", "7BB"), "unknown suffix 'BB'");
        usage(CliRunner.run("fit", "1e30B"), "above the supported maximum");
        usage(CliRunner.run("fit", "99999999999x7B"), "cannot read size");
        usage(CliRunner.run("fit", "1e99999B"), "cannot read size");
        CliRunner.Result unknown = CliRunner.run("fit", "llama-9-70b");
        assertThat(unknown.exitCode()).isEqualTo(3);
        assertThat(unknown.err()).contains("unknown model");
    }

    @Test
    void fullWidthDigitsAreNotNumbersAnywhere() {
        usage(CliRunner.run("fit", "7B", "--batch", "\uff14"), "is not a whole number");
        usage(CliRunner.run("fit", "7B", "--context", "\uff14\uff10\uff19\uff16"), "is not a token count");
        CliRunner.Result gpu = CliRunner.run("fit", "7B", "--gpu", "\uff12xh100");
        assertThat(gpu.exitCode()).as("not a count: the whole item is a GPU name").isEqualTo(3);
        assertThat(gpu.err()).contains("unknown GPU '\uff12xh100'");
    }

    @Test
    void gpuCountsAreBoundedAndNeverOverflowInMessages() throws Exception {
        usage(CliRunner.run("fit", "7B", "--gpu", "4097xh100"), "must be between 1 and 4096");
        usage(CliRunner.run("fit", "7B", "--gpu", "99999999999999xh100"), "must be between 1 and 4096");
        usage(CliRunner.run("fit", "7B", "--gpu", "dgx-a100", "--nodes", "513"), "more than 4096 GPUs");
        assertThat(CliRunner.run("fit", "7B", "--gpu", "4096xh100", "--no-ladder").exitCode()).isZero();
        Path catalog = Files.writeString(dir.resolve("sys.yaml"), """
                schemaVersion: 1
                systems:
                  - id: my-sys
                    name: My System
                    vendor: nvidia
                    gpu: h100-sxm5
                    count: 1024
                    source: datasheet
                """);
        // Was: with count 2147483647, '2xmy-sys' said "got -2" (int overflow).
        CliRunner.Result r = CliRunner.run("fit", "7B", "--gpu", "5xmy-sys", "--catalog", catalog.toString());
        usage(r, "'5xmy-sys' is 5 x 1024 = 5120 GPUs, more than 4096");
    }

    @Test
    void longDigitRunsInFormatsAreUsageErrors() {
        assertThat(CliRunner.run("fit", "7B", "--quant", "gptq-99999999999bit").exitCode()).isEqualTo(2);
        assertThat(CliRunner.run("fit", "7B", "--quant", "gptq-4bit-g99999999999").exitCode()).isEqualTo(2);
    }
}
