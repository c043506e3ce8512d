package dev.clearance.cli.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A configured secret (the admin token, an upstream key). Its {@link #toString()} never shows the
 * value, so printing a configuration or logging it cannot leak it.
 */
public record Secret(String value) {
    public Secret {
        Objects.requireNonNull(value, "value");
    }

    /** Compares in constant time, so response timing does not reveal how much of a guess was right. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "<redacted>";
    }
}
