package dev.clearance.gateway.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority for tests: issues server and client certificates (for {@code localhost} and
 * {@code 127.0.0.1} unless told otherwise), self-signed and expired ones, and writes them as PEM
 * (PKCS#8, PKCS#1 or SEC1 keys) or PKCS#12, the way cert-manager, Vault and OpenSSL would. Nothing is
 * checked in: every test makes its own.
 */
public final class TestCa {
    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

    private final KeyPair keys;
    private final X509Certificate certificate;

    private TestCa(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A new CA named {@code CN=<name>}, valid for a year. */
    public static TestCa create(String name) {
        KeyPair keys = ec();
        Instant now = Instant.now();
        X509Certificate cert = sign(
                new X500Name("CN=" + name),
                keys,
                new X500Name("CN=" + name),
                keys.getPrivate(),
                now.minus(Duration.ofMinutes(5)),
                now.plus(Duration.ofDays(365)),
                true,
                List.of());
        return new TestCa(keys, cert);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Writes the CA certificate as PEM. */
    public Path writeCertificate(Path file) {
        return write(file, pem(certificate));
    }

    /** A certificate for {@code localhost} and {@code 127.0.0.1}, valid for 90 days, with an EC key. */
    public Issued issue(String commonName) {
        Instant now = Instant.now();
        return issue(commonName, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(90)), ec(), LOOPBACK);
    }

    /** A certificate with the given validity, key and subject alternative names ({@code dns:}/{@code ip:}). */
    public Issued issue(String commonName, Instant notBefore, Instant notAfter, KeyPair keys, List<String> names) {
        X509Certificate cert = sign(
                new X500Name("CN=" + commonName),
                keys,
                new X500Name(certificate.getSubjectX500Principal().getName()),
                this.keys.getPrivate(),
                notBefore,
                notAfter,
                false,
                names);
        return new Issued(keys, List.of(cert, certificate));
    }

    /** A certificate no CA vouches for, for {@code localhost} and {@code 127.0.0.1}. */
    public static Issued selfSigned(String commonName) {
        KeyPair keys = ec();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=" + commonName);
        return new Issued(
                keys,
                List.of(sign(
                        name,
                        keys,
                        name,
                        keys.getPrivate(),
                        now.minus(Duration.ofMinutes(5)),
                        now.plus(Duration.ofDays(90)),
                        false,
                        LOOPBACK)));
    }

    public static final List<String> LOOPBACK = List.of("dns:localhost", "ip:127.0.0.1");

    /** A certificate chain (leaf first, then its CA) and the leaf's key pair. */
    public record Issued(KeyPair keys, List<X509Certificate> chain) {
        public X509Certificate leaf() {
            return chain.getFirst();
        }

        /** The chain as PEM, leaf first. */
        public Path writeChain(Path file) {
            StringBuilder text = new StringBuilder();
            chain.forEach(c -> text.append(pem(c)));
            return write(file, text.toString());
        }

        /** The private key as unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}). */
        public Path writeKey(Path file) {
            return write(file, pkcs8(keys.getPrivate()));
        }

        /** The private key in OpenSSL's traditional form: PKCS#1 for RSA, SEC1 for EC. */
        public Path writeTraditionalKey(Path file) {
            return write(file, traditional(keys.getPrivate()));
        }

        /** The key and chain in a PKCS#12 keystore under {@code password}. */
        public Path writePkcs12(Path file, String password) {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry(
                        "tls", keys.getPrivate(), password.toCharArray(), chain.toArray(X509Certificate[]::new));
                Files.createDirectories(file.toAbsolutePath().getParent());
                try (OutputStream out = Files.newOutputStream(file)) {
                    store.store(out, password.toCharArray());
                }
                return file;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A client or server context presenting this certificate and trusting {@code trusted}. */
        public SSLContext context(X509Certificate... trusted) {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("tls", keys.getPrivate(), "x".toCharArray(), chain.toArray(X509Certificate[]::new));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, "x".toCharArray());
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(kmf.getKeyManagers(), trusting(trusted).getTrustManagers(), null);
                return context;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A client context trusting only {@code trusted} and presenting no certificate. */
    public static SSLContext trustingOnly(X509Certificate... trusted) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trusting(trusted).getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TrustManagerFactory trusting(X509Certificate... trusted)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < trusted.length; i++) {
            store.setCertificateEntry("ca-" + i, trusted[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(store);
        return tmf;
    }

    /** A new P-256 key pair. */
    public static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new 2048-bit RSA key pair. */
    public static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new Ed25519 key pair. */
    public static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(
            X500Name subject,
            KeyPair subjectKeys,
            X500Name issuer,
            PrivateKey issuerKey,
            Instant notBefore,
            Instant notAfter,
            boolean ca,
            List<String> names) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    issuer,
                    BigInteger.valueOf(SERIALS.incrementAndGet()),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    subject,
                    subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(
                        Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                    KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                }));
                List<GeneralName> alt = new ArrayList<>();
                for (String n : names) {
                    alt.add(
                            n.startsWith("ip:")
                                    ? new GeneralName(
                                            GeneralName.iPAddress,
                                            InetAddress.getByName(n.substring(3))
                                                    .getHostAddress())
                                    : new GeneralName(GeneralName.dNSName, n.substring(4)));
                }
                if (!alt.isEmpty()) {
                    b.addExtension(
                            Extension.subjectAlternativeName, false, new GeneralNames(alt.toArray(GeneralName[]::new)));
                }
            }
            String algorithm = switch (issuerKey.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                case "Ed25519", "EdDSA" -> "Ed25519";
                default -> "SHA256withECDSA";
            };
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(X509Certificate cert) {
        try {
            return block("CERTIFICATE", cert.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pkcs8(PrivateKey key) {
        return block("PRIVATE KEY", key.getEncoded());
    }

    static String traditional(PrivateKey key) {
        if (key instanceof java.security.interfaces.ECPrivateKey ec) {
            // SEC1 as OpenSSL writes it, naming the curve in [0] (BouncyCastle's writer leaves it out).
            try {
                org.bouncycastle.asn1.pkcs.PrivateKeyInfo info =
                        org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
                org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                        ec.getParams().getOrder().bitLength(),
                        ec.getS(),
                        info.getPrivateKeyAlgorithm().getParameters());
                return block("EC PRIVATE KEY", sec1.getEncoded());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String block(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
