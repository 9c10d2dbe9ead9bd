package dev.llmplan.format;

import dev.llmplan.planfile.EntryResult;
import dev.llmplan.planfile.RequirementResult;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JUnit XML (the Ant/Surefire dialect Jenkins, GitLab and GitHub test reporters read): one testsuite per
 * plan file, one testcase per entry, one failure element listing the failed requirements.
 */
public final class JUnitReport {
    private JUnitReport() {
    }

    public static String xml(List<EntryResult> results) {
        Map<String, List<EntryResult>> byFile = new LinkedHashMap<>();
        for (EntryResult r : results) {
            byFile.computeIfAbsent(r.entry().file(), k -> new java.util.ArrayList<>()).add(r);
        }
        long failures = results.stream().filter(r -> !r.passed()).count();
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<testsuites name=\"llmplan check\" tests=\"").append(results.size()).append("\" failures=\"")
                .append(failures).append("\" errors=\"0\">\n");
        for (var e : byFile.entrySet()) {
            List<EntryResult> rs = e.getValue();
            long f = rs.stream().filter(r -> !r.passed()).count();
            sb.append("  <testsuite name=\"").append(attr(e.getKey())).append("\" tests=\"").append(rs.size())
                    .append("\" failures=\"").append(f).append("\" errors=\"0\" skipped=\"0\" time=\"0\">\n");
            for (EntryResult r : rs) {
                testcase(sb, r);
            }
            sb.append("  </testsuite>\n");
        }
        return sb.append("</testsuites>\n").toString();
    }

    private static void testcase(StringBuilder sb, EntryResult r) {
        sb.append("    <testcase classname=\"").append(attr(r.entry().file())).append("\" name=\"")
                .append(attr(r.entry().name())).append("\" time=\"0\">\n");
        List<RequirementResult> failed = r.failures();
        if (!failed.isEmpty()) {
            // one failure element per test case (what every JUnit reader accepts), naming each failed requirement
            String types = String.join(", ", failed.stream().map(RequirementResult::requirement).toList());
            String message = String.join("; ", failed.stream().map(f -> f.requirement() + ": " + f.message()).toList());
            StringBuilder body = new StringBuilder();
            for (RequirementResult f : failed) {
                body.append(f.requirement()).append(": ").append(f.message()).append('\n');
            }
            sb.append("      <failure type=\"").append(attr(types)).append("\" message=\"").append(attr(message))
                    .append("\">").append(text(body.toString())).append("</failure>\n");
        }
        StringBuilder out = new StringBuilder();
        out.append(r.model().id()).append(" on ").append(r.fit().hardware().label()).append(": ")
                .append(r.fit().verdict().label()).append('\n');
        for (RequirementResult q : r.requirements()) {
            out.append(q.passed() ? "pass " : "FAIL ").append(q.requirement()).append(": ").append(q.message()).append('\n');
        }
        sb.append("      <system-out>").append(text(out.toString())).append("</system-out>\n");
        sb.append("    </testcase>\n");
    }

    /**
     * Writes {@code xml} to {@code target} through a temporary file and an atomic rename, refusing anything
     * but a regular file or a new name ({@link ReportFile}).
     */
    public static void write(Path target, String xml) {
        ReportFile.write(target, xml, "--junit");
    }

    static String attr(String s) {
        return text(s).replace("\"", "&quot;").replace("\n", "&#10;");
    }

    /** Escapes markup and drops characters XML 1.0 cannot hold. */
    static String text(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                default -> {
                    boolean legal = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                            || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
                    if (legal) {
                        sb.appendCodePoint(c);
                    }
                }
            }
        });
        return sb.toString();
    }
}
