package dev.clearance.log.audit;

import dev.clearance.log.merkle.CompactRange;
import dev.clearance.log.merkle.ConsistencyProof;
import dev.clearance.log.merkle.ProofBuilder;
import dev.clearance.log.merkle.ProofException;
import dev.clearance.log.merkle.Rfc6962;
import dev.clearance.log.note.Checkpoint;
import dev.clearance.log.note.NoteException;
import dev.clearance.log.note.NoteVerifier;
import dev.clearance.log.note.SignedCheckpoint;
import dev.clearance.log.storage.LogFiles;
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
    private static final int CHUNK = 16_384;
    /** Height of the subtrees whose inner nodes are hashed in parallel ({@link #subtrees}). */
    private static final int SUBTREE = 4;

    private static final int GROUP = 1 << SUBTREE;

    private LogVerifier() {}

    /**
     * What a verification found. {@code failure} is empty when everything holds.
     *
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
        return verify(dir, LogFiles.readVerifier(dir));
    }

    /** Verifies {@code dir} with an independently obtained verifier key. */
    public static Result verify(Path dir, NoteVerifier verifier) throws IOException {
        List<String> notes = new ArrayList<>();
        byte[] cpData = Files.readAllBytes(dir.resolve(LogFiles.CHECKPOINTS));
        long whole = LogFiles.parseCheckpoints(cpData, notes);
        List<Checkpoint> cps = new ArrayList<>();
        for (int i = 0; i < notes.size(); i++) {
            try {
                Checkpoint c = SignedCheckpoint.open(notes.get(i), verifier).checkpoint();
                if (!c.origin().equals(verifier.name())) {
                    return Result.failed(
                            0,
                            i,
                            "checkpoint " + (i + 1) + ": origin '" + c.origin() + "' is not the log's '"
                                    + verifier.name() + "'");
                }
                if (!cps.isEmpty() && c.size() < cps.getLast().size()) {
                    return Result.failed(
                            0,
                            i,
                            "checkpoint " + (i + 1) + " (size " + c.size() + "): smaller than checkpoint " + i
                                    + " (size " + cps.getLast().size() + "); a log never shrinks");
                }
                cps.add(c);
            } catch (NoteException e) {
                return Result.failed(0, i, "checkpoint " + (i + 1) + ": " + e.getMessage());
            }
        }
        String tail =
                whole < cpData.length ? (cpData.length - whole) + " bytes of a torn checkpoint record ignored;" : "";

        Rfc6962 hasher = new Rfc6962();
        CompactRange range = new CompactRange(hasher);
        int nextCp = 0;
        while (nextCp < cps.size() && cps.get(nextCp).size() == 0) {
            if (!MessageDigest.isEqual(cps.get(nextCp).root(), hasher.emptyRoot())) {
                return Result.failed(
                        0, nextCp, "checkpoint " + (nextCp + 1) + " (size 0): root is not the empty tree's");
            }
            nextCp++;
        }
        NodeStreams nodes = new NodeStreams(dir);
        Path leafPath = LogFiles.treeLevel(dir, 0);
        if (!Files.exists(leafPath)) {
            if (Files.size(dir.resolve(LogFiles.OFFSETS)) >= 8) {
                return Result.failed(
                        0,
                        nextCp,
                        "entry 0: tree level 0 (" + leafPath + ") is missing; open the log for writing to rebuild it");
            }
        }
        long index = 0;
        long offset = 0; // where entry 'index' starts
        NodeCheck check = new NodeCheck(nodes);
        try (FileChannel data = FileChannel.open(dir.resolve(LogFiles.ENTRIES), StandardOpenOption.READ);
                FileChannel offsets = FileChannel.open(dir.resolve(LogFiles.OFFSETS), StandardOpenOption.READ);
                FileChannel leafFile =
                        Files.exists(leafPath) ? FileChannel.open(leafPath, StandardOpenOption.READ) : null;
                nodes) {
            long listed = offsets.size() / 8;
            // A live writer writes an entry before its leaf hash: verify what both files hold.
            long total = Math.min(listed, leafFile == null ? 0 : leafFile.size() / Rfc6962.HASH_SIZE);
            long dataSize = data.size();
            ByteBuffer endsBuf = ByteBuffer.allocate(CHUNK * 8);
            long[] ends = new long[CHUNK];
            int[] lineFeeds = new int[CHUNK];
            byte[] a = new byte[8 << 20];
            while (index < total) {
                int count = (int) Math.min(CHUNK, total - index);
                endsBuf.clear().limit(count * 8);
                LogFiles.readFully(offsets, endsBuf, index * 8);
                // Entries are where offsets.bin says; any change to their bytes changes their leaf hash.
                int fit = 0;
                long prev = offset;
                for (int k = 0; k < count; k++) {
                    long e = endsBuf.getLong(k * 8);
                    if (e <= prev || e - prev > LogFiles.MAX_ENTRY_SIZE + 1 || e > dataSize) {
                        return Result.failed(
                                index + k,
                                nextCp,
                                "entry " + (index + k) + ": " + LogFiles.OFFSETS + " says it ends at byte "
                                        + e + ", which is not a valid end after byte " + prev + " in a file of "
                                        + dataSize
                                        + " bytes; an entry was altered, inserted or removed");
                    }
                    if (e - offset > a.length) {
                        break;
                    }
                    ends[k] = e;
                    prev = e;
                    fit++;
                }
                int length = (int) (ends[fit - 1] - offset);
                LogFiles.readFully(data, ByteBuffer.wrap(a, 0, length), offset);
                for (int k = 0; k < fit; k++) {
                    lineFeeds[k] = (int) (ends[k] - offset) - 1;
                    if (a[lineFeeds[k]] != '\n') {
                        return Result.failed(
                                index + k,
                                nextCp,
                                "entry " + (index + k) + ": no line feed at byte " + (ends[k] - 1) + " where "
                                        + LogFiles.OFFSETS
                                        + " says it ends; an entry was altered, inserted or removed");
                    }
                }
                byte[] leaves = leafHashes(a, lineFeeds, fit);
                String leafFailure = compareLeaves(leafFile, index, leaves, fit);
                if (leafFailure != null) {
                    return Result.failed(index, nextCp, leafFailure);
                }
                // Aligned groups of 2^SUBTREE leaves inside this chunk: their inner nodes are hashed on
                // every core, and the group joins the range as one subtree (one node per group is left to
                // hash in order, instead of one per entry).
                int firstAligned = (int) Math.min(fit, (-index) & (GROUP - 1));
                int groups = (fit - firstAligned) / GROUP;
                byte[][] inner = subtrees(leaves, firstAligned, groups);
                for (int k = 0; k < fit; ) {
                    int g = (k - firstAligned) / GROUP;
                    boolean subtree = k >= firstAligned
                            && g < groups
                            && (k - firstAligned) % GROUP == 0
                            && (nextCp >= cps.size() || cps.get(nextCp).size() >= index + GROUP);
                    if (subtree) {
                        for (int level = 1; level <= SUBTREE; level++) {
                            int width = GROUP >>> level;
                            for (int j = 0; j < width && check.failure == null; j++) {
                                byte[] node = Arrays.copyOfRange(
                                        inner[level],
                                        (g * width + j) * Rfc6962.HASH_SIZE,
                                        (g * width + j + 1) * Rfc6962.HASH_SIZE);
                                if (level < SUBTREE) {
                                    check.completed(level, (index >>> level) + j, node);
                                } else {
                                    range.appendSubtree(SUBTREE, node, check);
                                }
                            }
                        }
                        if (check.failure != null) {
                            return Result.failed(check.failedEntry, nextCp, check.failure);
                        }
                        index += GROUP;
                        k += GROUP;
                    } else {
                        range.append(
                                Arrays.copyOfRange(leaves, k * Rfc6962.HASH_SIZE, (k + 1) * Rfc6962.HASH_SIZE), check);
                        if (check.failure != null) {
                            return Result.failed(index, nextCp, check.failure);
                        }
                        index++;
                        k++;
                    }
                    while (nextCp < cps.size() && cps.get(nextCp).size() == index) {
                        if (!MessageDigest.isEqual(range.root(), cps.get(nextCp).root())) {
                            return Result.failed(
                                    index,
                                    nextCp,
                                    "checkpoint " + (nextCp + 1) + " (size " + index
                                            + "): signed root does not match the root recomputed from entries [0, "
                                            + index + ")");
                        }
                        nextCp++;
                    }
                }
                offset = ends[fit - 1];
            }
            if (listed > total) {
                tail += " " + (listed - total) + " entries after entry " + (total - 1) + " have no stored leaf hash yet"
                        + " (a writer is appending, or derived files were lost: opening the log for writing rebuilds them);";
            } else if (dataSize > offset) {
                if (allZero(data, offset, dataSize)) {
                    // A running writer's prepared space (or one a crash left): never an entry, cut on the next open.
                    tail += " " + (dataSize - offset) + " bytes of zeros prepared after the last entry of "
                            + LogFiles.ENTRIES + ";";
                } else {
                    // An append torn by a crash: never acknowledged, and the next open for writing cuts it.
                    tail += " " + (dataSize - offset) + " bytes of a torn, unacknowledged entry " + index
                            + " at the end of " + LogFiles.ENTRIES + ";";
                }
            }
        }
        if (nextCp < cps.size()) {
            return Result.failed(
                    index,
                    nextCp,
                    "checkpoint " + (nextCp + 1) + " (size " + cps.get(nextCp).size()
                            + "): covers more entries than the " + index
                            + " that have both entry bytes and a stored leaf hash; signed entries or their hashes are missing");
        }
        // Every checkpoint matched a recomputed prefix root, so each is consistent with the one before;
        // check the proofs an outside witness would be given as well.
        if (cps.size() > 1) {
            try (LogFiles files = LogFiles.openReadOnly(dir)) {
                ProofBuilder proofs = new ProofBuilder(files);
                for (int i = 1; i < cps.size(); i++) {
                    Checkpoint prev = cps.get(i - 1);
                    Checkpoint cur = cps.get(i);
                    if (prev.size() == 0) {
                        continue;
                    }
                    try {
                        new ConsistencyProof(
                                        prev.size(),
                                        cur.size(),
                                        prev.root(),
                                        cur.root(),
                                        proofs.consistency(prev.size(), cur.size()))
                                .verify();
                    } catch (ProofException e) {
                        return Result.failed(
                                index,
                                i,
                                "checkpoint " + (i + 1) + " (size " + cur.size() + "): not consistent with checkpoint "
                                        + i + ": " + e.getMessage());
                    }
                }
            }
        }
        long signed = cps.isEmpty() ? 0 : cps.getLast().size();
        return new Result(index, cps.size(), index - signed, "", tail.strip());
    }

    /** Compares recomputed leaf hashes with the stored ones in bulk; names the first entry that differs. */
    /** Whether {@code [from, to)} of {@code data} holds only NUL bytes. */
    private static boolean allZero(FileChannel data, long from, long to) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        for (long pos = from; pos < to; ) {
            b.clear().limit((int) Math.min(b.capacity(), to - pos));
            int n = data.read(b, pos);
            if (n <= 0) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (b.get(i) != 0) {
                    return false;
                }
            }
            pos += n;
        }
        return true;
    }

    private static String compareLeaves(FileChannel leafFile, long first, byte[] leaves, int count) throws IOException {
        long have = leafFile.size() / Rfc6962.HASH_SIZE;
        int n = (int) Math.max(0, Math.min(count, have - first));
        byte[] stored = new byte[n * Rfc6962.HASH_SIZE];
        LogFiles.readFully(leafFile, ByteBuffer.wrap(stored), first * Rfc6962.HASH_SIZE);
        int at = Arrays.mismatch(stored, 0, stored.length, leaves, 0, stored.length);
        if (at >= 0) {
            int k = at / Rfc6962.HASH_SIZE;
            HexFormat hex = HexFormat.of();
            return "entry " + (first + k) + ": its bytes hash to "
                    + hex.formatHex(leaves, k * Rfc6962.HASH_SIZE, (k + 1) * Rfc6962.HASH_SIZE)
                    + " but the stored leaf hash is "
                    + hex.formatHex(stored, k * Rfc6962.HASH_SIZE, (k + 1) * Rfc6962.HASH_SIZE)
                    + "; the entry was altered";
        }
        if (n < count) {
            return "entry " + (first + n) + ": tree level 0 has no leaf hash for it";
        }
        return null;
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

    /**
     * The inner nodes (levels 1 to {@link #SUBTREE}) of {@code groups} perfect subtrees of
     * {@link #GROUP} leaves starting at leaf {@code first} of {@code leaves}, by level, each level's
     * nodes in order; computed on every core.
     */
    private static byte[][] subtrees(byte[] leaves, int first, int groups) {
        byte[][] levels = new byte[SUBTREE + 1][];
        for (int level = 1; level <= SUBTREE; level++) {
            levels[level] = new byte[groups * (GROUP >>> level) * Rfc6962.HASH_SIZE];
        }
        int parts = groups < 64 ? 1 : Runtime.getRuntime().availableProcessors();
        IntStream.range(0, parts).parallel().forEach(part -> {
            Rfc6962 h = new Rfc6962();
            for (int g = groups * part / parts, to = groups * (part + 1) / parts; g < to; g++) {
                for (int level = 1; level <= SUBTREE; level++) {
                    byte[] src = level == 1 ? leaves : levels[level - 1];
                    int srcBase = level == 1 ? (first + g * GROUP) : g * (GROUP >>> (level - 1));
                    int width = GROUP >>> level;
                    for (int j = 0; j < width; j++) {
                        h.nodeHash(
                                src,
                                (srcBase + 2 * j) * Rfc6962.HASH_SIZE,
                                (srcBase + 2 * j + 1) * Rfc6962.HASH_SIZE,
                                levels[level],
                                (g * width + j) * Rfc6962.HASH_SIZE);
                    }
                }
            }
        });
        return levels;
    }

    /** Compares every node the recomputation completes with the stored one; remembers the first mismatch. */
    private static final class NodeCheck implements CompactRange.NodeSink {
        private final NodeStreams nodes;
        /** The entry whose append completed the mismatching node: the last leaf under it. */
        long failedEntry;

        String failure;

        NodeCheck(NodeStreams nodes) {
            this.nodes = nodes;
        }

        @Override
        public void completed(int level, long index, byte[] hash) {
            if (failure == null && level > 0) { // leaves are compared in bulk
                long entry = ((index + 1) << level) - 1;
                failure = nodes.check(level, index, hash, entry);
                failedEntry = entry;
            }
        }
    }

    /** Reads each level's stored hashes in order, beside the recomputation, to compare them. */
    private static final class NodeStreams implements AutoCloseable {
        private final Path dir;
        private final InputStream[] streams = new InputStream[LogFiles.MAX_LEVELS];
        private final byte[] stored = new byte[Rfc6962.HASH_SIZE];

        NodeStreams(Path dir) {
            this.dir = dir;
        }

        String check(int level, long index, byte[] hash, long entry) {
            try {
                if (streams[level] == null) {
                    Path f = LogFiles.treeLevel(dir, level);
                    if (!Files.exists(f)) {
                        return "entry " + entry + ": tree level " + level + " is missing (" + f + ")";
                    }
                    streams[level] = new BufferedInputStream(Files.newInputStream(f), 4096);
                }
                if (streams[level].readNBytes(stored, 0, stored.length) != stored.length) {
                    return "entry " + entry + ": tree level " + level + " has no node " + index;
                }
            } catch (IOException e) {
                return "entry " + entry + ": cannot read tree level " + level + ": " + e.getMessage();
            }
            if (!MessageDigest.isEqual(stored, hash)) {
                return "entry " + entry + ": stored tree node " + level + "/" + index
                        + " differs from the one recomputed from entries [" + (index << level) + ", "
                        + ((index + 1) << level) + ")";
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
