package dev.clearance.log.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NoteTest {
    // The example of golang.org/x/mod/sumdb/note, which C2SP signed-note describes.
    private static final String GO_SIGNER =
            "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private static final String GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String GO_TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    private static final String GO_NOTE = GO_TEXT
            + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    @Test
    void signs_byte_for_byte_like_the_go_reference_implementation() {
        NoteKey key = NoteKey.parse(GO_SIGNER);
        assertThat(key.verifier().verifierKey()).isEqualTo(GO_VERIFIER);
        assertThat(key.sign(GO_TEXT)).isEqualTo(GO_NOTE);
        assertThat(key.signerKey()).isEqualTo(GO_SIGNER);
    }

    @Test
    void opens_the_go_reference_note_with_only_its_verifier_key() throws Exception {
        assertThat(NoteVerifier.parse(GO_VERIFIER).open(GO_NOTE)).isEqualTo(GO_TEXT);
    }

    @Test
    void rejects_a_note_whose_text_was_changed() {
        NoteVerifier v = NoteVerifier.parse(GO_VERIFIER);
        assertThatThrownBy(() -> v.open(GO_NOTE.replace("cryptography", "cryptographY")))
                .isInstanceOf(NoteException.class)
                .hasMessageContaining("does not verify");
    }

    @Test
    void a_key_generated_here_signs_notes_its_verifier_key_string_opens() throws Exception {
        NoteKey key = NoteKey.generate("example.com/log");
        String note = key.sign("hello\n");
        NoteVerifier v = NoteVerifier.parse(key.verifier().verifierKey());
        assertThat(v.open(note)).isEqualTo("hello\n");
        assertThat(NoteKey.parse(key.signerKey()).verifier().verifierKey()).isEqualTo(v.verifierKey());
    }

    @Test
    void another_key_of_the_same_name_does_not_open_the_note() {
        NoteKey a = NoteKey.generate("example.com/log");
        NoteKey b = NoteKey.generate("example.com/log");
        assertThatThrownBy(() -> b.verifier().open(a.sign("hello\n")))
                .isInstanceOf(NoteException.class)
                .hasMessageContaining("no signature by");
    }

    @Test
    void a_verifier_key_with_a_wrong_key_hash_is_refused() {
        assertThatThrownBy(() -> NoteVerifier.parse(GO_VERIFIER.replace("c74f20a3", "c74f20a4")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void checkpoint_body_has_origin_size_and_base64_root_lines() throws Exception {
        Checkpoint cp = new Checkpoint("example.com/log", 8, new byte[32]);
        assertThat(cp.body()).isEqualTo("example.com/log\n8\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
        assertThat(Checkpoint.parse(cp.body())).isEqualTo(cp);
        assertThatThrownBy(
                        () -> Checkpoint.parse("example.com/log\n08\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"))
                .hasMessageContaining("line 2");
    }
}
