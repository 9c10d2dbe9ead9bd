package dev.llmplan.shell;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Colours for a colour terminal, applied line by line to what commands print (their text stays exactly
 * that of the one-shot command; only ANSI SGR codes are added). PLAIN adds nothing.
 */
interface Styler {
    String out(String line);

    String err(String line);

    Styler PLAIN = new Styler() {
        @Override
        public String out(String line) {
            return line;
        }

        @Override
        public String err(String line) {
            return line;
        }
    };

    Styler ANSI = new Ansi();

    /** ECMA-48 SGR codes: 1 bold, 31 red, 32 green, 33 yellow, 36 cyan, 0 reset. */
    final class Ansi implements Styler {
        static final String RESET = "\u001b[0m";
        static final String RED = "\u001b[31m";
        static final String GREEN = "\u001b[32m";
        static final String YELLOW = "\u001b[33m";
        static final String CYAN = "\u001b[36m";
        static final String BOLD = "\u001b[1m";

        private static final Pattern BARS = Pattern.compile("[█▏▎▍▌▋▊▉]+");
        /** Verdicts: the last column of the fit tables and ladder, or the word after "On HARDWARE (...):". */
        private static final Pattern VERDICT = Pattern.compile(
                "(?<=\\s)(does not fit|over|tight|fits)(?=\\s*$)|(?<=: )(DOES NOT FIT|TIGHT|FITS)(?=\\s*$)");

        @Override
        public String out(String line) {
            String s = BARS.matcher(line).replaceAll(m -> Matcher.quoteReplacement(CYAN + m.group() + RESET));
            return VERDICT.matcher(s).replaceAll(m -> Matcher.quoteReplacement(colour(m.group()) + m.group() + RESET));
        }

        @Override
        public String err(String line) {
            return line.isEmpty() ? line : RED + line + RESET;
        }

        private static String colour(String verdict) {
            return switch (verdict.toLowerCase(java.util.Locale.ROOT)) {
                case "fits" -> BOLD + GREEN;
                case "tight" -> BOLD + YELLOW;
                default -> BOLD + RED;
            };
        }
    }
}
