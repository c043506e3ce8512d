package dev.clearance.log.tiles;

import dev.clearance.log.LogView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The C2SP tlog-tiles read API over a {@link LogView}, as a pure lookup: path in, bytes out.
 * Hash tiles hold the 32-byte hashes of tree level {@code 8 * L}; entry bundles hold each entry
 * as a big-endian 16-bit length and its bytes. A full tile is served once all 256 of its members
 * exist; a partial tile {@code .p/W} whenever at least {@code W} do. The HTTP layer mounts this
 * under {@code /log/} and maps an empty result to 404.
 */
public final class TileReader {
    private final LogView view;

    public TileReader(LogView view) {
        this.view = view;
    }

    /** Content type to serve with a path's bytes. */
    public static String contentType(TilePath path) {
        return path.kind() == TilePath.Kind.CHECKPOINT ? "text/plain; charset=utf-8" : "application/octet-stream";
    }

    /** The bytes at {@code pathUnderLog} (e.g. {@code tile/0/x001/234.p/7}), or empty when there are none (404). */
    public Optional<byte[]> read(String pathUnderLog) {
        return TilePath.parse(pathUnderLog).flatMap(this::read);
    }

    public Optional<byte[]> read(TilePath path) {
        try {
            return switch (path.kind()) {
                case CHECKPOINT -> view.latestCheckpoint().map(c -> c.note().getBytes(StandardCharsets.UTF_8));
                case HASHES -> hashes(path);
                case ENTRIES -> entries(path);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<byte[]> hashes(TilePath path) throws IOException {
        int treeLevel = path.level() * TilePath.TILE_HEIGHT;
        long size = view.size();
        long nodes = treeLevel >= 64 ? 0 : size >>> treeLevel;
        long first = path.index() * TilePath.TILE_WIDTH;
        if (first + path.width() > nodes || path.index() > Long.MAX_VALUE / TilePath.TILE_WIDTH) {
            return Optional.empty();
        }
        return Optional.of(view.hashes(treeLevel, first, path.width()));
    }

    private Optional<byte[]> entries(TilePath path) throws IOException {
        long first = path.index() * TilePath.TILE_WIDTH;
        if (path.index() > Long.MAX_VALUE / TilePath.TILE_WIDTH || first + path.width() > view.size()) {
            return Optional.empty();
        }
        List<byte[]> es = view.entries(first, first + path.width());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] e : es) {
            out.write(e.length >>> 8);
            out.write(e.length & 0xff);
            out.write(e);
        }
        return Optional.of(out.toByteArray());
    }
}
