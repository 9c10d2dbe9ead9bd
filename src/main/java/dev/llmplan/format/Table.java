package dev.llmplan.format;

import java.util.ArrayList;
import java.util.List;

/**
 * A simple table rendered as aligned text, CSV or Markdown, so list commands share one renderer.
 * Columns whose header starts with '>' are right-aligned. A cell may be {@link Styled} (a verdict, a
 * bar): aligned text keeps its style, CSV and Markdown take its plain text.
 */
public final class Table {
    private final List<String> headers = new ArrayList<>();
    private final List<Boolean> rightAligned = new ArrayList<>();
    private final List<List<Styled>> rows = new ArrayList<>();

    public Table(String... headers) {
        for (String h : headers) {
            boolean right = h.startsWith(">");
            this.headers.add(right ? h.substring(1) : h);
            this.rightAligned.add(right);
        }
    }

    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("expected " + headers.size() + " cells, got " + cells.length);
        }
        List<Styled> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(c instanceof Styled s ? s : new Styled().append(c == null ? "" : c.toString()));
        }
        rows.add(r);
        return this;
    }

    public int size() {
        return rows.size();
    }

    /** Aligned text, plain. */
    public String text() {
        return styled().plain();
    }

    /** Aligned text with the cells' styles. */
    public Styled styled() {
        int[] widths = widths();
        Styled out = new Styled();
        line(out, headers.stream().map(h -> new Styled().append(h)).toList(), widths);
        for (List<Styled> r : rows) {
            line(out, r, widths);
        }
        return out;
    }

    private void line(Styled out, List<Styled> cells, int[] widths) {
        // Trailing blanks are dropped: the last non-empty cell ends the line.
        int last = cells.size() - 1;
        while (last >= 0 && cells.get(last).isEmpty()) {
            last--;
        }
        for (int i = 0; i <= last; i++) {
            Styled c = cells.get(i);
            String pad = " ".repeat(Math.max(0, widths[i] - c.length()));
            boolean lastCell = i == last;
            if (rightAligned.get(i)) {
                out.append(pad).append(c);
            } else {
                out.append(c);
                if (!lastCell) {
                    out.append(pad);
                }
            }
            if (!lastCell) {
                out.append("  ");
            }
        }
        out.append('\n');
    }

    private int[] widths() {
        int[] w = new int[headers.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = headers.get(i).length();
        }
        for (List<Styled> r : rows) {
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        return w;
    }

    public String csv() {
        StringBuilder sb = new StringBuilder();
        sb.append(csvLine(headers));
        for (List<Styled> r : rows) {
            sb.append(csvLine(plain(r)));
        }
        return sb.toString();
    }

    private static List<String> plain(List<Styled> cells) {
        return cells.stream().map(Styled::plain).toList();
    }

    private static String csvLine(List<String> cells) {
        List<String> out = new ArrayList<>();
        for (String c : cells) {
            boolean quote = c.contains(",") || c.contains("\"") || c.contains("\n");
            out.add(quote ? "\"" + c.replace("\"", "\"\"") + "\"" : c);
        }
        return String.join(",", out) + "\n";
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", escape(headers))).append(" |\n|");
        for (int i = 0; i < headers.size(); i++) {
            sb.append(rightAligned.get(i) ? "---:|" : "---|");
        }
        sb.append('\n');
        for (List<Styled> r : rows) {
            sb.append("| ").append(String.join(" | ", escape(plain(r)))).append(" |\n");
        }
        return sb.toString();
    }

    private static List<String> escape(List<String> cells) {
        return cells.stream().map(c -> c.replace("|", "\\|")).toList();
    }
}
