package dev.clearance.gateway.tls;

import java.util.List;

/**
 * TLS settings that cannot be used: each problem names the setting (with its position when the
 * configuration gave one) and the file.
 */
public final class TlsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public TlsException(String problem) {
        this(List.of(problem));
    }

    public TlsException(List<String> problems) {
        super(String.join("\n", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
