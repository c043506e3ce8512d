package dev.clearance.log.merkle;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates inclusion and consistency proofs (RFC 9162 2.1.3.1 PATH and 2.1.4.1 PROOF) from
 * stored perfect-subtree hashes, so a proof reads O(log n) hashes and never re-reads entries.
 */
public final class ProofBuilder {
    private final NodeSource nodes;
    private final Rfc6962 hasher = new Rfc6962();

    public ProofBuilder(NodeSource nodes) {
        this.nodes = nodes;
    }

    /** The inclusion path of leaf {@code index} in the tree of {@code size} leaves, leaf side first. */
    public List<byte[]> inclusion(long index, long size) throws IOException {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf index " + index + " is outside a tree of size " + size);
        }
        List<byte[]> proof = new ArrayList<>();
        path(index, 0, size, proof);
        return proof;
    }

    /** The consistency proof from the tree of {@code size1} leaves to the one of {@code size2}. */
    public List<byte[]> consistency(long size1, long size2) throws IOException {
        if (size1 <= 0 || size2 < size1) {
            throw new IllegalArgumentException(
                    "no consistency proof from size " + size1 + " to size " + size2 + ": need 0 < size1 <= size2");
        }
        List<byte[]> proof = new ArrayList<>();
        if (size1 < size2) {
            subproof(size1, 0, size2, true, proof);
        }
        return proof;
    }

    /** The root of the tree of the first {@code size} leaves. */
    public byte[] root(long size) throws IOException {
        return size == 0 ? hasher.emptyRoot() : hash(0, size);
    }

    // PATH(m, D[lo:hi]) with m absolute.
    private void path(long m, long lo, long hi, List<byte[]> out) throws IOException {
        if (hi - lo == 1) {
            return;
        }
        long k = largestPowerOfTwoBelow(hi - lo);
        if (m < lo + k) {
            path(m, lo, lo + k, out);
            out.add(hash(lo + k, hi));
        } else {
            path(m, lo + k, hi, out);
            out.add(hash(lo, lo + k));
        }
    }

    // SUBPROOF(m, D[lo:hi], b) with m absolute.
    private void subproof(long m, long lo, long hi, boolean complete, List<byte[]> out) throws IOException {
        if (m == hi) {
            if (!complete) {
                out.add(hash(lo, hi));
            }
            return;
        }
        long k = largestPowerOfTwoBelow(hi - lo);
        if (m <= lo + k) {
            subproof(m, lo, lo + k, complete, out);
            out.add(hash(lo + k, hi));
        } else {
            subproof(m, lo + k, hi, false, out);
            out.add(hash(lo, lo + k));
        }
    }

    /** MTH(D[lo:hi]): stored when the range is a perfect aligned subtree, else split as RFC 9162 does. */
    private byte[] hash(long lo, long hi) throws IOException {
        long n = hi - lo;
        if (Long.bitCount(n) == 1 && lo % n == 0) {
            int level = Long.numberOfTrailingZeros(n);
            return nodes.node(level, lo >>> level);
        }
        long k = largestPowerOfTwoBelow(n);
        return hasher.nodeHash(hash(lo, lo + k), hash(lo + k, hi));
    }

    /** The largest power of two strictly smaller than {@code n} (n >= 2). */
    static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }
}
