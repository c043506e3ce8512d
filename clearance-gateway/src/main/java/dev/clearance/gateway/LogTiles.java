package dev.clearance.gateway;

import java.io.IOException;
import java.util.Optional;

/**
 * The decision log's C2SP tlog-tiles resources, read-only: what the admin listener serves under
 * {@code /log/}. The gateway knows the log only through this and {@link DecisionRecorder};
 * {@code clearance serve} implements both over the tamper-evident log.
 */
@FunctionalInterface
public interface LogTiles {

    /**
     * The resource at {@code path} below {@code /log/}: {@code checkpoint},
     * {@code tile/<L>/<N>[.p/<W>]} or {@code tile/entries/<N>[.p/<W>]}; empty when there is none (yet).
     */
    Optional<Resource> read(String path) throws IOException;

    /**
     * One resource.
     *
     * @param immutable whether its bytes can never change (a full tile), so clients may cache it for good
     */
    record Resource(byte[] bytes, String contentType, boolean immutable) {}

    /** No log: every path is 404. */
    LogTiles NONE = path -> Optional.empty();
}
