package dev.clearance.log;

import dev.clearance.log.merkle.CompactRange;
import dev.clearance.log.merkle.ProofException;
import dev.clearance.log.merkle.Rfc6962;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Full verification of a log directory, trusting nothing in it but the verifier key: every
 * checkpoint signature, every entry's leaf hash and every stored tree node recomputed from the
 * entries, every checkpoint's root recomputed from the entries it covers, and the consistency
 * of each checkpoint with the one before it. Stops at the first failure and names it.
 */
public final class LogVerifier {
    private LogVerifier() {}

    /** What a verification found. {@code failure} is empty when everything holds. */
    /**
     * @param unsignedEntries entries after the latest checkpoint (checked against the stored hashes only)
     * @param warning         something that is not a failure but deserves a look (e.g. an unacknowledged torn tail)
     */
    public record Result(long entries, int checkpoints, long unsignedEntries, String failure, String warning) {
        static Result failed(long entries, int checkpoints, String failure) {
            return new Result(entries, checkpoints, 0, failure, "");
        }

        public boolean ok() {
            return failure.isEmpty();
        }
    }

    /** Verifies {@code dir} with the verifier key stored beside the log ({@code log.pub}). */
    public static Result verify(Path dir) throws IOException {
        return verify(dir, LogKeys.readVerifier(dir));
    }

    /** Verifies {@code dir} with an independently obtained verifier key. */
    public static Result verify(Path dir, NoteVerifier verifier) throws IOException {
        List<String> notes = new ArrayList<>();
        byte[] cpData = Files.readAllBytes(dir.resolve(CheckpointStore.FILE));
        long whole = CheckpointStore.parse(cpData, notes);
        List<Checkpoint> cps = new ArrayList<>();
        for (int i = 0; i < notes.size(); i++) {
            try {
                Checkpoint c = SignedCheckpoint.open(notes.get(i), verifier).checkpoint();
                if (!c.origin().equals(verifier.name())) {
                    return Result.failed(0, i, "checkpoint " + (i + 1) + ": origin '" + c.origin() + "' is not the log's '" + verifier.name() + "'");
                }
                if (!cps.isEmpty() && c.size() < cps.getLast().size()) {
                    return Result.failed(0, i, "checkpoint " + (i + 1) + " (size " + c.size() + "): smaller than checkpoint " + i
                            + " (size " + cps.getLast().size() + "); a log never shrinks");
                }
                cps.add(c);
            } catch (NoteException e) {
                return Result.failed(0, i, "checkpoint " + (i + 1) + ": " + e.getMessage());
            }
        }
        String tail = whole < cpData.length ? (cpData.length - whole) + " bytes of a torn checkpoint record ignored;" : "";

        Rfc6962 hasher = new Rfc6962();
        CompactRange range = new CompactRange(hasher);
        int nextCp = 0;
        while (nextCp < cps.size() && cps.get(nextCp).size() == 0) {
            if (!MessageDigest.isEqual(cps.get(nextCp).root(), hasher.emptyRoot())) {
                return Result.failed(0, nextCp, "checkpoint " + (nextCp + 1) + " (size 0): root is not the empty tree's");
            }
            nextCp++;
        }
        NodeStreams nodes = new NodeStreams(dir.resolve("tree"));
        long index = 0;
        long offset = 0;
        NodeCheck check = new NodeCheck(nodes);
        int[] lineEnds = new int[1 << 16];
        try (FileChannel data = FileChannel.open(dir.resolve(EntryStore.ENTRIES), StandardOpenOption.READ);
                InputStream offsets = new BufferedInputStream(Files.newInputStream(dir.resolve(EntryStore.OFFSETS)), 1 << 16);
                nodes) {
            ByteBuffer buf = ByteBuffer.allocate(8 << 20);
            byte[] a = buf.array();
            byte[] endBytes = new byte[8];
            while (data.read(buf) >= 0 || buf.position() > 0) {
                int limit = buf.position();
                int count = lineEnds(a, limit, lineEnds);
                if (lineEnds.length < count) {
                    lineEnds = new int[count];
                    lineEnds(a, limit, lineEnds);
                }
                byte[] leaves = leafHashes(a, lineEnds, count);
                int start = 0;
                for (int k = 0; k < count; k++) {
                    int i = lineEnds[k];
                    long end = offset + i + 1;
                    if (offsets.readNBytes(endBytes, 0, 8) != 8) {
                        return Result.failed(index, nextCp, "entry " + index + ": present in " + EntryStore.ENTRIES
                                + " but missing from " + EntryStore.OFFSETS);
                    }
                    long stored = ByteBuffer.wrap(endBytes).getLong();
                    if (stored != end) {
                        return Result.failed(index, nextCp, "entry " + index + ": line ends at byte " + end + " but "
                                + EntryStore.OFFSETS + " says " + stored + "; an entry was altered, inserted or removed");
                    }
                    check.entry = index;
                    range.append(Arrays.copyOfRange(leaves, k * Rfc6962.HASH_SIZE, (k + 1) * Rfc6962.HASH_SIZE), check);
                    if (check.failure != null) {
                        return Result.failed(index, nextCp, check.failure);
                    }
                    index++;
                    while (nextCp < cps.size() && cps.get(nextCp).size() == index) {
                        if (!MessageDigest.isEqual(range.root(), cps.get(nextCp).root())) {
                            return Result.failed(index, nextCp, "checkpoint " + (nextCp + 1) + " (size " + index
                                    + "): signed root does not match the root recomputed from entries [0, " + index + ")");
                        }
                        nextCp++;
                    }
                    start = i + 1;
                }
                if (start == 0 && limit == a.length) {
                    return Result.failed(index, nextCp, "entry " + index + ": longer than " + a.length + " bytes without a line feed");
                }
                if (limit > 0 && start == 0 && data.position() == data.size()) {
                    // An append torn by a crash; it was never acknowledged and the next open cuts it.
                    tail += " " + limit + " bytes of a torn, unacknowledged entry " + index + " at the end of " + EntryStore.ENTRIES + ";";
                    break;
                }
                offset += start;
                System.arraycopy(a, start, a, 0, limit - start);
                buf.position(limit - start);
                if (limit == 0) {
                    break;
                }
            }
            if (offsets.read() >= 0) {
                return Result.failed(index, nextCp, "entry " + index + ": listed in " + EntryStore.OFFSETS + " but missing from "
                        + EntryStore.ENTRIES);
            }
        }
        if (nextCp < cps.size()) {
            return Result.failed(index, nextCp, "checkpoint " + (nextCp + 1) + " (size " + cps.get(nextCp).size()
                    + "): covers more entries than the " + index + " stored; signed entries are missing");
        }
        // Every checkpoint matched a recomputed prefix root, so each is consistent with the one before;
        // check the proofs an outside witness would be given as well.
        if (cps.size() > 1) {
            try (LogView view = new LogView(new EntryStore(dir, false), new TreeStore(dir, false),
                    new CheckpointStore(dir, false), verifier, () -> cps.getLast().size(), true)) {
                for (int i = 1; i < cps.size(); i++) {
                    Checkpoint prev = cps.get(i - 1);
                    Checkpoint cur = cps.get(i);
                    if (prev.size() == 0) {
                        continue;
                    }
                    ConsistencyProof p = view.consistencyProof(prev.size(), cur.size());
                    try {
                        new ConsistencyProof(prev.size(), cur.size(), prev.root(), cur.root(), p.proof()).verify();
                    } catch (ProofException e) {
                        return Result.failed(index, i, "checkpoint " + (i + 1) + " (size " + cur.size()
                                + "): not consistent with checkpoint " + i + ": " + e.getMessage());
                    }
                }
            }
        }
        long signed = cps.isEmpty() ? 0 : cps.getLast().size();
        return new Result(index, cps.size(), index - signed, "", tail.strip());
    }

