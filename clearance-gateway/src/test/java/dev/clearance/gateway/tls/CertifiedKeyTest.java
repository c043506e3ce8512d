package dev.clearance.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertifiedKeyTest {
    private static final TestCa CA = TestCa.create("CertifiedKey Test CA");

    @TempDir
    Path dir;

    private TlsIdentity.PemFiles pem(TestCa.Issued issued) {
        return new TlsIdentity.PemFiles(
                new ConfiguredFile(issued.writeChain(dir.resolve("tls.crt")), "cfg:1:1: server.tls.cert"),
                new ConfiguredFile(issued.writeKey(dir.resolve("tls.key")), "cfg:2:1: server.tls.key"));
    }

    @Test
    void a_matching_pair_loads_with_its_chain() {
        TestCa.Issued issued = CA.issue("gateway.example");
        CertifiedKey key = CertifiedKey.load(pem(issued), Instant.now());
        assertThat(key.chain()).containsExactly(issued.leaf(), CA.certificate());
        assertThat(key.notAfter()).isEqualTo(issued.leaf().getNotAfter().toInstant());
        assertThat(key.warnings(Instant.now())).isEmpty();
    }

    @Test
    void a_key_of_another_certificate_is_refused_at_the_key_setting() {
        TestCa.Issued issued = CA.issue("gateway.example");
        TlsIdentity.PemFiles files = pem(issued);
        CA.issue("other").writeKey(files.key().path());
        assertThatThrownBy(() -> CertifiedKey.load(files, Instant.now()))
                .hasMessageStartingWith(
                        "cfg:2:1: server.tls.key: " + files.key().path())
                .hasMessageContaining("does not match the certificate CN=gateway.example");
    }

    @Test
    void an_expired_certificate_is_refused_and_one_expiring_soon_is_warned_about() {
        Instant now = Instant.now();
        TestCa.Issued expired = CA.issue(
                "old", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), TestCa.ec(), TestCa.LOOPBACK);
        assertThatThrownBy(() -> CertifiedKey.load(pem(expired), now))
                .hasMessageStartingWith("cfg:1:1: server.tls.cert: ")
                .hasMessageContaining("the certificate CN=old expired at");

        TestCa.Issued soon = CA.issue(
                "soon", now.minus(Duration.ofDays(80)), now.plus(Duration.ofDays(3)), TestCa.ec(), TestCa.LOOPBACK);
        CertifiedKey loaded = CertifiedKey.load(pem(soon), now);
        assertThat(loaded.warnings(now))
                .singleElement()
                .asString()
                .contains("expires at")
                .contains("less than 14 days");
    }

    @Test
    void a_missing_or_unreadable_file_names_the_setting_and_the_file() throws Exception {
        TlsIdentity.PemFiles files = pem(CA.issue("gateway.example"));
        Path key = files.key().path();
        Files.delete(key);
        assertThatThrownBy(() -> CertifiedKey.load(files, Instant.now()))
                .hasMessage("cfg:2:1: server.tls.key: " + key + ": no such file");

        Files.createDirectory(key); // a directory where the key should be: present, but not a readable file
        assertThatThrownBy(() -> CertifiedKey.load(files, Instant.now()))
                .hasMessageStartingWith("cfg:2:1: server.tls.key: " + key + ": cannot be read");
    }

    @Test
    void a_pkcs12_keystore_loads_with_its_password_and_a_wrong_one_names_the_password_setting() {
        TestCa.Issued issued = CA.issue("keystore.example");
        Path p12 = issued.writePkcs12(dir.resolve("tls.p12"), "right");
        ConfiguredFile file = new ConfiguredFile(p12, "cfg:3:1: server.tls.keystore");

        CertifiedKey key = CertifiedKey.load(
                new TlsIdentity.Keystore(file, "right", "cfg:4:1: server.tls.keystore_password"), Instant.now());
        assertThat(key.leaf()).isEqualTo(issued.leaf());

        assertThatThrownBy(() -> CertifiedKey.load(
                        new TlsIdentity.Keystore(file, "wrong", "cfg:4:1: server.tls.keystore_password"),
                        Instant.now()))
                .hasMessageStartingWith("cfg:4:1: server.tls.keystore_password: the password does not open");

        Path notAKeystore = issued.writeChain(dir.resolve("not.p12"));
        assertThatThrownBy(() -> CertifiedKey.load(
                        new TlsIdentity.Keystore(
                                new ConfiguredFile(notAKeystore, "cfg:3:1: server.tls.keystore"), "right", "pw"),
                        Instant.now()))
                .hasMessageStartingWith("cfg:3:1: server.tls.keystore: " + notAKeystore + ": not a PKCS#12 keystore");
    }

    @Test
    void keys_in_traditional_openssl_form_load_like_pkcs8_ones() {
        TestCa.Issued rsa = CA.issue(
                "rsa.example",
                Instant.now().minus(Duration.ofMinutes(1)),
                Instant.now().plus(Duration.ofDays(1)),
                TestCa.rsa(),
                TestCa.LOOPBACK);
        TlsIdentity.PemFiles files = pem(rsa);
        rsa.writeTraditionalKey(files.key().path());
        assertThat(CertifiedKey.load(files, Instant.now()).key().getEncoded())
                .isEqualTo(rsa.keys().getPrivate().getEncoded());
    }
}
