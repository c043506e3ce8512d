package dev.clearance.log.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * The compact range {@code [0, size)} of a growing tree: one hash per set bit of {@code size},
 * the roots of its perfect subtrees from the largest to the smallest. Appending a leaf merges
 * equal-sized subtrees, and reports each completed node so a store can keep it; the root is
 * folded from the right on demand. At most 64 hashes, whatever the size of the log.
 */
public final class CompactRange {
    /** Receives every node a {@link #append} completes: its level (0 = leaf) and index within the level. */
    @FunctionalInterface
    public interface NodeSink {
        void completed(int level, long index, byte[] hash);
    }

    private final Rfc6962 hasher;
    private final ArrayList<byte[]> hashes;
    private long size;

    public CompactRange(Rfc6962 hasher) {
        this(hasher, 0, List.of());
    }

    /** Resumes a range from the perfect-subtree roots of {@code [0, size)}, largest first. */
    public CompactRange(Rfc6962 hasher, long size, List<byte[]> hashes) {
        if (hashes.size() != Long.bitCount(size)) {
            throw new IllegalArgumentException("a compact range of size " + size + " has " + Long.bitCount(size)
                    + " hashes, not " + hashes.size());
        }
        this.hasher = hasher;
        this.size = size;
        this.hashes = new ArrayList<>(hashes);
    }

    public long size() {
        return size;
    }

    /** Appends one leaf hash; {@code sink} (may be null) sees the leaf and every node it completes. */
    public void append(byte[] leafHash, NodeSink sink) {
        appendSubtree(0, leafHash, sink);
    }

    /**
     * Appends a perfect subtree of {@code 2^height} leaves given by its root, as if its leaves were
     * appended one by one: {@code sink} (may be null) sees the root and every node above it that this
     * completes (the nodes inside the subtree are the caller's). The size must be a multiple of
     * {@code 2^height}, so that the subtree is a node of the tree.
     */
    public void appendSubtree(int height, byte[] root, NodeSink sink) {
        long leafIndex = size;
        if ((leafIndex & ((1L << height) - 1)) != 0) {
            throw new IllegalArgumentException(
                    "a subtree of height " + height + " cannot start at leaf " + leafIndex + ": not aligned");
        }
        byte[] h = root;
        int level = height;
        if (sink != null) {
            sink.completed(level, leafIndex >>> level, h);
        }
        // Each one bit of the old size at or above the subtree's height is a perfect subtree of the same
        // height as h: merge.
        while (((leafIndex >>> level) & 1) == 1) {
            byte[] left = hashes.removeLast();
            h = hasher.nodeHash(left, h);
            level++;
            if (sink != null) {
                sink.completed(level, leafIndex >>> level, h);
            }
        }
        hashes.add(h);
        size += 1L << height;
    }

    /** The RFC 6962 root of {@code [0, size)}. */
    public byte[] root() {
        if (hashes.isEmpty()) {
            return hasher.emptyRoot();
        }
        byte[] r = hashes.getLast();
        for (int i = hashes.size() - 2; i >= 0; i--) {
            r = hasher.nodeHash(hashes.get(i), r);
        }
        return r;
    }

    /** The perfect-subtree roots, largest first (copies). */
    public List<byte[]> hashes() {
        return List.copyOf(hashes);
    }
}
