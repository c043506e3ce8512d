package dev.clearance.gateway.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file a TLS setting names, with how messages name that setting. The configuration reader passes
 * the setting's position, e.g. {@code clearance.yaml:4:22: server.tls.key}, so an error found when
 * the file is read at start, or when it changes on disk, points at the line that named it.
 *
 * @param setting how messages name the setting (the path itself when nothing better is known)
 */
public record ConfiguredFile(Path path, String setting) {
    public ConfiguredFile {
        Objects.requireNonNull(path, "path");
        setting = setting == null || setting.isBlank() ? path.toString() : setting;
    }

    /** A file named only by its path. */
    public static ConfiguredFile of(Path path) {
        return new ConfiguredFile(path, null);
    }

    /** A problem with this file, as a message naming the setting and the file. */
    TlsException problem(String what) {
        return new TlsException(setting + ": " + path + ": " + what);
    }
}
