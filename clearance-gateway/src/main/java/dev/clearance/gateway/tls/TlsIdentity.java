package dev.clearance.gateway.tls;

import java.util.Objects;

/**
 * Where a certificate chain and its private key come from: a listener's server certificate, or the
 * client certificate presented to an upstream.
 */
public sealed interface TlsIdentity {

    /** The files whose change means the identity must be read again. */
    java.util.List<ConfiguredFile> files();

    /**
     * PEM files: the certificate chain (leaf first, then intermediates) and its private key, unencrypted
     * PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) or SEC1 EC
     * ({@code BEGIN EC PRIVATE KEY}), as cert-manager, Vault and OpenSSL write them.
     */
    record PemFiles(ConfiguredFile certificate, ConfiguredFile key) implements TlsIdentity {
        public PemFiles {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(key, "key");
        }

        @Override
        public java.util.List<ConfiguredFile> files() {
            return java.util.List.of(certificate, key);
        }
    }

    /**
     * A PKCS#12 keystore holding one private key entry and its chain, opened with {@code password}
     * (the same password protects the key).
     *
     * @param passwordSetting how messages name the password's setting (a wrong password is reported there)
     */
    record Keystore(ConfiguredFile file, String password, String passwordSetting) implements TlsIdentity {
        public Keystore {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(password, "password");
            passwordSetting = passwordSetting == null ? file.setting() + " password" : passwordSetting;
        }

        @Override
        public java.util.List<ConfiguredFile> files() {
            return java.util.List.of(file);
        }

        @Override
        public String toString() {
            // The password never reaches a log line.
            return "Keystore[file=" + file + ", password=***]";
        }
    }
}
