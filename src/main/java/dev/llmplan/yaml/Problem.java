package dev.llmplan.yaml;

/** One validation problem, printed as {@code file:line: entry: field: message}. */
public record Problem(String file, int line, String entry, String field, String message) {
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (entry != null && !entry.isEmpty()) {
            sb.append(entry).append(": ");
        }
        if (field != null && !field.isEmpty()) {
            sb.append(field).append(": ");
        }
        return sb.append(message).toString();
    }
}
