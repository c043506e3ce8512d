package dev.clearance.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PemTest {
    private static final TestCa CA = TestCa.create("Pem Test CA");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void assertReads(KeyPair keys, String pem) {
        PrivateKey read = Pem.privateKey(bytes(pem));
        assertThat(read.getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
    }

    @Test
    void pkcs8_keys_of_every_kind_are_read() {
        for (KeyPair keys : List.of(TestCa.ec(), TestCa.rsa(), TestCa.ed25519())) {
            assertReads(keys, TestCa.pkcs8(keys.getPrivate()));
        }
    }

    @Test
    void a_pkcs1_rsa_key_is_read() {
        KeyPair keys = TestCa.rsa();
        String pem = TestCa.traditional(keys.getPrivate());
        assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertReads(keys, pem);
    }

    @Test
    void a_sec1_ec_key_is_read_with_its_curve() {
        KeyPair keys = TestCa.ec();
        String pem = TestCa.traditional(keys.getPrivate());
        assertThat(pem).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertReads(keys, pem);
    }

    @Test
    void one_file_with_the_chain_and_the_key_serves_as_both_cert_and_key() {
        TestCa.Issued leaf = CA.issue("both");
        String combined = TestCa.pem(leaf.leaf()) + TestCa.pem(CA.certificate()) + "some comment\n"
                + TestCa.pkcs8(leaf.keys().getPrivate());
        assertReads(leaf.keys(), combined);
        assertThat(Pem.certificates(bytes(combined))).containsExactly(leaf.leaf(), CA.certificate());
    }

    @Test
    void an_encrypted_key_is_refused_with_what_to_do_instead() {
        String pem =
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assertThatThrownBy(() -> Pem.privateKey(bytes(pem)))
                .hasMessageContaining("encrypted")
                .hasMessageContaining("PKCS#12");
    }

    @Test
    void a_file_without_a_key_is_refused() {
        assertThatThrownBy(() -> Pem.privateKey(bytes(TestCa.pem(CA.certificate()))))
                .hasMessageContaining("no PEM private key");
        assertThatThrownBy(
                        () -> Pem.privateKey(bytes("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")))
                .hasMessageContaining("not an RSA, EC, EdDSA or DSA key");
    }

    @Test
    void a_chain_is_read_leaf_first_and_a_file_without_certificates_is_refused() {
        TestCa.Issued leaf = CA.issue("leaf.example");
        List<X509Certificate> chain = Pem.certificates(bytes(TestCa.pem(leaf.leaf()) + TestCa.pem(CA.certificate())));
        assertThat(chain).containsExactly(leaf.leaf(), CA.certificate());

        assertThatThrownBy(() -> Pem.certificates(bytes(TestCa.pkcs8(leaf.keys().getPrivate()))))
                .hasMessageContaining("no PEM certificate");
        assertThatThrownBy(
                        () -> Pem.certificates(bytes("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")))
                .hasMessageContaining("certificate #1 is not valid X.509");
    }

    @Test
    void an_rsa_certificate_signed_by_the_ca_reads_back() {
        TestCa.Issued leaf = CA.issue(
                "rsa.example",
                Instant.now().minus(Duration.ofMinutes(1)),
                Instant.now().plus(Duration.ofDays(1)),
                TestCa.rsa(),
                TestCa.LOOPBACK);
        assertThat(Pem.certificates(bytes(TestCa.pem(leaf.leaf())))).containsExactly(leaf.leaf());
    }
}
