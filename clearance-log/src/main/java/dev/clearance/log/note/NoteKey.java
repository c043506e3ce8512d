package dev.clearance.log.note;

import dev.clearance.log.merkle.Rfc6962;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An Ed25519 key pair for C2SP signed notes, named as the notes name their signer.
 *
 * <p>Key strings use the signed-note encodings: the verifier key is
 * {@code name+hex(keyhash)+base64(0x01 || public key)} and the signer key
 * {@code PRIVATE+KEY+name+hex(keyhash)+base64(0x01 || seed)}, where keyhash is the first four
 * bytes of {@code SHA-256(name || 0x0A || 0x01 || public key)}.
 */
public final class NoteKey {
    static final byte ED25519 = 0x01;
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private final String name;
    private final byte[] seed;
    private final PrivateKey privateKey;
    private final NoteVerifier verifier;

    private NoteKey(String name, byte[] seed) throws GeneralSecurityException {
        this.name = name;
        this.seed = seed.clone();
        KeyFactory kf = KeyFactory.getInstance("Ed25519");
        this.privateKey = kf.generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
        this.verifier = new NoteVerifier(name, publicKeyFromSeed(seed));
    }

    /** A fresh random key named {@code name}. */
    public static NoteKey generate(String name) {
        NoteVerifier.requireValidName(name);
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            if (pkcs8.length < PKCS8_PREFIX.length + 32
                    || !Arrays.equals(Arrays.copyOf(pkcs8, PKCS8_PREFIX.length), PKCS8_PREFIX)) {
                throw new IllegalStateException("unexpected Ed25519 private key encoding from the JDK");
            }
            return new NoteKey(name, Arrays.copyOfRange(pkcs8, PKCS8_PREFIX.length, PKCS8_PREFIX.length + 32));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every Java 15+ platform", e);
        }
    }

    /** Parses a signer key string {@code PRIVATE+KEY+name+hash+base64(0x01 || seed)}. */
    public static NoteKey parse(String signerKey) {
        String[] parts = signerKey.strip().split("\\+", 5); // base64 may contain '+'
        if (parts.length != 5 || !parts[0].equals("PRIVATE") || !parts[1].equals("KEY")) {
            throw new IllegalArgumentException("a signer key reads PRIVATE+KEY+<name>+<hash>+<base64 key>");
        }
        String name = parts[2];
        NoteVerifier.requireValidName(name);
        byte[] key;
        try {
            key = Base64.getDecoder().decode(parts[4]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("signer key material is not base64: " + e.getMessage());
        }
        if (key.length != 33 || key[0] != ED25519) {
            throw new IllegalArgumentException("signer key is not an Ed25519 key (0x01 followed by a 32-byte seed)");
        }
        try {
            NoteKey k = new NoteKey(name, Arrays.copyOfRange(key, 1, 33));
            if (!k.verifier.keyHashHex().equals(parts[3])) {
                throw new IllegalArgumentException("signer key hash " + parts[3] + " does not match its key (expected "
                        + k.verifier.keyHashHex() + ")");
            }
            return k;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("signer key is not a valid Ed25519 key: " + e.getMessage());
        }
    }

    public String name() {
        return name;
    }

    public NoteVerifier verifier() {
        return verifier;
    }

    /** The signer key string; a secret, never logged. */
    public String signerKey() {
        return "PRIVATE+KEY+" + name + "+" + verifier.keyHashHex() + "+"
                + Base64.getEncoder().encodeToString(concat(new byte[] {ED25519}, seed));
    }

    /** Signs {@code text} (which must end in a newline) into a C2SP signed note. */
    public String sign(String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("a note text ends in a newline");
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(text.getBytes(StandardCharsets.UTF_8));
            byte[] sig = s.sign();
            byte[] withHash = concat(verifier.keyHash(), sig);
            return text + "\n\u2014 " + name + " " + Base64.getEncoder().encodeToString(withHash) + "\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    @Override
    public String toString() {
        return "NoteKey[" + verifier.verifierKey() + "]";
    }

    private static byte[] publicKeyFromSeed(byte[] seed) throws GeneralSecurityException {
        // The JDK derives the public key only when generating a pair; feed it the seed as its randomness.
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        g.initialize(255, new FixedSeed(seed));
        PublicKey pub = g.generateKeyPair().getPublic();
        byte[] x509 = pub.getEncoded();
        return Arrays.copyOfRange(x509, x509.length - 32, x509.length);
    }

    static PublicKey publicKey(byte[] raw) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, raw)));
    }

    static byte[] keyHash(String name, byte[] rawPublicKey) {
        MessageDigest d = Rfc6962.sha256();
        d.update(name.getBytes(StandardCharsets.UTF_8));
        d.update((byte) '\n');
        d.update(ED25519);
        d.update(rawPublicKey);
        return Arrays.copyOf(d.digest(), 4);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** A "random" source that yields the seed, so the JDK derives the public key of a known private key. */
    private static final class FixedSeed extends java.security.SecureRandom {
        private final byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("expected a request for a " + seed.length + "-byte seed");
            }
            System.arraycopy(seed, 0, bytes, 0, seed.length);
        }
    }
}
