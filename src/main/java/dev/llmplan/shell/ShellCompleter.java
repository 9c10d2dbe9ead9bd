package dev.llmplan.shell;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import java.util.List;

/** Adapts {@link Completions} to JLine: the words before the cursor's word, and that word's typed part. */
final class ShellCompleter implements Completer {
    private final Completions completions;

    ShellCompleter(Completions completions) {
        this.completions = completions;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> before = line.words().subList(0, line.wordIndex());
        String partial = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        for (Completions.Suggestion s : completions.complete(before, partial)) {
            candidates.add(new Candidate(s.value(), s.value(), null, s.description(), null, null, s.complete()));
        }
    }
}
