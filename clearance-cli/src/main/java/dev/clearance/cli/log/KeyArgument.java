package dev.clearance.cli.log;

import dev.clearance.log.note.NoteVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A verifier key given on the command line, either as the key string or as a file holding it. */
final class KeyArgument {
    private KeyArgument() {}

    static NoteVerifier verifier(String arg) throws LogCommandException {
        String text = arg;
        if (!arg.contains("+") && Files.isRegularFile(Path.of(arg))) {
            try {
                text = Files.readString(Path.of(arg)).strip();
            } catch (IOException e) {
                throw new LogCommandException("--public-key " + arg + ": cannot read: " + e.getMessage());
            }
        }
        try {
            return NoteVerifier.parse(text);
        } catch (IllegalArgumentException e) {
            throw new LogCommandException("--public-key: " + e.getMessage());
        }
    }
}
