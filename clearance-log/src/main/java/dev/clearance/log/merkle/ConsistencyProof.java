package dev.clearance.log.merkle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * That the tree of {@code size1} leaves with {@code root1} is a prefix of the tree of {@code size2}
 * leaves with {@code root2}. JSON shape as in the transparency-dev/merkle vectors:
 * {@code {"size1","size2","root1","root2","proof"}}, hashes base64.
 */
public record ConsistencyProof(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
    public ConsistencyProof {
        proof = List.copyOf(proof);
    }

    public void verify() throws ProofException {
        Proofs.verifyConsistency(size1, size2, proof, root1, root2);
    }

    public String toJson() {
        return "{\"size1\":" + size1 + ",\"size2\":" + size2 + ",\"root1\":\"" + InclusionProof.b64(root1)
                + "\",\"root2\":\"" + InclusionProof.b64(root2) + "\",\"proof\":" + ProofJson.hashes(proof) + "}";
    }

    public static ConsistencyProof fromJson(JsonNode n, String what) throws ProofException {
        return new ConsistencyProof(
                ProofJson.number(n, "size1", what),
                ProofJson.number(n, "size2", what),
                ProofJson.hash(n, "root1", what),
                ProofJson.hash(n, "root2", what),
                ProofJson.hashList(n, "proof", what));
    }
}
