package dev.llmplan.modelfile;

/**
 * Text taken from a model file (GGUF metadata strings, config.json values, safetensors metadata and
 * dtypes) made safe to print before anything keeps it: control characters (C0, DEL, C1: terminal escape
 * sequences start with ESC or CSI), line and paragraph separators, Unicode format characters such as the
 * bidirectional overrides, and unpaired surrogates each become '?', and the text is cut to a bound.
 * Every later printer (tables, JSON, YAML, errors) can then show it as it is.
 */
final class FileText {
    /** Longer names and values are cut; nothing printed from a file needs more. */
    static final int MAX_CHARS = 1024;

    private FileText() {
    }

    static String clean(String s) {
        return clean(s, MAX_CHARS);
    }

    /** {@code s} with unsafe characters replaced and at most {@code max} characters kept ("..." marks a cut). */
    static String clean(String s, int max) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = null;
        int n = Math.min(s.length(), max);
        if (n > 0 && n < s.length() && Character.isHighSurrogate(s.charAt(n - 1))) {
            n--; // never cut a pair in two
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (unsafe(s, i)) {
                if (sb == null) {
                    sb = new StringBuilder(n).append(s, 0, i);
                }
                sb.append('?');
            } else if (sb != null) {
                sb.append(c);
            }
        }
        String out = sb == null ? s.substring(0, n) : sb.toString();
        return s.length() > max ? out + "..." : out;
    }

    private static boolean unsafe(String s, int i) {
        char c = s.charAt(i);
        if (Character.isISOControl(c)) {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
