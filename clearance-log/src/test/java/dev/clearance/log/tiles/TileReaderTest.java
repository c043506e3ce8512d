package dev.clearance.log.tiles;

import static dev.clearance.log.SampleEntries.entry;
import static dev.clearance.log.SampleEntries.fill;
import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.log.LogOptions;
import dev.clearance.log.TransparencyLog;
import dev.clearance.log.merkle.Rfc6962;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TileReaderTest {
    @TempDir
    Path dir;

    @Test
    void tiles_serve_the_stored_hashes_and_length_prefixed_entries() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            fill(log, 0, 300);
            log.checkpoint().get();
            TileReader tiles = new TileReader(log.view());
            Rfc6962 h = new Rfc6962();
            byte[] full = tiles.read("tile/0/000").orElseThrow();
            assertThat(full).hasSize(256 * 32);
            assertThat(java.util.Arrays.copyOfRange(full, 5 * 32, 6 * 32)).isEqualTo(h.leafHash(entry(5)));
            assertThat(tiles.read("tile/0/001.p/44"))
                    .hasValueSatisfying(b -> assertThat(b).hasSize(44 * 32));
            assertThat(tiles.read("tile/0/001.p/45")).isEmpty();
            assertThat(tiles.read("tile/0/001")).isEmpty();
            // Level-1 tile 0 holds the root of the first 256 leaves: its width is 1.
            assertThat(tiles.read("tile/1/000.p/1")).hasValueSatisfying(b -> {
                try {
                    assertThat(b).isEqualTo(log.view().root(256));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            byte[] bundle = tiles.read("tile/entries/001.p/2").orElseThrow();
            byte[] e256 = entry(256);
            assertThat(bundle[0] & 0xff).isEqualTo(e256.length >>> 8);
            assertThat(bundle[1] & 0xff).isEqualTo(e256.length & 0xff);
            assertThat(java.util.Arrays.copyOfRange(bundle, 2, 2 + e256.length)).isEqualTo(e256);
            assertThat(new String(tiles.read("checkpoint").orElseThrow(), StandardCharsets.UTF_8))
                    .isEqualTo(log.latestCheckpoint().orElseThrow().note());
            assertThat(tiles.read("tile/0/x001/000")).isEmpty();
            assertThat(tiles.read("../entries.jsonl")).isEmpty();
        }
    }
}
