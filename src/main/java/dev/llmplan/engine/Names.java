package dev.llmplan.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Name matching: ignore case, spaces, dots, dashes and underscores; suggest close names. */
public final class Names {
    private Names() {
    }

    public static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            // A dot between digits is meaningful: opt-1.3b is not opt-13b.
            boolean versionDot = c == '.' && i > 0 && i + 1 < lower.length()
                    && Character.isDigit(lower.charAt(i - 1)) && Character.isDigit(lower.charAt(i + 1));
            if (versionDot || (c != ' ' && c != '.' && c != '-' && c != '_' && c != '\t')) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The candidate closest to {@code name} within {@code maxDistance} edits, or null. */
    public static String closest(String name, Collection<String> candidates, int maxDistance) {
        List<String> best = closestN(name, candidates, 1, maxDistance);
        return best.isEmpty() ? null : best.get(0);
    }

    /** Up to {@code n} candidates ordered by edit distance of their normalized forms. */
    public static List<String> closestN(String name, Collection<String> candidates, int n, int maxDistance) {
        String key = normalize(name);
        List<String> sorted = new ArrayList<>();
        for (String c : candidates) {
            String ck = normalize(c);
            // The distance is at least the difference in length: a name far longer than every candidate
            // (a pasted megabyte) costs one comparison each, not a quadratic table.
            boolean near = Math.abs(key.length() - ck.length()) <= maxDistance && distance(key, ck) <= maxDistance;
            if (near || (key.length() >= 3 && ck.contains(key))) {
                sorted.add(c);
            }
        }
        sorted.sort(Comparator.comparingInt((String c) -> distance(key, normalize(c))).thenComparing(c -> c));
        return sorted.subList(0, Math.min(n, sorted.size()));
    }

    /** Levenshtein distance. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
