package dev.clearance.log.merkle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Field readers shared by the proof JSON shapes and evidence bundles; errors name the source and the field. */
public final class ProofJson {
    private ProofJson() {}

    static String hashes(List<byte[]> proof) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < proof.size(); i++) {
            sb.append(i == 0 ? "\"" : ",\"")
                    .append(InclusionProof.b64(proof.get(i)))
                    .append('"');
        }
        return sb.append(']').toString();
    }

    /** The integer {@code field} of {@code n}; {@code what} names the source in errors. */
    public static long number(JsonNode n, String field, String what) throws ProofException {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong()) {
            throw new ProofException(what + ": field '" + field + "' must be an integer");
        }
        return v.asLong();
    }

    static byte[] hash(JsonNode n, String field, String what) throws ProofException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new ProofException(what + ": field '" + field + "' must be a base64 string");
        }
        try {
            return Base64.getDecoder().decode(v.asText());
        } catch (IllegalArgumentException e) {
            throw new ProofException(what + ": field '" + field + "' is not base64: " + e.getMessage());
        }
    }

    /** The base64 hashes of array {@code field} of {@code n} (absent or null: none); {@code what} names the source in errors. */
    public static List<byte[]> hashList(JsonNode n, String field, String what) throws ProofException {
        JsonNode v = n.get(field);
        List<byte[]> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw new ProofException(what + ": field '" + field + "' must be an array of base64 strings");
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual()) {
                throw new ProofException(what + ": " + field + "[" + i + "] must be a base64 string");
            }
            try {
                out.add(Base64.getDecoder().decode(e.asText()));
            } catch (IllegalArgumentException ex) {
                throw new ProofException(what + ": " + field + "[" + i + "] is not base64: " + ex.getMessage());
            }
        }
        return out;
    }
}
