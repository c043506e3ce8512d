package dev.clearance.log.note;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Verifies C2SP signed notes made by one Ed25519 key, known by its verifier key string
 * {@code name+hex(keyhash)+base64(0x01 || public key)}. Needs nothing but that string.
 */
public final class NoteVerifier {
    private static final String SIGNATURE_PREFIX = "\u2014 ";

    private final String name;
    private final byte[] rawPublicKey;
    private final byte[] keyHash;
    private final PublicKey publicKey;

    NoteVerifier(String name, byte[] rawPublicKey) throws GeneralSecurityException {
        requireValidName(name);
        this.name = name;
        this.rawPublicKey = rawPublicKey.clone();
        this.keyHash = NoteKey.keyHash(name, rawPublicKey);
        this.publicKey = NoteKey.publicKey(rawPublicKey);
    }

    /** Parses a verifier key string, checking that its key hash matches its name and key. */
    public static NoteVerifier parse(String verifierKey) {
        String[] parts = verifierKey.strip().split("\\+", 3); // base64 may contain '+'
        if (parts.length != 3) {
            throw new IllegalArgumentException(
                    "a verifier key reads <name>+<8 hex digits>+<base64 key>, got '" + verifierKey.strip() + "'");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("verifier key material is not base64: " + e.getMessage());
        }
        if (key.length != 33 || key[0] != NoteKey.ED25519) {
            throw new IllegalArgumentException("verifier key is not an Ed25519 key (0x01 followed by 32 bytes)");
        }
        try {
            NoteVerifier v = new NoteVerifier(parts[0], Arrays.copyOfRange(key, 1, 33));
            if (!v.keyHashHex().equals(parts[1])) {
                throw new IllegalArgumentException("verifier key hash " + parts[1] + " does not match its name and key"
                        + " (expected " + v.keyHashHex() + ")");
            }
            return v;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("verifier key is not a valid Ed25519 public key: " + e.getMessage());
        }
    }

    /** Checks that {@code name} can name a key and a checkpoint origin: non-empty, no {@code +}, spaces or control characters. */
    public static void requireValidName(String name) {
        if (name == null
                || name.isEmpty()
                || name.contains("+")
                || name.codePoints()
                        .anyMatch(c ->
                                Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException(
                    "a key name is non-empty, without '+', spaces or control characters: '" + name + "'");
        }
    }

    public String name() {
        return name;
    }

    byte[] keyHash() {
        return keyHash.clone();
    }

    String keyHashHex() {
        return HexFormat.of().formatHex(keyHash);
    }

    /** The verifier key string to hand to auditors and witnesses. */
    public String verifierKey() {
        return name + "+" + keyHashHex() + "+"
                + Base64.getEncoder().encodeToString(NoteKey.concat(new byte[] {NoteKey.ED25519}, rawPublicKey));
    }

    /**
     * Verifies a signed note and returns its text (the signed body, ending in a newline).
     *
     * @throws NoteException when the note is malformed or carries no valid signature by this key
     */
    public String open(String note) throws NoteException {
        int split = note.lastIndexOf("\n\n");
        if (split < 0 || !note.endsWith("\n")) {
            throw new NoteException("not a signed note: no blank line before the signatures, or no final newline");
        }
        String text = note.substring(0, split + 1);
        String[] sigLines = note.substring(split + 2, note.length() - 1).split("\n", -1);
        boolean sawOurs = false;
        for (String line : sigLines) {
            if (!line.startsWith(SIGNATURE_PREFIX)) {
                throw new NoteException("signature line does not start with an em dash and a space: '" + line + "'");
            }
            String[] f = line.substring(SIGNATURE_PREFIX.length()).split(" ", -1);
            if (f.length != 2) {
                throw new NoteException("signature line is not '\u2014 <name> <base64>': '" + line + "'");
            }
            byte[] sig;
            try {
                sig = Base64.getDecoder().decode(f[1]);
            } catch (IllegalArgumentException e) {
                throw new NoteException("signature of " + f[0] + " is not base64");
            }
            if (sig.length < 5) {
                throw new NoteException("signature of " + f[0] + " is too short");
            }
            if (!f[0].equals(name) || !MessageDigest.isEqual(Arrays.copyOf(sig, 4), keyHash)) {
                continue; // another signer (a witness, say): not ours to judge
            }
            sawOurs = true;
            if (verifies(text, Arrays.copyOfRange(sig, 4, sig.length))) {
                return text;
            }
        }
        throw new NoteException(
                sawOurs
                        ? "the signature by " + name + " does not verify: the note was altered or signed by another key"
                        : "the note carries no signature by " + name + "+" + keyHashHex());
    }

    private boolean verifies(String text, byte[] signature) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(publicKey);
            s.update(text.getBytes(StandardCharsets.UTF_8));
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return verifierKey();
    }
}
