package dev.clearance.log.merkle;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Verification of inclusion and consistency proofs, following RFC 9162 sections 2.1.3.2 and
 * 2.1.4.2 step by step. Every method throws {@link ProofException} saying why a proof fails;
 * returning normally means the proof holds.
 */
public final class Proofs {
    private Proofs() {}

    /** Checks that {@code leafHash} is the leaf at {@code index} of the tree of {@code size} leaves with {@code root}. */
    public static void verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
            throws ProofException {
        byte[] computed = rootFromInclusion(index, size, leafHash, proof);
        requireMatch("root", computed, root);
    }

    /** The root implied by an inclusion proof (RFC 9162 2.1.3.2 steps 1-6), for callers that compare it themselves. */
    public static byte[] rootFromInclusion(long index, long size, byte[] leafHash, List<byte[]> proof)
            throws ProofException {
        if (size <= 0 || index < 0 || index >= size) {
            throw new ProofException("leaf index " + index + " is outside a tree of size " + size);
        }
        requireHashSize("leaf hash", leafHash);
        Rfc6962 hasher = new Rfc6962();
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            requireHashSize("proof node", p);
            if (sn == 0) {
                throw new ProofException("proof has " + proof.size() + " nodes, more than the path to the root");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = hasher.nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = hasher.nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new ProofException("proof has " + proof.size() + " nodes, fewer than the path to the root");
        }
        return r;
    }

    /**
     * Checks that the tree of {@code size1} leaves with {@code root1} is a prefix of the tree of
     * {@code size2} leaves with {@code root2}. As in RFC 9162, the first tree must not be empty.
     */
    public static void verifyConsistency(long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2)
            throws ProofException {
        if (size1 <= 0) {
            throw new ProofException("size1 is " + size1 + ": consistency with an empty tree proves nothing");
        }
        if (size2 < size1) {
            throw new ProofException("size2 " + size2 + " is smaller than size1 " + size1);
        }
        if (size1 == size2) {
            if (!proof.isEmpty()) {
                throw new ProofException("sizes are equal but the proof is not empty");
            }
            requireMatch("root2", root1, root2);
            return;
        }
        if (proof.isEmpty()) {
            throw new ProofException("proof is empty but sizes differ");
        }
        requireHashSize("root1", root1);
        requireHashSize("root2", root2);
        Rfc6962 hasher = new Rfc6962();
        // Step 1: when size1 is a power of two, root1 is the first node of the path.
        byte[][] path;
        if (Long.bitCount(size1) == 1) {
            path = new byte[proof.size() + 1][];
            path[0] = root1;
            for (int i = 0; i < proof.size(); i++) {
                path[i + 1] = proof.get(i);
            }
        } else {
            path = proof.toArray(new byte[0][]);
        }
        for (byte[] p : path) {
            requireHashSize("proof node", p);
        }
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path[0];
        byte[] sr = path[0];
        for (int i = 1; i < path.length; i++) {
            byte[] c = path[i];
            if (sn == 0) {
                throw new ProofException("proof has more nodes than the trees need");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = hasher.nodeHash(c, fr);
                sr = hasher.nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = hasher.nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new ProofException("proof has fewer nodes than the trees need");
        }
        requireMatch("root1", fr, root1);
        requireMatch("root2", sr, root2);
    }

    private static void requireHashSize(String what, byte[] hash) throws ProofException {
        if (hash == null || hash.length != Rfc6962.HASH_SIZE) {
            throw new ProofException(what + " is " + (hash == null ? "missing" : hash.length + " bytes") + ", expected "
                    + Rfc6962.HASH_SIZE);
        }
    }

    private static void requireMatch(String what, byte[] computed, byte[] expected) throws ProofException {
        if (expected == null || !MessageDigest.isEqual(computed, expected)) {
            throw new ProofException("computed " + what + " " + hex(computed) + " does not match the expected "
                    + (expected == null ? "(none)" : hex(expected)));
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
