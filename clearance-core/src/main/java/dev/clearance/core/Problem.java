package dev.clearance.core;

/**
 * One located error in an input: a directive file, a principals file, a request file.
 * Prints as {@code file:line:column: message} (column omitted when unknown, i.e. 0).
 */
public record Problem(String file, int line, int column, String message) {
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        return sb.append(": ").append(message).toString();
    }
}
