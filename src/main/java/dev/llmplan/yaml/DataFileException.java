package dev.llmplan.yaml;

import dev.llmplan.engine.LlmplanException;

import java.util.List;
import java.util.stream.Collectors;

/** A catalog or plan file with problems: all of them, one line each (bad data). */
public class DataFileException extends LlmplanException {
    private final List<Problem> problems;

    public DataFileException(List<Problem> problems) {
        super(Kind.BAD_DATA, problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " in "
                + problems.stream().map(Problem::file).distinct().collect(Collectors.joining(", ")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
