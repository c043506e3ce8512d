package dev.clearance.gateway.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A certificate chain (leaf first) and the private key of its leaf, read from a {@link TlsIdentity}
 * and checked before anything serves or presents it: the key must match the leaf, and the leaf must
 * not have expired. Every failure names the setting and the file.
 */
record CertifiedKey(List<X509Certificate> chain, PrivateKey key) {
    /** A certificate expiring sooner than this is warned about at start and on every reload. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    CertifiedKey {
        chain = List.copyOf(chain);
    }

    X509Certificate leaf() {
        return chain.getFirst();
    }

    Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /**
     * Reads and checks the identity's files.
     *
     * @throws TlsException naming the setting and the file at fault
     */
    static CertifiedKey load(TlsIdentity identity, Instant now) {
        CertifiedKey read = switch (identity) {
            case TlsIdentity.PemFiles pem -> readPem(pem);
            case TlsIdentity.Keystore ks -> readKeystore(ks);
        };
        ConfiguredFile certificateFile = switch (identity) {
            case TlsIdentity.PemFiles pem -> pem.certificate();
            case TlsIdentity.Keystore ks -> ks.file();
        };
        if (!matches(read.key(), read.leaf().getPublicKey())) {
            ConfiguredFile keyFile = switch (identity) {
                case TlsIdentity.PemFiles pem -> pem.key();
                case TlsIdentity.Keystore ks -> ks.file();
            };
            throw keyFile.problem("the private key does not match the certificate "
                    + read.leaf().getSubjectX500Principal().getName() + " (" + certificateFile.path() + ")");
        }
        if (read.notAfter().isBefore(now)) {
            throw certificateFile.problem("the certificate "
                    + read.leaf().getSubjectX500Principal().getName() + " expired at " + read.notAfter());
        }
        return read;
    }

    /** What an operator should hear about a certificate that is loaded anyway. */
    List<String> warnings(Instant now) {
        List<String> out = new ArrayList<>();
        String subject = leaf().getSubjectX500Principal().getName();
        if (notAfter().isBefore(now.plus(EXPIRY_WARNING))) {
            out.add("the certificate " + subject + " expires at " + notAfter() + ", in less than "
                    + EXPIRY_WARNING.toDays() + " days");
        }
        Instant notBefore = leaf().getNotBefore().toInstant();
        if (notBefore.isAfter(now)) {
            // Loaded anyway: a clock a little behind the issuer's must not block a rotation.
            out.add("the certificate " + subject + " is not valid before " + notBefore);
        }
        return out;
    }

    private static CertifiedKey readPem(TlsIdentity.PemFiles pem) {
        List<X509Certificate> chain = parse(pem.certificate(), Pem::certificates);
        PrivateKey key = parse(pem.key(), Pem::privateKey);
        return new CertifiedKey(chain, key);
    }

    private static CertifiedKey readKeystore(TlsIdentity.Keystore ks) {
        byte[] bytes = read(ks.file());
        char[] password = ks.password().toCharArray();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try {
                store.load(new ByteArrayInputStream(bytes), password);
            } catch (IOException e) {
                if (e.getCause() instanceof UnrecoverableKeyException
                        || String.valueOf(e.getMessage()).contains("password")) {
                    throw new TlsException(ks.passwordSetting() + ": the password does not open the keystore "
                            + ks.file().path());
                }
                throw ks.file().problem("not a PKCS#12 keystore (" + e.getMessage() + ")");
            }
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Certificate[] chain = store.getCertificateChain(alias);
                    if (chain == null || chain.length == 0) {
                        continue;
                    }
                    PrivateKey key = (PrivateKey) store.getKey(alias, password);
                    return new CertifiedKey(
                            Arrays.stream(chain).map(c -> (X509Certificate) c).toList(), key);
                }
            }
            throw ks.file().problem("the keystore holds no private key with a certificate chain");
        } catch (UnrecoverableKeyException e) {
            throw new TlsException(ks.passwordSetting() + ": the password does not open the private key in "
                    + ks.file().path());
        } catch (GeneralSecurityException e) {
            throw ks.file().problem("the keystore cannot be read: " + e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** The file's content read by {@code parse}; an error names the setting and the file. */
    static <T> T parse(ConfiguredFile file, java.util.function.Function<byte[], T> parse) {
        byte[] bytes = read(file);
        try {
            return parse.apply(bytes);
        } catch (IllegalArgumentException e) {
            throw file.problem(e.getMessage());
        }
    }

    static byte[] read(ConfiguredFile file) {
        try {
            return Files.readAllBytes(file.path());
        } catch (NoSuchFileException e) {
            throw file.problem("no such file");
        } catch (AccessDeniedException e) {
            throw file.problem("cannot be read (permission denied)");
        } catch (IOException e) {
            throw file.problem("cannot be read: " + e);
        }
    }

    /** Whether the key signs what the public key verifies: the one check that works for every key type. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        try {
            Signature sign = signature(key.getAlgorithm());
            Signature verify = signature(key.getAlgorithm());
            if (sign == null) {
                return false;
            }
            byte[] challenge = "clearance key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            sign.initSign(key);
            sign.update(challenge);
            byte[] signature = sign.sign();
            verify.initVerify(publicKey);
            verify.update(challenge);
            return verify.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static Signature signature(String keyAlgorithm) throws GeneralSecurityException {
        return switch (keyAlgorithm) {
            case "RSA" -> Signature.getInstance("SHA256withRSA");
            case "EC" -> Signature.getInstance("SHA256withECDSA");
            case "EdDSA", "Ed25519", "Ed448" -> Signature.getInstance("EdDSA");
            case "DSA" -> Signature.getInstance("SHA256withDSA");
            case "RSASSA-PSS" -> {
                Signature s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                yield s;
            }
            default -> null;
        };
    }
}
