package dev.llmplan.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

/**
 * A folder of stand-in vendor tools (shell scripts) to put on PATH instead of the real
 * nvidia-smi, rocm-smi, amd-smi or sysctl. Each checks the arguments llmplan passes and prints a
 * canned answer, so tests run the same on machines with and without GPUs.
 */
public final class StandInTools {
    private final Path bin;

    public StandInTools(Path dir) throws IOException {
        this.bin = Files.createDirectories(dir.resolve("bin"));
    }

    /** The environment of a run that sees only these tools (PATH is this folder alone). */
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", bin.toString());
        return env;
    }

    /** A script that exits 2 unless called with exactly {@code args}, else prints {@code output}. */
    public StandInTools tool(String name, String args, String output) throws IOException {
        return script(name, "if [ \"$*\" != '" + args + "' ]; then echo \"unexpected arguments: $*\" >&2; exit 2; fi\n"
                + "printf '%s' '" + output.replace("'", "'\\''") + "'\n");
    }

    /** nvidia-smi answering the query llmplan makes with CSV lines. */
    public StandInTools nvidiaSmi(String csv) throws IOException {
        return tool("nvidia-smi", "--query-gpu=name,memory.total,memory.used --format=csv,noheader,nounits", csv);
    }

    /** sysctl answering hw.memsize, the CPU brand and (optionally) iogpu.wired_limit_mb. */
    public StandInTools sysctl(long memsize, String brand, Long wiredLimitMb) throws IOException {
        return script("sysctl", "case \"$*\" in\n"
                + "  '-n hw.memsize') echo " + memsize + " ;;\n"
                + "  '-n machdep.cpu.brand_string') echo '" + brand + "' ;;\n"
                + "  '-n iogpu.wired_limit_mb') " + (wiredLimitMb == null ? "echo 'sysctl: unknown oid' >&2; exit 1"
                : "echo " + wiredLimitMb) + " ;;\n"
                + "  *) echo \"unexpected arguments: $*\" >&2; exit 2 ;;\n"
                + "esac\n");
    }

    /** Any script body after "#!/bin/sh". */
    public StandInTools script(String name, String body) throws IOException {
        Path f = bin.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return this;
    }
}
