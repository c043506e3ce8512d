package dev.clearance.log.merkle;

/** A proof, checkpoint or log that does not verify; the message says which part fails and why. */
public final class ProofException extends Exception {
    public ProofException(String message) {
        super(message);
    }
}
