package dev.clearance.log;

import dev.clearance.log.merkle.CompactRange;
import dev.clearance.log.merkle.Rfc6962;
import dev.clearance.log.note.Checkpoint;
import dev.clearance.log.note.NoteKey;
import dev.clearance.log.note.NoteVerifier;
import dev.clearance.log.note.SignedCheckpoint;
import dev.clearance.log.storage.LogFiles;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The append-only, tamper-evident log, as its one writer sees it: the front door of this module.
 * An entry is opaque bytes (one line of text); the log hashes, orders, stores, proves and signs
 * them and never reads them. Clearance records its decisions here (see {@code clearance-record}).
 *
 * <p>{@link #append} hands an entry to a single sequencer thread, which assigns indexes in
 * arrival order and writes whatever has queued as one batch with one fsync (group commit; while appends
 * are concurrent it holds a batch open, for at most {@link LogOptions#groupCommitWait()}, until as
 * many more have queued as joined the previous batch); the
 * returned future completes with the entry's index only once the entry is durable. A response
 * that depends on the entry being recorded waits for that future. Only the entries file is forced
 * per batch; the offsets and tree hashes derived from it are forced by a checkpointer thread just
 * before it signs a checkpoint, at least once per {@link LogOptions#checkpointInterval()} while
 * entries arrive and whenever {@link #checkpoint()} asks.
 *
 * <p>Opening recovers from any crash: a torn tail (never acknowledged) is cut, offsets and hashes
 * past the last checkpoint are recomputed from the entries, and the recomputed root must match
 * the last signed checkpoint, or the log refuses to open. An I/O failure while appending stops
 * the log: every later append fails, so callers fail closed.
 *
 * <p>Futures complete on the sequencer thread; chain heavy work with the {@code *Async} variants.
 */
public final class TransparencyLog implements AutoCloseable {
    /** Entry bundles in the tlog-tiles API length-prefix entries with 16 bits. */
    public static final int MAX_ENTRY_SIZE = LogFiles.MAX_ENTRY_SIZE;

    private static final String LOCK = "LOCK";

    private sealed interface Work permits Append, CheckpointNow, Stop {}

    private record Append(byte[] entry, byte[] leafHash, CompletableFuture<Long> done) implements Work {}

    private record CheckpointNow(CompletableFuture<SignedCheckpoint> done) implements Work {}

    private record Stop() implements Work {}

    private final Path dir;
    private final LogOptions options;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final LogFiles files;
    private final NoteKey key;
    private final LogView view;
    private final CompactRange range;
    private final BlockingQueue<Work> queue;
    private final Thread sequencer;
    private final long groupCommitWaitNanos;

    private volatile long size;
    private volatile boolean closed;
    private volatile IOException failure;
    private final ExecutorService checkpointer;
    private final AtomicBoolean checkpointInFlight = new AtomicBoolean();
    private long checkpointedSize; // sequencer: size of the last checkpoint handed to the checkpointer
    private long lastCheckpointNanos; // sequencer: when it was handed over
    private int lastBatchAppends; // sequencer: appends in the previous batch (more than one: appends are concurrent)
    private volatile int awaiting; // while the sequencer holds a batch open: the queue length that completes it
    private ByteBuffer lines = ByteBuffer.allocateDirect(1 << 20);
    private ByteBuffer ends = ByteBuffer.allocateDirect(8 * 16_384);

    private TransparencyLog(Path dir, LogOptions options) throws IOException {
        this.dir = dir;
        this.options = options;
        this.groupCommitWaitNanos = options.groupCommitWait().toNanos();
        Files.createDirectories(dir);
        lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IOException(
                    dir + ": the decision log is already open for writing by another process or log instance");
        }
        lock = l;
        try {
            key = LogFiles.loadOrCreateKey(dir, options.origin(), options.signerKeyFile());
            files = LogFiles.openForWriting(dir);
            LogFiles.Recovered recovered;
            try {
                recovered = files.recover(key.verifier());
            } catch (IOException | RuntimeException e) {
                files.close();
                throw e;
            }
            range = recovered.range();
            checkpointedSize = recovered.checkpointedSize();
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
        size = range.size();
        view = new LogView(files, key.verifier(), () -> size, false);
        queue = new LinkedBlockingQueue<>(options.queueCapacity());
        lastCheckpointNanos = System.nanoTime();
        if (checkpointedSize != size || files.latestCheckpoint() == null) {
            writeCheckpoint(size, range.root());
            checkpointedSize = size;
        }
        checkpointer = Executors.newSingleThreadExecutor(
                r -> Thread.ofPlatform().name("log-checkpointer").daemon(true).unstarted(r));
        sequencer = Thread.ofPlatform().name("log-sequencer").daemon(true).unstarted(this::run);
        sequencer.start();
    }

    /** Opens (creating if needed) the log in {@code dir}, recovering from any crash, and starts its sequencer. */
    public static TransparencyLog open(Path dir, LogOptions options) throws IOException {
        return new TransparencyLog(dir, options);
    }

    /**
     * Queues {@code entry} (one line of text: no line feed or NUL byte, at most {@value #MAX_ENTRY_SIZE} bytes)
     * and returns a future that completes with its index once it is durable, or exceptionally if it
     * could not be made durable. Blocks while the queue is full (back-pressure).
     */
    public CompletableFuture<Long> append(byte[] entry) {
        String problem = problem(entry);
        if (problem != null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(problem));
        }
        byte[] owned = entry.clone();
        CompletableFuture<Long> done = new CompletableFuture<>();
        // Hash on the caller's thread: leaves are independent, so callers share the work the sequencer would serialise.
        return submit(() -> new Append(owned, Rfc6962.leafHashOf(owned), done), done);
    }

    private static String problem(byte[] entry) {
        if (entry == null || entry.length == 0) {
            return "a log entry must not be empty";
        }
        if (entry.length > MAX_ENTRY_SIZE) {
            return "a log entry is at most " + MAX_ENTRY_SIZE + " bytes, this one is " + entry.length;
        }
        if (!oneLine(entry)) {
            return "a log entry is one line of text: it must not contain a line feed or a NUL byte";
        }
        return null;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LINE_FEEDS = 0x0A0A0A0A0A0A0A0AL;

    /**
     * No line feed and no NUL byte, eight bytes at a time (every entry is checked on its caller's
     * thread): {@code (v - 0x01…) & ~v & 0x80…} is non-zero exactly when some byte of {@code v} is 0,
     * and a byte of {@code v ^ 0x0A…} is 0 where {@code v} has a line feed.
     */
    static boolean oneLine(byte[] entry) {
        int i = 0;
        int n = entry.length;
        for (; i + Long.BYTES <= n; i += Long.BYTES) {
            long v = (long) LONGS.get(entry, i);
            long lf = v ^ LINE_FEEDS;
            if (((((v - ONES) & ~v) | ((lf - ONES) & ~lf)) & HIGHS) != 0) {
                return false;
            }
        }
        for (; i < n; i++) {
            if (entry[i] == '\n' || entry[i] == 0) {
                return false;
            }
        }
        return true;
    }

    /** Signs a checkpoint of everything durable so far, after entries already queued are written. */
    public CompletableFuture<SignedCheckpoint> checkpoint() {
        CompletableFuture<SignedCheckpoint> done = new CompletableFuture<>();
        return submit(() -> new CheckpointNow(done), done);
    }

    /** Queues the work that completes {@code done}, or fails {@code done} at once when the log is closed or failed. */
    private <T> CompletableFuture<T> submit(Supplier<Work> work, CompletableFuture<T> done) {
        if (closed || failure != null) {
            done.completeExceptionally(
                    failure != null ? failure : new IllegalStateException("the decision log is closed"));
            return done;
        }
        try {
            queue.put(work.get());
            int expected = awaiting;
            if (expected > 0 && queue.size() >= expected) {
                awaiting = 0;
                LockSupport.unpark(sequencer); // the batch the sequencer holds open is complete: one wake-up per batch
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Entries durable so far. */
    public long size() {
        return size;
    }

    /** The growing read view: entries, proofs and checkpoints of the durable log. */
    public LogView view() {
        return view;
    }

    public Optional<SignedCheckpoint> latestCheckpoint() {
        return view.latestCheckpoint();
    }

    public NoteVerifier verifier() {
        return key.verifier();
    }

    public Path directory() {
        return dir;
    }

    private void run() {
        List<Work> batch = new ArrayList<>(options.maxBatch());
        long intervalNanos = options.checkpointInterval().toNanos();
        boolean stopping = false;
        while (!stopping) {
            try {
                long wait = Math.max(1, intervalNanos - (System.nanoTime() - lastCheckpointNanos));
                Work first = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (first != null) {
                    batch.add(first);
                    if (first instanceof Append && lastBatchAppends > 1 && groupCommitWaitNanos > 0) {
                        holdOpen(lastBatchAppends - 1);
                    }
                    queue.drainTo(batch, options.maxBatch() - 1);
                }
            } catch (InterruptedException e) {
                // only close() interrupts, and it queued a Stop first; keep draining
            }
            List<CompletableFuture<SignedCheckpoint>> wanted = new ArrayList<>();
            int appends = 0;
            for (Work w : batch) {
                switch (w) {
                    case Append a -> appends++;
                    case CheckpointNow c -> wanted.add(c.done());
                    case Stop s -> stopping = true;
                }
            }
            if (!batch.isEmpty()) {
                lastBatchAppends = appends;
            }
            if (failure != null) {
                failAll(batch, failure);
                batch.clear();
                continue;
            }
            try {
                if (appends > 0) {
                    writeBatch(batch, appends);
                }
                boolean due = System.nanoTime() - lastCheckpointNanos >= intervalNanos
                        && size > checkpointedSize
                        && !checkpointInFlight.get();
                if (due || !wanted.isEmpty() || (stopping && size > checkpointedSize)) {
                    submitCheckpoint(wanted);
                } else if (size == checkpointedSize) {
                    lastCheckpointNanos = System.nanoTime(); // idle: nothing new to sign
                }
            } catch (IOException | RuntimeException e) {
                failure = e instanceof IOException io ? io : new IOException("decision log sequencer failed", e);
                failAll(batch, failure);
            }
            batch.clear();
        }
        // Anything queued after Stop was refused by 'closed'; fail stragglers that raced it.
        List<Work> rest = new ArrayList<>();
        queue.drainTo(rest);
        failAll(rest, new IOException("the decision log is closed"));
    }

    /**
     * Group commit: concurrent appenders join this batch's one fsync instead of each waking the
     * sequencer for one of their own. The batch is held open until as many more appends have queued
     * as joined the previous batch (the callers that were waiting then have usually come back), or
     * for at most {@link LogOptions#groupCommitWait()}: the append that completes the batch wakes
     * the sequencer, no other append does. A fixed wait instead made every record wait the whole
     * time, and the answers of a gateway's callers with it (docs/benchmarks.md, Gateway).
     */
    private void holdOpen(int expected) {
        long deadline = System.nanoTime() + groupCommitWaitNanos;
        awaiting = expected;
        long left;
        while (queue.size() < expected && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
        }
        awaiting = 0;
    }

    private void writeBatch(List<Work> batch, int appends) throws IOException {
        if (ends.capacity() < appends * 8) {
            ends = ByteBuffer.allocateDirect(appends * 8);
        }
        lines.clear();
        ends.clear();
        long end = files.entriesEnd();
        for (Work w : batch) {
            if (w instanceof Append a) {
                byte[] e = a.entry();
                if (lines.remaining() < e.length + 1) {
                    ByteBuffer bigger =
                            ByteBuffer.allocateDirect(Math.max(lines.capacity() * 2, lines.position() + e.length + 1));
                    lines.flip();
                    bigger.put(lines);
                    lines = bigger;
                }
                lines.put(e).put((byte) '\n');
                end += e.length + 1;
                ends.putLong(end);
                range.append(a.leafHash(), files::addNode);
            }
        }
        lines.flip();
        ends.flip();
        long first = size;
        files.writeEntries(lines, ends, appends);
        files.writeNodes();
        files.forceEntries(); // one fsync per batch: the offsets and hashes are rebuilt from the entries if lost
        size = first + appends; // publishes the entries and their hashes to readers
        long index = first;
        for (Work w : batch) {
            if (w instanceof Append a) {
                a.done().complete(index++);
            }
        }
    }

    /**
     * Hands the current size and root to the checkpointer thread. Forcing the derived files takes
     * several fsyncs; doing it beside the sequencer keeps those off the appends' latency.
     */
    private void submitCheckpoint(List<CompletableFuture<SignedCheckpoint>> waiting) {
        long s = size;
        byte[] root = range.root();
        checkpointedSize = s;
        lastCheckpointNanos = System.nanoTime();
        checkpointInFlight.set(true);
        checkpointer.execute(() -> {
            try {
                SignedCheckpoint cp = writeCheckpoint(s, root);
                waiting.forEach(f -> f.complete(cp));
            } catch (IOException | RuntimeException e) {
                failure = e instanceof IOException io ? io : new IOException("signing a checkpoint failed", e);
                waiting.forEach(f -> f.completeExceptionally(failure));
            } finally {
                checkpointInFlight.set(false);
            }
        });
    }

    /** Signs and stores the checkpoint of the first {@code s} entries; one thread at a time. */
    private SignedCheckpoint writeCheckpoint(long s, byte[] root) throws IOException {
        // A checkpoint vouches for the offsets and hashes below it: recovery trusts them up to here.
        files.forceDerived();
        Checkpoint cp = new Checkpoint(key.name(), s, root);
        String note = key.sign(cp.body());
        files.appendCheckpoint(note);
        return new SignedCheckpoint(cp, note);
    }

    private static void failAll(List<Work> batch, Exception cause) {
        for (Work w : batch) {
            switch (w) {
                case Append a -> a.done().completeExceptionally(cause);
                case CheckpointNow c -> c.done().completeExceptionally(cause);
                case Stop s -> {}
            }
        }
    }

    /** Writes what is queued, signs a final checkpoint, and releases the files. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.put(new Stop());
            sequencer.join();
            checkpointer.shutdown(); // after the final checkpoint the sequencer handed over
            checkpointer.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // An append that checked 'closed' just before it was set may have queued after the sequencer's last drain.
        List<Work> late = new ArrayList<>();
        queue.drainTo(late);
        failAll(late, new IOException("the decision log is closed"));
        try (lockChannel) {
            files.close();
            lock.release();
        }
        if (failure != null) {
            throw new IOException("the decision log stopped after a write failure", failure);
        }
    }
}