    /** Positions of the line feeds in {@code a[0, limit)}; returns how many there are (fills at most {@code out.length}). */
    private static int lineEnds(byte[] a, int limit, int[] out) {
        int n = 0;
        for (int i = 0; i < limit; i++) {
            if (a[i] == '\n') {
                if (n < out.length) {
                    out[n] = i;
                }
                n++;
            }
        }
        return n;
    }

    /** The leaf hashes of the lines ending at {@code ends[0, count)}, concatenated; computed on every core. */
    private static byte[] leafHashes(byte[] a, int[] ends, int count) {
        byte[] out = new byte[count * Rfc6962.HASH_SIZE];
        int parts = count < 2048 ? 1 : Runtime.getRuntime().availableProcessors();
        IntStream.range(0, parts).parallel().forEach(part -> {
            Rfc6962 h = new Rfc6962();
            int from = (int) ((long) count * part / parts);
            int to = (int) ((long) count * (part + 1) / parts);
            for (int k = from; k < to; k++) {
                int start = k == 0 ? 0 : ends[k - 1] + 1;
                h.leafHash(a, start, ends[k] - start, out, k * Rfc6962.HASH_SIZE);
            }
        });
        return out;
    }

    /** Compares every node the recomputation completes with the stored one; remembers the first mismatch. */
    private static final class NodeCheck implements CompactRange.NodeSink {
        private final NodeStreams nodes;
        long entry;
        String failure;

        NodeCheck(NodeStreams nodes) {
            this.nodes = nodes;
        }

        @Override
        public void completed(int level, long index, byte[] hash) {
            if (failure == null) {
                failure = nodes.check(level, index, hash, entry);
            }
        }
    }

    /** Reads each level's stored hashes in order, beside the recomputation, to compare them. */
    private static final class NodeStreams implements AutoCloseable {
        private final Path dir;
        private final InputStream[] streams = new InputStream[TreeStore.MAX_LEVELS];
        private final byte[] stored = new byte[Rfc6962.HASH_SIZE];

        NodeStreams(Path dir) {
            this.dir = dir;
        }

        String check(int level, long index, byte[] hash, long entry) {
            try {
                if (streams[level] == null) {
                    Path f = dir.resolve(String.format("%02d.hashes", level));
                    if (!Files.exists(f)) {
                        return "entry " + entry + ": tree level " + level + " is missing (" + f + ")";
                    }
                    streams[level] = new BufferedInputStream(Files.newInputStream(f), level == 0 ? 1 << 16 : 4096);
                }
                if (streams[level].readNBytes(stored, 0, stored.length) != stored.length) {
                    return "entry " + entry + ": tree level " + level + " has no node " + index;
                }
            } catch (IOException e) {
                return "entry " + entry + ": cannot read tree level " + level + ": " + e.getMessage();
            }
            if (!MessageDigest.isEqual(stored, hash)) {
                return level == 0
                        ? "entry " + entry + ": its bytes hash to " + HexFormat.of().formatHex(hash)
                                + " but the stored leaf hash is " + HexFormat.of().formatHex(stored) + "; the entry was altered"
                        : "entry " + entry + ": stored tree node " + level + "/" + index + " differs from the one recomputed from entries ["
                                + (index << level) + ", " + ((index + 1) << level) + ")";
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            for (InputStream s : streams) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }
}
