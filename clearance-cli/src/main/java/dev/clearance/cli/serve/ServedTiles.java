package dev.clearance.cli.serve;

import dev.clearance.gateway.LogTiles;
import dev.clearance.log.LogView;
import dev.clearance.log.tiles.TilePath;
import dev.clearance.log.tiles.TileReader;
import java.util.Optional;

/**
 * The decision log's tlog-tiles resources for the gateway's admin listener: {@link TileReader} over
 * the writer's growing view, so a tile or checkpoint is served as soon as it is durable. A full tile
 * (256 hashes or entries) is immutable; a partial one and the checkpoint grow with the log.
 */
record ServedTiles(TileReader reader) implements LogTiles {
    ServedTiles(LogView view) {
        this(new TileReader(view));
    }

    @Override
    public Optional<Resource> read(String path) {
        return TilePath.parse(path)
                .flatMap(p -> reader.read(p)
                        .map(bytes -> new Resource(
                                bytes,
                                TileReader.contentType(p),
                                p.kind() != TilePath.Kind.CHECKPOINT && p.width() == TilePath.TILE_WIDTH)));
    }
}
