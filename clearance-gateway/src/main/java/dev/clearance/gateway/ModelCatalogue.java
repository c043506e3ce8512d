package dev.clearance.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.core.ModelName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models the upstreams serve: each upstream's {@code /v1/models} (read at start and again every
 * {@code models_refresh}) and the ids its configuration declares ({@code model_ids}, and every name
 * without {@code *} in {@code models}), kept to its {@code models} globs.
 * A request's model must {@link #resolve resolve} to exactly one of these ids, compared by
 * {@link ModelName#key}; the decision and the forwarded body then use that id, spelled as the
 * upstream spells it. So {@code MYTHOS-5}, {@code library/mythos-5} or {@code ｍythos-5} is decided
 * as {@code mythos-5} — or refused — and never reaches an upstream that would read it as
 * {@code mythos-5} while the directives saw another name.
 *
 * <p>Fail closed: while an upstream cannot be read, the ids last read from it stay (a flaky list
 * never withdraws a model in use) and nothing else is added, so an unknown name is refused (404).
 * The catalogue is an immutable snapshot swapped whole after each read; it is bounded by
 * {@value UpstreamModels#MAX_MODELS} ids per upstream and holds nothing a caller sent.
 */
final class ModelCatalogue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalogue.class);

    /**
     * One model id and the upstream serving it.
     *
     * @param listed the object the upstream listed for it, or null for an id only the configuration declares
     */
    record Entry(String id, GatewaySettings.Upstream upstream, ObjectNode listed) {}

    /** Every id in upstream order (an id listed by several upstreams once, under the first), and the index by key. */
    private record Snapshot(List<Entry> entries, Map<String, List<Entry>> byKey) {}

    private final List<GatewaySettings.Upstream> upstreams;
    private final UpstreamModels reader;
    private final Map<String, List<ObjectNode>> lastRead = new ConcurrentHashMap<>();
    private final Map<String, Boolean> failing = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher;
    private volatile Snapshot snapshot;

    private ModelCatalogue(List<GatewaySettings.Upstream> upstreams, UpstreamModels reader) {
        this.upstreams = List.copyOf(upstreams);
        this.reader = reader;
        this.snapshot = build();
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                .name("clearance-model-catalogue")
                .daemon(true)
                .unstarted(r));
    }

    /**
     * Reads every listing upstream once (in parallel, each bounded by its request timeout), then keeps
     * reading each at its own interval until closed.
     */
    static ModelCatalogue start(List<GatewaySettings.Upstream> upstreams, UpstreamClients clients) {
        ModelCatalogue c = new ModelCatalogue(upstreams, new UpstreamModels(clients));
        List<Thread> first = new ArrayList<>();
        for (GatewaySettings.Upstream u : c.upstreams) {
            if (u.listModels()) {
                first.add(Thread.ofVirtual()
                        .name("clearance-model-list-" + u.name())
                        .start(() -> c.read(u)));
            }
        }
        for (Thread t : first) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (GatewaySettings.Upstream u : c.upstreams) {
            if (u.listModels()) {
                long every = u.modelsRefresh().toMillis();
                c.refresher.scheduleWithFixedDelay(() -> c.read(u), every, every, TimeUnit.MILLISECONDS);
            }
        }
        return c;
    }

    /** Reads one upstream's list and, when it changed, swaps in a new snapshot. Never throws. */
    void read(GatewaySettings.Upstream upstream) {
        try {
            List<ObjectNode> models = reader.read(upstream);
            if (failing.remove(upstream.name()) != null) {
                LOG.info("upstream {}'s model list is readable again: {} models", upstream.name(), models.size());
            }
            List<ObjectNode> before = lastRead.put(upstream.name(), List.copyOf(models));
            if (!models.equals(before)) {
                rebuild();
            }
        } catch (UpstreamModels.Unreadable e) {
            if (failing.put(upstream.name(), Boolean.TRUE) == null) {
                List<ObjectNode> kept = lastRead.getOrDefault(upstream.name(), List.of());
                LOG.warn(
                        "upstream {}'s model list cannot be read ({}); keeping the {} models last read from it, no others",
                        upstream.name(),
                        e.getMessage(),
                        kept.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("reading upstream {}'s model list failed", upstream.name(), e);
        }
    }

    private synchronized void rebuild() {
        snapshot = build();
    }

    private Snapshot build() {
        Map<String, Entry> byId = new LinkedHashMap<>();
        for (GatewaySettings.Upstream u : upstreams) {
            for (ObjectNode m : lastRead.getOrDefault(u.name(), List.of())) {
                add(byId, u, m.path("id").asText(), m);
            }
            for (String id : u.modelIds()) {
                add(byId, u, id, null);
            }
            for (String name : u.models()) {
                // A name without '*' in `models` says the upstream serves that model: it is declared
                // unless an upstream already lists or declares it in some spelling (that one is kept).
                if (name.indexOf('*') < 0 && !known(byId, ModelName.key(name))) {
                    add(byId, u, name, null);
                }
            }
        }
        Map<String, List<Entry>> byKey = new HashMap<>();
        for (Entry e : byId.values()) {
            byKey.computeIfAbsent(ModelName.key(e.id()), k -> new ArrayList<>()).add(e);
        }
        return new Snapshot(List.copyOf(byId.values()), Map.copyOf(byKey));
    }

    private static boolean known(Map<String, Entry> byId, String key) {
        for (Entry e : byId.values()) {
            if (ModelName.key(e.id()).equals(key)) {
                return true;
            }
        }
        return false;
    }

    private static void add(Map<String, Entry> byId, GatewaySettings.Upstream u, String id, ObjectNode listed) {
        if (ModelName.problem(id) != null || ModelName.key(id).isEmpty()) {
            LOG.debug("upstream {} lists a model id no caller could name; left out", u.name());
            return;
        }
        if (u.serves(id)) {
            byId.putIfAbsent(id, new Entry(id, u, listed));
        }
    }

    /** Every id, in upstream order: what {@code /v1/models} may show. */
    List<Entry> entries() {
        return snapshot.entries();
    }

    /**
     * The one catalogue id a request's model names.
     *
     * @throws Rejection 404 {@code model_not_found} when it names none, 400 {@code ambiguous_model} when
     *     it names several (the caller must spell one of them so that it names only that one)
     */
    Entry resolve(String model) {
        List<Entry> matches = snapshot.byKey().get(ModelName.key(model));
        if (matches == null) {
            throw new Rejection(
                    GatewayError.Kind.NOT_FOUND,
                    "model_not_found",
                    "no upstream serves a model named '" + model + "' (GET /v1/models lists the models you may use)");
        }
        if (matches.size() > 1) {
            throw new Rejection(
                    GatewayError.Kind.INVALID_REQUEST,
                    "ambiguous_model",
                    "model '" + model + "' could name any of "
                            + matches.stream()
                                    .limit(5)
                                    .map(e -> "'" + e.id() + "'")
                                    .toList()
                            + "; these ids differ only in case or spelling, so none is chosen");
        }
        return matches.get(0);
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
