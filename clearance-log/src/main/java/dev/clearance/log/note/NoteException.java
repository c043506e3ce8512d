package dev.clearance.log.note;

/** A signed note that is malformed or not signed by the expected key. */
public final class NoteException extends Exception {
    public NoteException(String message) {
        super(message);
    }
}
