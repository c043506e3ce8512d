package dev.clearance.log.note;

import java.util.Objects;

/** A checkpoint with the C2SP signed note that carries it ({@code note} is exactly what {@code /checkpoint} serves). */
public record SignedCheckpoint(Checkpoint checkpoint, String note) {
    public SignedCheckpoint {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(note, "note");
    }

    /** Verifies {@code note} with {@code verifier} and parses its body. */
    public static SignedCheckpoint open(String note, NoteVerifier verifier) throws NoteException {
        String body = verifier.open(note);
        try {
            return new SignedCheckpoint(Checkpoint.parse(body), note);
        } catch (java.text.ParseException e) {
            throw new NoteException("signed note is not a checkpoint: " + e.getMessage());
        }
    }

    public long size() {
        return checkpoint.size();
    }
}
