package dev.clearance.log.note;

import dev.clearance.log.merkle.Rfc6962;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A C2SP {@code tlog-checkpoint} body: the log's origin line, the tree size in decimal and the
 * base64 root hash, each on its own line. Extension lines are not produced.
 */
public record Checkpoint(String origin, long size, byte[] root) {
    public Checkpoint {
        Objects.requireNonNull(origin, "origin");
        if (origin.isEmpty() || origin.contains("\n")) {
            throw new IllegalArgumentException("origin must be one non-empty line");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        if (root.length != Rfc6962.HASH_SIZE) {
            throw new IllegalArgumentException("root must be " + Rfc6962.HASH_SIZE + " bytes, not " + root.length);
        }
        root = root.clone();
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    /** The note body exactly as signed, ending in a newline. */
    public String body() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    }

    /** Parses a checkpoint body (the text of a verified note); extension lines after the root are ignored. */
    public static Checkpoint parse(String body) throws java.text.ParseException {
        String[] lines = body.split("\n", -1);
        if (lines.length < 4 || !body.endsWith("\n")) {
            throw new java.text.ParseException(
                    "a checkpoint has an origin, a size and a root line, each ending in a newline", 0);
        }
        String origin = lines[0];
        if (origin.isEmpty()) {
            throw new java.text.ParseException("line 1: origin is empty", 0);
        }
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
            throw new java.text.ParseException(
                    "line 2: tree size '" + lines[1] + "' is not a decimal number without leading zeros", 0);
        }
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new java.text.ParseException("line 2: tree size '" + lines[1] + "' is too large", 0);
        }
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new java.text.ParseException("line 3: root hash is not base64: " + e.getMessage(), 0);
        }
        if (root.length != Rfc6962.HASH_SIZE) {
            throw new java.text.ParseException(
                    "line 3: root hash is " + root.length + " bytes, not " + Rfc6962.HASH_SIZE, 0);
        }
        return new Checkpoint(origin, size, root);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && c.origin.equals(origin) && c.size == size && Arrays.equals(c.root, root);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, size, Arrays.hashCode(root));
    }

    @Override
    public String toString() {
        return body().replace('\n', ' ').trim();
    }
}
