package dev.clearance.log.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The RFC 6962 / RFC 9162 tree hasher: {@code leaf = SHA-256(0x00 || entry)},
 * {@code node = SHA-256(0x01 || left || right)}, empty tree = {@code SHA-256("")}.
 *
 * <p>Instances keep one {@link MessageDigest} and are therefore not thread-safe; make one per
 * thread. The domain-separation prefixes are what stop a leaf from being passed off as a node.
 */
public final class Rfc6962 {
    /** Size of every hash in the tree, in bytes. */
    public static final int HASH_SIZE = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private static final MessageDigest PROTOTYPE = newSha256();

    private final MessageDigest sha256;

    public Rfc6962() {
        sha256 = newSha256();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /**
     * The leaf hash of {@code entry}, safe to call from any thread: it works on a clone of an
     * untouched digest, which is cheaper than looking one up (callers may be short-lived virtual threads).
     */
    public static byte[] leafHashOf(byte[] entry) {
        MessageDigest d;
        try {
            d = (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            d = newSha256();
        }
        d.update(LEAF_PREFIX);
        d.update(entry);
        return d.digest();
    }

    /** The root of the empty tree. */
    public byte[] emptyRoot() {
        return sha256.digest();
    }

    public byte[] leafHash(byte[] entry) {
        return leafHash(entry, 0, entry.length);
    }

    public byte[] leafHash(byte[] buffer, int offset, int length) {
        sha256.update(LEAF_PREFIX);
        sha256.update(buffer, offset, length);
        return sha256.digest();
    }

    /** Writes the leaf hash of {@code buffer[offset, offset + length)} into {@code out} at {@code outOffset}. */
    public void leafHash(byte[] buffer, int offset, int length, byte[] out, int outOffset) {
        sha256.update(LEAF_PREFIX);
        sha256.update(buffer, offset, length);
        try {
            sha256.digest(out, outOffset, HASH_SIZE);
        } catch (java.security.DigestException e) {
            throw new IllegalArgumentException("no room for a hash at " + outOffset, e);
        }
    }

    public byte[] nodeHash(byte[] left, byte[] right) {
        sha256.update(NODE_PREFIX);
        sha256.update(left);
        sha256.update(right);
        return sha256.digest();
    }
}
