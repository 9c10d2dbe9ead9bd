package dev.llmplan.engine;

import java.util.Locale;

/**
 * The version of a runtime a profile describes: "current" (the release the profiles' constants and
 * sources describe) or a release such as "4.38" or "0.19", for the versions whose allocation differs
 * (transformers' all-position logits before 4.45, vLLM's profiler and CUDA graphs before 0.21).
 */
public record RuntimeVersion(String text) {
    public static final RuntimeVersion CURRENT = new RuntimeVersion("current");

    public RuntimeVersion {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty runtime version");
        }
    }

    /**
     * A version as users write it: digits and dots ("4.38", "0.19.1"), an optional "v", an optional PEP 440 post-release
     * ("0.2.7.post3", "0.6.3.post1"); "b2459" for llama.cpp builds.
     */
    public static RuntimeVersion parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("current") || t.equals("latest")) {
            return CURRENT;
        }
        String v = t.startsWith("v") ? t.substring(1) : t;
        if (!v.matches("[0-9]{1,6}(\\.[0-9]{1,6}){0,3}(\\.post[0-9]{1,6})?|b[0-9]{1,7}")) {
            throw LlmplanException.invalid("runtime version '" + Printable.of(text)
                    + "' is not a version: expected e.g. transformers@4.38, vllm@0.19 or llama.cpp@b2459");
        }
        return new RuntimeVersion(v);
    }

    public boolean isCurrent() {
        return this.equals(CURRENT);
    }

    // Written out: a record's generated equals/hashCode link through ObjectMethods.bootstrap, which spins
    // about twenty method-handle classes on the first call, every start (measured with -Xlog:class+load).
    @Override
    public boolean equals(Object o) {
        return o instanceof RuntimeVersion v && v.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /**
     * Whether this version is older than {@code release} ("4.45", "0.2.7.post3"): compared number by number, a
     * post-release's number after its release's (0.2.7 < 0.2.7.post3 < 0.2.8); the current version is never older.
     */
    public boolean before(String release) {
        if (isCurrent()) {
            return false;
        }
        long[] a = numbers(text);
        long[] b = numbers(release);
        for (int i = 0; i < Math.max(a.length, b.length) - 1; i++) {
            long x = i < a.length - 1 ? a[i] : 0;
            long y = i < b.length - 1 ? b[i] : 0;
            if (x != y) {
                return x < y;
            }
        }
        return a[a.length - 1] < b[b.length - 1];
    }

    /** The release's numbers ("b" of a build dropped), then its post-release number (0 for none). */
    private static long[] numbers(String version) {
        String[] postSplit = version.replaceFirst("^b", "").split("\\.post", 2);
        String[] parts = postSplit[0].split("\\.");
        long[] n = new long[parts.length + 1];
        for (int i = 0; i < parts.length; i++) {
            n[i] = Long.parseLong(parts[i]);
        }
        n[parts.length] = postSplit.length > 1 ? Long.parseLong(postSplit[1]) : 0;
        return n;
    }
}
