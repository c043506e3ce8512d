package dev.clearance.cli.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/**
 * A configured secret (the admin token, an upstream key). Its {@link #toString()} never shows the
 * value, so printing a configuration or logging it cannot leak it.
 *
 * <p>A secret is resolved only where it is used: one whose {@code ${VAR}} is not set is not an error
 * of the file (so {@code clearance keys list} works without {@code CLEARANCE_ADMIN_TOKEN}), but
 * {@link #value()} on it is, naming the file, line and variable.
 */
public final class Secret {
    private final String value;
    private final String unresolved;

    public Secret(String value) {
        this(Objects.requireNonNull(value, "value"), null);
    }

    private Secret(String value, String unresolved) {
        this.value = value;
        this.unresolved = unresolved;
    }

    /** A secret that could not be read, with the located problem that says why. */
    static Secret unresolved(String problem) {
        return new Secret(null, Objects.requireNonNull(problem, "problem"));
    }

    /**
     * The secret.
     *
     * @throws ConfigException naming where it is configured, when its environment variable is not set
     */
    public String value() {
        if (unresolved != null) {
            throw new ConfigException(unresolved);
        }
        return value;
    }

    /** Why the secret could not be read, when it could not. */
    public Optional<String> problem() {
        return Optional.ofNullable(unresolved);
    }

    /** Compares in constant time, so response timing does not reveal how much of a guess was right. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(
                value().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && Objects.equals(value, s.value) && Objects.equals(unresolved, s.unresolved);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, unresolved);
    }

    @Override
    public String toString() {
        return "<redacted>";
    }
}
