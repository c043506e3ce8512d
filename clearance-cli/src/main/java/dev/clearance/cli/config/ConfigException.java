package dev.clearance.cli.config;

import java.util.List;

/**
 * A configuration that cannot be used: every problem found, each as {@code file:line:column: message}
 * (or {@code file: message} when it has no position).
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
