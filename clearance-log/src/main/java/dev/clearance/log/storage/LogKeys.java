package dev.clearance.log.storage;

import dev.clearance.log.note.NoteKey;
import dev.clearance.log.note.NoteVerifier;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Finds the log's signing key: a configured file, or {@code <dir>/log.key} created on first
 * start with owner-only permissions. The verifier key is written beside it as {@code log.pub},
 * readable by anyone, so the CLI can print it without the secret.
 */
final class LogKeys {
    static final String KEY_FILE = "log.key";
    static final String PUBLIC_FILE = "log.pub";

    private LogKeys() {}

    static NoteKey loadOrCreate(Path dir, String origin, Path signerKeyFile) throws IOException {
        Path keyFile = signerKeyFile != null ? signerKeyFile : dir.resolve(KEY_FILE);
        NoteKey key;
        if (Files.exists(keyFile)) {
            requireOwnerOnly(keyFile);
            String text = Files.readString(keyFile, StandardCharsets.UTF_8);
            try {
                key = NoteKey.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IOException(keyFile + ": " + e.getMessage());
            }
            if (!key.name().equals(origin)) {
                throw new IOException(
                        keyFile + ": key name '" + key.name() + "' differs from the configured log origin '" + origin
                                + "'; checkpoints are signed under the origin's name");
            }
        } else if (signerKeyFile != null) {
            throw new IOException(keyFile + ": configured signing key file does not exist");
        } else {
            key = NoteKey.generate(origin);
            writeSecret(keyFile, key.signerKey() + "\n");
        }
        Path pub = dir.resolve(PUBLIC_FILE);
        String verifierKey = key.verifier().verifierKey() + "\n";
        if (!Files.exists(pub) || !Files.readString(pub).equals(verifierKey)) {
            Path tmp = dir.resolve(PUBLIC_FILE + ".tmp");
            Files.writeString(tmp, verifierKey);
            Files.move(tmp, pub, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return key;
    }

    /** Reads the verifier key without touching the secret key. */
    static NoteVerifier readVerifier(Path dir) throws IOException {
        Path pub = dir.resolve(PUBLIC_FILE);
        if (!Files.exists(pub)) {
            throw new IOException(pub + ": no verifier key; has the log been opened for writing yet?");
        }
        try {
            return NoteVerifier.parse(Files.readString(pub));
        } catch (IllegalArgumentException e) {
            throw new IOException(pub + ": " + e.getMessage());
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static void requireOwnerOnly(Path keyFile) throws IOException {
        if (!posix()) {
            return;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile);
        for (PosixFilePermission p : perms) {
            if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                throw new IOException(keyFile + ": signing key is accessible to group or others ("
                        + PosixFilePermissions.toString(perms) + "); run chmod 600 on it");
            }
        }
    }

    private static void writeSecret(Path keyFile, String text) throws IOException {
        Path tmp = keyFile.resolveSibling(keyFile.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (posix()) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
        }
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                c.write(b);
            }
            c.force(true);
        }
        Files.move(tmp, keyFile, StandardCopyOption.ATOMIC_MOVE);
    }
}
