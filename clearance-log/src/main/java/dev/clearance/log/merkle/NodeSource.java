package dev.clearance.log.merkle;

import java.io.IOException;

/** Where proofs read the stored roots of perfect subtrees: level 0 holds leaf hashes. */
@FunctionalInterface
public interface NodeSource {
    /** The root of the perfect subtree of height {@code level} covering leaves {@code [index << level, (index + 1) << level)}. */
    byte[] node(int level, long index) throws IOException;
}
