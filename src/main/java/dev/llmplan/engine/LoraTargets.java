package dev.llmplan.engine;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which linear modules carry LoRA adapters, and how many parameters that makes: exactly
 * r x (d_in + d_out) per targeted matrix per layer (Hu et al. 2021, §4: W0 + BA with
 * B in R^{d x r}, A in R^{r x k}); MoE experts each get their own pair.
 */
final class LoraTargets {
    /** One chosen target: canonical module names, fused when the checkpoint stores them as one matrix. */
    private record Selector(Set<String> names, boolean fused) {
    }

    /** Other families' module names (GPT-2, BLOOM, Falcon, T5, BERT, Mixtral, Phi-3) mapped to Llama's. */
    private static final Map<String, Selector> ALIASES = Map.ofEntries(
            Map.entry("q", one("q_proj")), Map.entry("query", one("q_proj")),
            Map.entry("k", one("k_proj")), Map.entry("key", one("k_proj")),
            Map.entry("v", one("v_proj")), Map.entry("value", one("v_proj")),
            Map.entry("o", one("o_proj")), Map.entry("out_proj", one("o_proj")), Map.entry("dense", one("o_proj")),
            Map.entry("query_key_value", fused("q_proj", "k_proj", "v_proj")),
            Map.entry("c_attn", fused("q_proj", "k_proj", "v_proj")),
            Map.entry("qkv_proj", fused("q_proj", "k_proj", "v_proj")),
            Map.entry("wqkv", fused("q_proj", "k_proj", "v_proj")),
            Map.entry("w_pack", fused("q_proj", "k_proj", "v_proj")),
            // GPT-2 names both the attention output and the MLP output c_proj, so PEFT adapts both.
            Map.entry("c_proj", new Selector(Set.of("o_proj", "down_proj"), false)),
            Map.entry("c_fc", one("up_proj")), Map.entry("fc1", one("up_proj")), Map.entry("wi", one("up_proj")),
            Map.entry("dense_h_to_4h", one("up_proj")), Map.entry("w3", one("up_proj")),
            Map.entry("w1", one("gate_proj")),
            Map.entry("fc2", one("down_proj")), Map.entry("wo", one("down_proj")),
            Map.entry("dense_4h_to_h", one("down_proj")), Map.entry("w2", one("down_proj")),
            Map.entry("gate_up_proj", fused("gate_proj", "up_proj")));

    private final List<Selector> selectors;
    private final boolean head;
    private final String description;

    private LoraTargets(List<Selector> selectors, boolean head, String description) {
        this.selectors = selectors;
        this.head = head;
        this.description = description;
    }

    private static Selector one(String name) {
        return new Selector(Set.of(name), false);
    }

    private static Selector fused(String... names) {
        return new Selector(new LinkedHashSet<>(List.of(names)), true);
    }

    String description() {
        return description;
    }

    /**
     * Reads --lora-targets ({@code qv}, {@code qkvo}, {@code all-linear} or module names); unknown
     * names are a usage error that lists the modules the architecture has.
     */
    static LoraTargets parse(List<String> requested, Architecture a, ModelType type) {
        Set<String> available = LinearModules.names(a, type);
        List<Selector> selectors = new ArrayList<>();
        boolean head = false;
        for (String raw : requested) {
            String t = raw.trim().toLowerCase(Locale.ROOT);
            switch (t) {
                case "qv" -> {
                    selectors.add(one(available.contains("q_proj") ? "q_proj" : "q_b_proj"));
                    selectors.add(one(available.contains("v_proj") ? "v_proj" : "kv_b_proj"));
                }
                case "qkvo", "attention", "attn" -> available.stream()
                        .filter(n -> !n.endsWith("up_proj") && !n.equals("gate_proj") && !n.equals("down_proj"))
                        .forEach(n -> selectors.add(one(n)));
                case "all-linear", "all_linear", "all" -> available.forEach(n -> selectors.add(one(n)));
                case "lm_head", "output" -> head = true;
                default -> {
                    Selector s = available.contains(t) ? one(t) : ALIASES.get(t);
                    if (s == null || !available.containsAll(s.names())) {
                        throw LlmplanException.invalid("unknown LoRA target module '" + raw + "': this architecture has "
                                + String.join(", ", available) + " (or qv, qkvo, all-linear, lm_head)");
                    }
                    selectors.add(s);
                }
            }
        }
        if (selectors.isEmpty() && !head) {
            throw LlmplanException.invalid("{loraTargets} names no module: use qv, qkvo, all-linear or names such as q_proj,v_proj");
        }
        return new LoraTargets(selectors, head, String.join(",", requested));
    }

    /** Whether the output head carries an adapter. */
    boolean head() {
        return head;
    }

    /**
     * Per layer, one module per adapter: a fused selector (qkv_proj) is one adapter over one input, whose output is
     * the fused matrices' outputs together (named after them, e.g. q_proj+k_proj+v_proj).
     */
    List<List<LinearModules.Linear>> adapters(Architecture a, ModelType type) {
        List<List<LinearModules.Linear>> out = new ArrayList<>();
        for (List<LinearModules.Linear> layer : LinearModules.of(a, type)) {
            List<LinearModules.Linear> adapters = new ArrayList<>();
            Set<Set<String>> seen = new LinkedHashSet<>();
            for (Selector s : selectors) {
                if (!seen.add(s.names())) {
                    continue;
                }
                List<LinearModules.Linear> hits = layer.stream().filter(l -> s.names().contains(l.name())).toList();
                if (s.fused() && !hits.isEmpty()) {
                    LinearModules.Linear first = hits.get(0);
                    adapters.add(new LinearModules.Linear(String.join("+", s.names()), first.dIn(),
                            hits.stream().mapToLong(LinearModules.Linear::dOut).sum(), first.count(), first.group()));
                } else {
                    adapters.addAll(hits);
                }
            }
            out.add(adapters);
        }
        return out;
    }

    /** Module groups that carry adapters (their inputs must be kept for the adapter's gradient). */
    Set<LinearModules.Group> trainableGroups(Architecture a, ModelType type) {
        Set<LinearModules.Group> groups = EnumSet.noneOf(LinearModules.Group.class);
        for (List<LinearModules.Linear> layer : LinearModules.of(a, type)) {
            for (LinearModules.Linear l : layer) {
                if (targeted(l.name())) {
                    groups.add(l.group());
                }
            }
        }
        return groups;
    }

    private boolean targeted(String name) {
        return selectors.stream().anyMatch(s -> s.names().contains(name));
    }

    /** Adapter parameters for rank r: r x (d_in + d_out) per matrix, plus {@code extraPerModule} x r (AdaLoRA's E). */
    long params(Architecture a, ModelType type, int rank, int extraPerRank) {
        long total = 0;
        for (List<LinearModules.Linear> layer : adapters(a, type)) {
            for (LinearModules.Linear l : layer) {
                checkRank(rank, l.name(), l.dIn(), l.dOut());
                total += l.count() * (long) rank * (l.dIn() + l.dOut() + extraPerRank);
            }
        }
        if (head && a.vocab() != null) {
            checkRank(rank, "lm_head", a.hidden(), a.vocab());
            total += (long) rank * (a.hidden() + a.vocab() + extraPerRank);
        }
        return total;
    }

    private static void checkRank(int rank, String module, long dIn, long dOut) {
        if (rank > Math.min(dIn, dOut)) {
            throw LlmplanException.invalid("LoRA rank " + rank + " is larger than " + module + " (" + dIn + " x " + dOut
                    + "): a rank above min(d_in, d_out) = " + Math.min(dIn, dOut) + " adds nothing");
        }
    }
}
