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
 * {@code dgx-a100}, {@code "2x dgx-a100"} (two nodes), and comma-separated mixes such as {@code rtx-4090,rtx-3090}.
 */
public final class HardwareParser {
    /**
     * GPUs in one configuration, nodes included: twice the 2,048 A100s LLaMA 65B was trained on (the survey's
     * largest). Every per-card list and loop of the planner is bounded by it (README "Limits").
     */
    public static final int MAX_GPUS = 4096;
    /** Nodes: a configuration of one GPU per node still stays within {@link #MAX_GPUS}. */
    public static final int MAX_NODES = MAX_GPUS;
    private static final Pattern DEVICES_NOTE = Pattern.compile("(?i)\\s*\\(\\d+ devices\\)\\s*$");
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
        if (nodes < 1 || nodes > MAX_NODES) {
            throw LlmplanException.invalid("{nodes} must be between 1 and " + MAX_NODES + ", got " + nodes);
        }
        if (HardwareSpec.isCpuOnly(text)) {
            return HardwareSpec.cpuOnly(nodes);
        }
        List<HardwareSpec.Group> groups = new ArrayList<>();
        int total = 0;
        String[] items = text.split(",", -1);
        for (String part : items) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw LlmplanException.invalid("{gpu} '" + Printable.of(text) + "' has an empty item");
            }
            if (p.matches("-\\s*\\d+.*")) {
                throw LlmplanException.invalid("GPU count in '" + p + "' must be between 1 and " + MAX_GPUS);
            }
            // The device note of a label ("4x mi250x (8 devices)") is accepted back, so every label printed is input.
            p = DEVICES_NOTE.matcher(p).replaceFirst("");
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
            Optional<SystemSpec> system = lookup.gpu(name).isPresent() ? Optional.empty() : lookup.system(name);
            if (system.isPresent() && count > 1) {
                // A system is a node: "2x dgx-a100" is two nodes of eight GPUs (tensor parallel inside each,
                // a slower link between them), not one sixteen-GPU node.
                if (items.length > 1) {
                    throw LlmplanException.invalid("'" + Printable.of(p) + "' is " + count + " nodes; a list in {gpu} is one node:"
                            + " name the system alone and set {nodes}, or list its GPUs");
                }
                long perNode = (long) system.get().count() * system.get().gpu().devicesPerCard();
                long all = (long) count * nodes * perNode;
                if (all > MAX_GPUS) {
                    throw LlmplanException.invalid("'" + Printable.of(p) + "' is " + count + " x " + perNode + " = " + all
                            + " GPUs" + (nodes > 1 ? " on " + nodes + " nodes" : "") + ", more than " + MAX_GPUS
                            + " (the most llmplan plans)");
                }
                return HardwareSpec.of(system.get(), count * nodes);
            }
            HardwareSpec.Group group = resolve(name, count, lookup);
            total += group.devices();
            if ((long) total * nodes > MAX_GPUS) {
                throw LlmplanException.invalid("more than " + MAX_GPUS + " GPUs in {gpu} '" + Printable.of(text) + "'"
                        + (nodes > 1 ? " on " + nodes + " nodes" : "") + " (the most llmplan plans)");
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
            // Counts above one are nodes, handled by the caller.
            return new HardwareSpec.Group(system.get().gpu(), system.get().count(), system.get());
        }
        throw lookup.unknown(name);
    }
}
