package dev.clearance.log.tiles;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.log.LogOptions;
import dev.clearance.log.TransparencyLog;
import dev.clearance.log.merkle.Rfc6962;
import dev.clearance.log.note.Checkpoint;
import dev.clearance.log.note.NoteVerifier;
import dev.clearance.log.note.SignedCheckpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Follows the log the way a tlog-tiles client or witness does, knowing only the C2SP specs: fetch
 * the checkpoint, then tiles, and recompute the signed root from them.
 */
class TileClientTest {
    @TempDir
    Path dir;

    @Test
    void a_client_recomputes_the_signed_root_from_tiles_alone() throws Exception {
        int n = 70_000; // three tile levels: 273 full level-8 nodes, one level-16 node
        String verifierKey;
        TileReader tiles;
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            CompletableFuture<Long> last = null;
            for (int i = 0; i < n; i++) {
                last = log.append(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            }
            last.get();
            log.checkpoint().get();
            verifierKey = log.verifier().verifierKey();
            tiles = new TileReader(log.view());

            String note = new String(tiles.read("checkpoint").orElseThrow(), StandardCharsets.UTF_8);
            Checkpoint cp =
                    SignedCheckpoint.open(note, NoteVerifier.parse(verifierKey)).checkpoint();
            assertThat(cp.size()).isEqualTo(n);

            TileClient client = new TileClient(tiles, cp.size());
            assertThat(client.root()).isEqualTo(cp.root());

            // The entry bundles hold exactly the leaves the hash tiles commit to.
            byte[] bundle = tiles.read("tile/entries/" + TilePath.encodeIndex(273) + ".p/" + (n - 273 * 256))
                    .orElseThrow();
            List<byte[]> entries = TileClient.entries(bundle);
            assertThat(entries).hasSize(n - 273 * 256);
            assertThat(new Rfc6962().leafHash(entries.get(5))).isEqualTo(client.node(0, 273 * 256 + 5));
        }
    }

    /** A minimal tlog-tiles client: hashes of level 8·L from tile L, levels between computed. */
    private static final class TileClient {
        private final TileReader tiles;
        private final long size;
        private final Rfc6962 hasher = new Rfc6962();
        private final Map<String, byte[]> fetched = new HashMap<>();

        TileClient(TileReader tiles, long size) {
            this.tiles = tiles;
            this.size = size;
        }

        byte[] node(int level, long index) {
            if (level % TilePath.TILE_HEIGHT != 0) {
                return hasher.nodeHash(node(level - 1, 2 * index), node(level - 1, 2 * index + 1));
            }
            int tileLevel = level / TilePath.TILE_HEIGHT;
            long tileIndex = index / TilePath.TILE_WIDTH;
            long available = (size >>> level) - tileIndex * TilePath.TILE_WIDTH;
            int width = (int) Math.min(TilePath.TILE_WIDTH, available);
            String path = TilePath.hashes(tileLevel, tileIndex, width).path();
            byte[] tile = fetched.computeIfAbsent(
                    path, p -> tiles.read(p).orElseThrow(() -> new AssertionError("no tile " + p)));
            int at = (int) (index % TilePath.TILE_WIDTH) * Rfc6962.HASH_SIZE;
            return Arrays.copyOfRange(tile, at, at + Rfc6962.HASH_SIZE);
        }

        /** RFC 6962 root from the perfect subtrees of [0, size), largest first, folded from the right. */
        byte[] root() {
            List<byte[]> subtrees = new ArrayList<>();
            long start = 0;
            for (int level = 63; level >= 0; level--) {
                if (((size >>> level) & 1) == 1) {
                    subtrees.add(node(level, start >>> level));
                    start += 1L << level;
                }
            }
            byte[] r = subtrees.getLast();
            for (int i = subtrees.size() - 2; i >= 0; i--) {
                r = hasher.nodeHash(subtrees.get(i), r);
            }
            return r;
        }

        static List<byte[]> entries(byte[] bundle) {
            List<byte[]> out = new ArrayList<>();
            for (int at = 0; at < bundle.length; ) {
                int len = ((bundle[at] & 0xff) << 8) | (bundle[at + 1] & 0xff);
                out.add(Arrays.copyOfRange(bundle, at + 2, at + 2 + len));
                at += 2 + len;
            }
            return out;
        }
    }
}
