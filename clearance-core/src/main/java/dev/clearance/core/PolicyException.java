package dev.clearance.core;

import java.util.List;

/** Input that cannot be accepted, with every problem found, each located. Nothing was changed. */
public final class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    public PolicyException(List<Problem> problems) {
        super(render(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a PolicyException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public PolicyException(Problem problem) {
        this(List.of(problem));
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        StringBuilder sb = new StringBuilder();
        for (Problem p : problems) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(p);
        }
        return sb.toString();
    }
}
