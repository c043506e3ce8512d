package dev.clearance.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 in lowercase hex: the one digest behind Clearance's content hashes (policy versions,
 * directive texts, API key hashes, screening lists and reviews). Pure: no I/O, no state.
 *
 * <p>The audit log ({@code clearance-log}) keeps its own RFC 6962 hasher, because the log engine
 * depends on nothing of ours.
 */
public final class Sha256 {
    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {}

    /** A fresh digest, for content hashed in parts (each caller fixes its own framing of the parts). */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** The hex SHA-256 of the UTF-8 bytes of {@code text}. */
    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The hex SHA-256 of {@code bytes}. */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(newDigest().digest(bytes));
    }

    /** Completes {@code digest} (which is reset) and returns what it hashed, in hex. */
    public static String hex(MessageDigest digest) {
        return HEX.formatHex(digest.digest());
    }
}
