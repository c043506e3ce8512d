package dev.clearance.simulate;

import dev.clearance.core.Decision;
import dev.clearance.core.DecisionPoint;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Problem;
import dev.clearance.core.Request;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides every recorded request under the baseline and the draft, on the pool's workers, each into
 * its own {@link TrafficTally}, merged at the end. Streamed traffic goes through one
 * {@link WorkerPool#feed}: a reader thread hands batches (requests, or chunks of whole JSON lines
 * that the workers parse) to the workers, so memory is bounded by the population, never the traffic.
 */
final class TrafficPass {
    private static final int BATCH = 4096;
    /** A run stops collecting bad lines at this many. */
    private static final int MAX_PROBLEMS = 100;
    /**
     * The id the file's requests and decisions carry, whatever a line's own (or none): the pass counts
     * decisions and never reads an id, so the parser makes none (a line without one, as other generators
     * may write, got its {@code file:line} before).
     */
    private static final String TRAFFIC_ID = "traffic";

    private final Policy baseline;
    private final Policy draft;
    private final PopulationFacts facts;
    private final WorkerPool pool;
    private final Progress progress;

    TrafficPass(Policy baseline, Policy draft, PopulationFacts facts, WorkerPool pool, Progress progress) {
        this.baseline = baseline;
        this.draft = draft;
        this.facts = facts;
        this.pool = pool;
        this.progress = progress;
    }

    /**
     * Bad traffic fails the whole pass (fail closed: an impact report over part of the input would
     * understate the impact), with every problem located at its file and line.
     */
    TrafficTally run(Traffic traffic) throws PolicyException, IOException {
        return switch (traffic) {
            case Traffic.JsonLinesFile f -> jsonLines(f.path());
            case Traffic.Requests r -> inMemory(r.requests());
            case Traffic.Iterated it -> iterated(it.requests());
            case Traffic.None none -> new TrafficTally();
        };
    }

    /** Decides {@code r} under both policies; {@code i} is its principal's position, -1 when unknown. */
    private void decide(TrafficTally tally, Request r, int i) {
        Decision b = DecisionPoint.outcome(baseline, facts.baselineOf(i), r);
        Decision d = DecisionPoint.outcome(draft, facts.draftOf(i), r);
        tally.add(r, i >= 0, b, d);
    }

    private TrafficTally inMemory(List<Request> requests) {
        progress.phase("requests", "requests", requests.size());
        return merge(pool.slices(requests.size(), TrafficTally::new, progress, (tally, k) -> {
            Request r = requests.get(k);
            decide(
                    tally,
                    r.id().isEmpty() ? r.withId("request " + (k + 1)) : r,
                    facts.index().get(r.principal()));
        }));
    }

    private TrafficTally iterated(Iterable<Request> requests) throws IOException {
        progress.phase("requests", "requests", -1);
        WorkerPool.Producer<List<Request>> batches = out -> {
            List<Request> batch = new ArrayList<>(BATCH);
            for (Request r : requests) {
                if (out.stopped()) {
                    return;
                }
                batch.add(r);
                if (batch.size() == BATCH) {
                    out.put(batch);
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (!batch.isEmpty()) {
                out.put(batch);
            }
        };
        return merge(pool.feed(batches, TrafficTally::new, (tally, batch) -> {
            for (Request r : batch) {
                decide(tally, r, facts.index().get(r.principal()));
            }
            progress.advance(batch.size());
            return true;
        }));
    }

    /** A worker's own tally and parser (a parser keeps per-thread caches). */
    private record Lane(TrafficTally tally, RequestLines parser) {}

    private TrafficTally jsonLines(Path path) throws PolicyException, IOException {
        progress.phase("requests", "bytes", Files.size(path));
        String file = path.toString();
        Instant now = Instant.now();
        List<Problem> problems = new ArrayList<>();
        WorkerPool.Producer<ChunkReader.Chunk> chunks = out -> {
            try (InputStream in = Files.newInputStream(path)) {
                ChunkReader.read(in, out);
            }
        };
        List<Lane> lanes = pool.feed(
                chunks,
                () -> new Lane(new TrafficTally(), new RequestLines(file, now, facts.index(), facts.ids(), TRAFFIC_ID)),
                (lane, chunk) -> {
                    List<Problem> found = decideLines(chunk, lane);
                    if (!found.isEmpty()) {
                        synchronized (problems) {
                            problems.addAll(found);
                        }
                    }
                    progress.advance(chunk.length());
                    return found.isEmpty();
                });
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt(Problem::line));
            throw new PolicyException(problems.subList(0, Math.min(MAX_PROBLEMS, problems.size())));
        }
        return merge(lanes.stream().map(Lane::tally).toList());
    }

    /** Decides every line of a chunk; returns the problems found (then the chunk's counts are moot). */
    private List<Problem> decideLines(ChunkReader.Chunk chunk, Lane lane) {
        List<Problem> problems = new ArrayList<>(0);
        chunk.lines((data, from, to, line) -> {
            try {
                Request r = lane.parser().parse(data, from, to - from, line); // carries TRAFFIC_ID
                decide(lane.tally(), r, lane.parser().principalIndex());
            } catch (PolicyException e) {
                problems.addAll(e.problems());
            }
            return problems.size() < MAX_PROBLEMS;
        });
        return problems;
    }

    private static TrafficTally merge(List<TrafficTally> tallies) {
        TrafficTally all = new TrafficTally();
        for (TrafficTally t : tallies) {
            all.merge(t);
        }
        return all;
    }
}
