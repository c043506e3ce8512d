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

    private static final MessageDigest PROTOTYPE = sha256();

    private final MessageDigest digest;

    public Rfc6962() {
        digest = sha256();
    }

    /** A fresh SHA-256 digest: the one way the log gets one, for its tree, its note keys and its search keys. */
    public static MessageDigest sha256() {
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
            d = sha256();
        }
        d.update(LEAF_PREFIX);
        d.update(entry);
        return d.digest();
    }

    /** The root of the empty tree. */
    public byte[] emptyRoot() {
        return digest.digest();
    }

    public byte[] leafHash(byte[] entry) {
        return leafHash(entry, 0, entry.length);
    }

    public byte[] leafHash(byte[] buffer, int offset, int length) {
        digest.update(LEAF_PREFIX);
        digest.update(buffer, offset, length);
        return digest.digest();
    }

    /** Writes the leaf hash of {@code buffer[offset, offset + length)} into {@code out} at {@code outOffset}. */
    public void leafHash(byte[] buffer, int offset, int length, byte[] out, int outOffset) {
        digest.update(LEAF_PREFIX);
        digest.update(buffer, offset, length);
        try {
            digest.digest(out, outOffset, HASH_SIZE);
        } catch (java.security.DigestException e) {
            throw new IllegalArgumentException("no room for a hash at " + outOffset, e);
        }
    }

    /** Writes the node hash of the two hashes at {@code src[left]} and {@code src[right]} into {@code out} at {@code outOffset}. */
    public void nodeHash(byte[] src, int left, int right, byte[] out, int outOffset) {
        digest.update(NODE_PREFIX);
        digest.update(src, left, HASH_SIZE);
        digest.update(src, right, HASH_SIZE);
        try {
            digest.digest(out, outOffset, HASH_SIZE);
        } catch (java.security.DigestException e) {
            throw new IllegalArgumentException("no room for a hash at " + outOffset, e);
        }
    }

    public byte[] nodeHash(byte[] left, byte[] right) {
        digest.update(NODE_PREFIX);
        digest.update(left);
        digest.update(right);
        return digest.digest();
    }
}
