package dev.llmplan.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Start-up phase times for measuring (README "Start-up"): with {@code LLMPLAN_TIMING=1} in the
 * environment a one-shot run prints, on stderr, the milliseconds the launcher script took, from the
 * JVM's start to main, and between the marks the commands set. Off, a mark is one boolean test.
 */
public final class Timing {
    public static final String ENV = "LLMPLAN_TIMING";

    private static boolean enabled;
    private static long last;
    private static final List<String> LINES = new ArrayList<>();

    private Timing() {
    }

    /**
     * Starts timing when the environment asks for it (called first thing in main). The launcher passes the
     * wall-clock times at which it started and at which it started the JVM (bash's EPOCHREALTIME).
     */
    public static void start(Map<String, String> env) {
        String on = env.get(ENV);
        if (on == null || on.isEmpty() || on.equals("0")) {
            return;
        }
        enabled = true;
        java.time.Instant now = java.time.Instant.now();
        double nowSeconds = now.getEpochSecond() + now.getNano() / 1e9;
        Double script = seconds(env.get("LLMPLAN_TIMING_SCRIPT"));
        Double jvm = seconds(env.get("LLMPLAN_TIMING_JVM"));
        if (script != null && jvm != null) {
            LINES.add(String.format(Locale.ROOT, "%7.1f ms  launcher script", (jvm - script) * 1e3));
        }
        if (jvm != null) {
            LINES.add(String.format(Locale.ROOT, "%7.1f ms  JVM start to main", (nowSeconds - jvm) * 1e3));
        }
        last = System.nanoTime();
    }

    private static Double seconds(String epochRealTime) {
        try {
            return epochRealTime == null ? null : Double.valueOf(epochRealTime.replace(',', '.'));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Records the time since the previous mark under {@code phase}. */
    public static void mark(String phase) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        LINES.add(String.format(Locale.ROOT, "%7.1f ms  %s", (now - last) / 1e6, phase));
        last = now;
    }

    /** Prints the recorded phases (nothing when timing is off). */
    public static void report(PrintWriter err) {
        if (!enabled) {
            return;
        }
        for (String line : LINES) {
            err.println("llmplan timing: " + line);
        }
        err.flush();
    }
}
