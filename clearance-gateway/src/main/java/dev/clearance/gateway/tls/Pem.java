package dev.clearance.gateway.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and private keys with the JDK alone. Keys may be PKCS#8, PKCS#1 RSA or SEC1
 * EC (the last two are wrapped into PKCS#8, which is all the JDK's key factories read), so the files
 * cert-manager, Vault agent and {@code openssl} write all load without a conversion step.
 */
final class Pem {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
    // DER of the AlgorithmIdentifier parts a PKCS#8 wrapper needs.
    private static final byte[] RSA_ALGORITHM = HexFormat.of().parseHex("300d06092a864886f70d0101010500");
    private static final byte[] EC_PUBLIC_KEY_OID = HexFormat.of().parseHex("06072a8648ce3d0201");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS", "DSA");

    private Pem() {}

    /** Every certificate in the text, in order; an error when there is none. */
    static List<X509Certificate> certificates(byte[] text) {
        List<X509Certificate> out = new ArrayList<>();
        CertificateFactory factory = x509();
        for (Block b : blocks(text)) {
            if (!b.label().equals("CERTIFICATE")) {
                continue;
            }
            try {
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
            } catch (CertificateException e) {
                throw new IllegalArgumentException(
                        "certificate #" + (out.size() + 1) + " is not valid X.509: " + e.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no PEM certificate (-----BEGIN CERTIFICATE-----) in the file");
        }
        return out;
    }

    /** The first private key in the text. */
    static PrivateKey privateKey(byte[] text) {
        for (Block b : blocks(text)) {
            switch (b.label()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(b.der());
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(sequence(concat(integerZero(), RSA_ALGORITHM, tlv(0x04, b.der()))));
                }
                case "EC PRIVATE KEY" -> {
                    return pkcs8(sec1ToPkcs8(b.der()));
                }
                case "ENCRYPTED PRIVATE KEY" ->
                    throw new IllegalArgumentException(
                            "the private key is encrypted; give an unencrypted key, or a PKCS#12 keystore with its password");
                default -> {
                    // Other blocks (a certificate in the same file, EC PARAMETERS) are skipped.
                }
            }
        }
        throw new IllegalArgumentException(
                "no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) in the file");
    }

    private static PrivateKey pkcs8(byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // Not this algorithm: try the next.
            }
        }
        throw new IllegalArgumentException("the private key is not an RSA, EC, EdDSA or DSA key the JDK can read");
    }

    /**
     * SEC1 ({@code ECPrivateKey ::= SEQUENCE { version, privateKey, [0] parameters, [1] publicKey }})
     * to PKCS#8, with the named curve from {@code [0]} moved into the algorithm identifier.
     */
    private static byte[] sec1ToPkcs8(byte[] sec1) {
        Der outer = new Der(sec1, 0);
        if (outer.tag != 0x30) {
            throw new IllegalArgumentException("the EC private key is not a DER sequence");
        }
        byte[] curve = null;
        // Inside PKCS#8 the curve belongs in the algorithm identifier only (RFC 5915 section 3).
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        for (int at = outer.start; at < outer.end; ) {
            Der field = new Der(sec1, at);
            if (field.tag == 0xa0) {
                Der oid = new Der(sec1, field.start);
                curve = Arrays.copyOfRange(sec1, oid.offset, oid.end);
            } else {
                inner.write(sec1, field.offset, field.end - field.offset);
            }
            at = field.end;
        }
        if (curve == null) {
            throw new IllegalArgumentException("the EC private key does not name its curve");
        }
        return sequence(concat(
                integerZero(), sequence(concat(EC_PUBLIC_KEY_OID, curve)), tlv(0x04, sequence(inner.toByteArray()))));
    }

    /** One DER element: its tag, where it begins, and where its content begins and ends. */
    private static final class Der {
        final int tag;
        final int offset;
        final int start;
        final int end;

        Der(byte[] b, int offset) {
            if (offset + 2 > b.length) {
                throw new IllegalArgumentException("the key's DER encoding is truncated");
            }
            this.offset = offset;
            this.tag = b[offset] & 0xff;
            int first = b[offset + 1] & 0xff;
            int length;
            int at = offset + 2;
            if (first < 0x80) {
                length = first;
            } else {
                int n = first & 0x7f;
                if (n == 0 || n > 3 || at + n > b.length) {
                    throw new IllegalArgumentException("the key's DER encoding has a bad length");
                }
                length = 0;
                for (int i = 0; i < n; i++) {
                    length = (length << 8) | (b[at++] & 0xff);
                }
            }
            this.start = at;
            this.end = at + length;
            if (end > b.length) {
                throw new IllegalArgumentException("the key's DER encoding is truncated");
            }
        }
    }

    private static byte[] integerZero() {
        return new byte[] {0x02, 0x01, 0x00};
    }

    private static byte[] sequence(byte[] content) {
        return tlv(0x30, content);
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private record Block(String label, byte[] der) {}

    private static List<Block> blocks(byte[] text) {
        Matcher m = BLOCK.matcher(new String(text, StandardCharsets.US_ASCII));
        List<Block> out = new ArrayList<>();
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the PEM block " + m.group(1) + " is not valid base64");
            }
        }
        return out;
    }

    private static CertificateFactory x509() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
    }
}
