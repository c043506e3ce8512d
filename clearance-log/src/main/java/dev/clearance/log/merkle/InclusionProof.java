package dev.clearance.log.merkle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.List;

/**
 * That leaf {@code leafIdx} (0-based) with {@code leafHash} is in the tree of {@code treeSize}
 * leaves whose root is {@code root}. JSON shape as in the transparency-dev/merkle vectors:
 * {@code {"leafIdx","treeSize","root","leafHash","proof"}}, hashes base64.
 */
public record InclusionProof(long leafIdx, long treeSize, byte[] root, byte[] leafHash, List<byte[]> proof) {
    public InclusionProof {
        proof = List.copyOf(proof);
    }

    public void verify() throws ProofException {
        Proofs.verifyInclusion(leafIdx, treeSize, leafHash, proof, root);
    }

    public String toJson() {
        return "{\"leafIdx\":" + leafIdx + ",\"treeSize\":" + treeSize + ",\"root\":\"" + b64(root)
                + "\",\"leafHash\":\"" + b64(leafHash) + "\",\"proof\":" + ProofJson.hashes(proof) + "}";
    }

    /** Reads the JSON shape; {@code what} names the source in errors. */
    public static InclusionProof fromJson(JsonNode n, String what) throws ProofException {
        return new InclusionProof(
                ProofJson.number(n, "leafIdx", what),
                ProofJson.number(n, "treeSize", what),
                ProofJson.hash(n, "root", what),
                ProofJson.hash(n, "leafHash", what),
                ProofJson.hashList(n, "proof", what));
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
