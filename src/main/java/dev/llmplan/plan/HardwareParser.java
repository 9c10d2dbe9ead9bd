package dev.llmplan.plan;

import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.Printable;
import dev.llmplan.engine.SystemSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code --gpu} values: {@code a100-80gb}, {@code "2x rtx-4060-ti-16gb"}, {@code 2xrtx-4090},
 * {@code dgx-a100}, and comma-separated mixes such as {@code rtx-4090,rtx-3090}.
 */
public final class HardwareParser {
    public static final int MAX_GPUS = 100_000;
    private static final Pattern COUNT = Pattern.compile("(?i)^\\s*(\\d+)\\s*[x×*]\\s*(.+)$");

    /** Looks up GPUs and systems by name; unknown names throw with suggestions. */
    public interface Lookup {
        Optional<GpuSpec> gpu(String name);

        Optional<SystemSpec> system(String name);

        LlmplanException unknown(String name);
    }

    private HardwareParser() {
    }

    public static HardwareSpec parse(String text, int nodes, Lookup lookup) {
        if (text == null || text.isBlank()) {
            throw LlmplanException.invalid("{gpu} is empty: expected e.g. a100-80gb, \"2x rtx-4090\" or dgx-a100");
        }
        if (nodes < 1 || nodes > 10_000) {
            throw LlmplanException.invalid("{nodes} must be between 1 and 10000, got " + nodes);
        }
        List<HardwareSpec.Group> groups = new ArrayList<>();
        int total = 0;
        for (String part : text.split(",", -1)) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw LlmplanException.invalid("{gpu} '" + Printable.of(text) + "' has an empty item");
            }
            if (p.matches("-\\s*\\d+.*")) {
                throw LlmplanException.invalid("GPU count in '" + p + "' must be between 1 and " + MAX_GPUS);
            }
            int count = 1;
            String name = p;
            Matcher m = COUNT.matcher(p);
            if (m.matches()) {
                try {
                    count = Integer.parseInt(m.group(1));
                } catch (NumberFormatException e) {
                    count = Integer.MAX_VALUE;
                }
                name = m.group(2).trim();
                if (count < 1 || count > MAX_GPUS) {
                    throw LlmplanException.invalid("GPU count in '" + p + "' must be between 1 and " + MAX_GPUS);
                }
            }
            HardwareSpec.Group group = resolve(name, count, lookup);
            total += group.count();
            if ((long) total * nodes > MAX_GPUS) {
                throw LlmplanException.invalid("more than " + MAX_GPUS + " GPUs in {gpu} '" + Printable.of(text) + "'");
            }
            groups.add(group);
        }
        return new HardwareSpec(groups, nodes);
    }

    private static HardwareSpec.Group resolve(String name, int count, Lookup lookup) {
        Optional<GpuSpec> gpu = lookup.gpu(name);
        if (gpu.isPresent()) {
            return new HardwareSpec.Group(gpu.get(), count, null);
        }
        Optional<SystemSpec> system = lookup.system(name);
        if (system.isPresent()) {
            SystemSpec s = system.get();
            return count == 1 ? new HardwareSpec.Group(s.gpu(), s.count(), s)
                    : new HardwareSpec.Group(s.gpu(), s.count() * count, null);
        }
        throw lookup.unknown(name);
    }
}
