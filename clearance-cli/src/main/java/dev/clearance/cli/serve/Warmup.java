package dev.clearance.cli.serve;

import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.core.ModelName;
import dev.clearance.core.Policy;
import dev.clearance.core.Principal;
import dev.clearance.gateway.ContentInspection;
import dev.clearance.gateway.Gateway;
import dev.clearance.gateway.GatewaySettings;
import dev.clearance.lifecycle.LifecycleRules;
import dev.clearance.lifecycle.LifecycleService;
import dev.clearance.log.LogOptions;
import dev.clearance.log.TransparencyLog;
import dev.clearance.store.DirectiveText;
import dev.clearance.store.PolicyVersion;
import dev.clearance.store.PolicyVersions;
import dev.clearance.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms the JVM's compiled code before a node listens. A JVM starts by interpreting its bytecode and
 * compiles the hot paths while it runs; on a machine of two cores the compiler then takes a core for ten
 * seconds and more, and a node put into a balancer at once answered its first ten seconds of calls at
 * about half the rate it reached after them (docs/benchmarks.md, "The first seconds after a start"). So
 * before the real listeners open, {@code clearance serve} runs calls through a <em>scratch copy</em> of
 * the node:
 *
 * <ul>
 *   <li>a gateway on loopback ports of its own, built from the same classes with the same settings
 *       (geo-IP, record timeout, node name, content inspection), except that its one upstream is a canned
 *       one on loopback (answering a fixed chat completion that says it is a warm-up answer) and its admin
 *       token a random one;
 *   <li>its own SQLite store in a temporary directory, holding a copy of the policy in force and
 *       made-up U.S. persons with an API key each ({@value #PRINCIPALS} that call throughout, and
 *       {@value #NEWCOMERS} that call once each, as a node's new callers do);
 *   <li>its own decision log in that directory, durable as the real one (the same group commit).
 * </ul>
 *
 * {@value #CONNECTIONS} connections call a model a directive names (so calls are decided as the node's
 * are), reconnecting every {@value #CALLS_PER_CONNECTION} calls, one call in {@value #UNKNOWN_KEY_EVERY}
 * with an unknown key; the admin listener's {@code /health} is read beside them. Nothing of it reaches
 * the real store, the real decision log, a real upstream or a real caller, and the directory is deleted
 * afterwards. It stops once the compiler has settled (its threads under {@value #SETTLED_PERCENT} % of a
 * core over the last two seconds, after at least {@value #MIN_CALLS} calls) or at the configured limit
 * ({@code server.warmup}), whichever comes first. A warm-up that fails (the scratch copy cannot start,
 * its calls fail) is logged and cut short: it never stops a node from starting.
 */
final class Warmup {
    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);

    static final int MIN_CALLS = 20_000;

    /**
     * Settled: the compiler threads spent under this share of one core over the last {@link #SETTLE_TICKS}
     * ticks. They never fall silent (rarely taken paths keep being compiled); at this the call's path is.
     */
    static final int SETTLED_PERCENT = 20;

    private static final Duration TICK = Duration.ofMillis(250);
    private static final int SETTLE_TICKS = 8;
    private static final int MAX_FAILURES = 1_000;
    private static final int CONNECTIONS = 32;
    private static final int PRINCIPALS = 16;
    static final String PRINCIPAL = "clearance-warmup-";
    /** A connection is closed and opened again after this many calls, as balancers and clients do. */
    private static final int CALLS_PER_CONNECTION = 500;
    /**
     * Made-up principals besides the {@value #PRINCIPALS} that call throughout: each makes one call, the
     * first the gateway sees of it, one every {@link #NEWCOMER_EVERY}. All are stored before the scratch
     * gateway starts (a principal stored while it runs would make it forget every cached caller).
     */
    private static final int NEWCOMERS = 200;

    private static final Duration NEWCOMER_EVERY = Duration.ofMillis(50);
    /** One call in this many presents a key no principal holds (answered 401). */
    private static final int UNKNOWN_KEY_EVERY = 64;

    private Warmup() {}

    /**
     * What a warm-up did.
     *
     * @param calls    calls answered by the scratch gateway
     * @param allowed  of those, answered 200 (forwarded to the canned upstream)
     * @param took     how long it ran
     * @param why      why it stopped: the compiler settled, the limit, or what failed
     */
    record Result(long calls, long allowed, Duration took, String why) {
        String describe() {
            return String.format(
                    Locale.ROOT,
                    "warm-up: %,d calls (%,d forwarded) through a scratch copy of this node in %.1f s; %s",
                    calls,
                    allowed,
                    took.toMillis() / 1000.0,
                    why);
        }
    }

    /**
     * Runs a warm-up of at most {@code limit} against a scratch copy of the node described by
     * {@code settings}, with a copy of {@code store}'s policy in force ({@code inForce}, as compiled from it).
     */
    static Result run(
            Store store,
            Policy inForce,
            GatewaySettings settings,
            LogOptions logOptions,
            ContentInspection inspection,
            Duration limit) {
        long t0 = System.nanoTime();
        Path dir = null;
        Thread cleanup = null;
        try {
            dir = Files.createTempDirectory("clearance-warmup-");
            Path made = dir;
            // A node stopped while it warms up leaves no scratch directory behind either.
            cleanup = new Thread(() -> delete(made), "warmup-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            return run(dir, store, inForce, settings, logOptions, inspection, limit, t0);
        } catch (IOException | RuntimeException e) {
            LOG.warn("warm-up skipped: {}", e.toString());
            return new Result(0, 0, Duration.ofNanos(System.nanoTime() - t0), "skipped: " + e.getMessage());
        } finally {
            if (dir != null) {
                delete(dir);
            }
            if (cleanup != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException e) {
                    // already shutting down: the hook deletes it (again)
                }
            }
        }
    }

    private static Result run(
            Path dir,
            Store real,
            Policy inForce,
            GatewaySettings settings,
            LogOptions logOptions,
            ContentInspection inspection,
            Duration limit,
            long t0)
            throws IOException {
        try (Store scratch = Store.open("jdbc:sqlite:" + dir.resolve("warmup.db"));
                CannedUpstream upstream = CannedUpstream.start();
                TransparencyLog log = TransparencyLog.open(
                        dir.resolve("log"), LogOptions.defaults().withGroupCommitWait(logOptions.groupCommitWait()))) {
            copyPolicy(real, scratch);
            List<String> globs = inForce.directives().stream()
                    .flatMap(d -> d.models().stream())
                    .toList();
            Optional<GatewaySettings.Upstream> served = served(settings.upstreams(), globs);
            String model = served.map(u -> u.modelIds().get(0)).orElse("warm-up-model");
            List<String> keys = principals(scratch);
            String node = settings.node().name();
            String adminToken = Long.toHexString(new java.security.SecureRandom().nextLong())
                    + Long.toHexString(new java.security.SecureRandom().nextLong());
            LoggedDecisions recorder = new LoggedDecisions(
                    log,
                    node,
                    new LifecycleService(scratch, new LifecycleRules(false), Clock.systemUTC(), node).shadowCounter());
            GatewaySettings copy = new GatewaySettings(
                    new GatewaySettings.Listener("127.0.0.1", 0),
                    new GatewaySettings.Listener("127.0.0.1", 0),
                    adminToken,
                    List.of(new GatewaySettings.Upstream(
                            served.map(GatewaySettings.Upstream::name).orElse("warm-up"),
                            upstream.baseUrl(),
                            List.of("*"),
                            // A key is sent where the node sends one, but never the real one.
                            served.filter(u -> !u.apiKey().isEmpty())
                                    .map(u -> "warm-up-not-a-key")
                                    .orElse(""),
                            List.of(model),
                            false,
                            null,
                            served.map(GatewaySettings.Upstream::queryAllow).orElse(List.of()))),
                    settings.geoIp(),
                    settings.recordTimeout(),
                    false,
                    settings.node());
            try (Gateway gateway =
                    Gateway.start(copy, scratch, recorder, Gateway.Options.DEFAULT.withInspection(inspection))) {
                return drive(gateway.port(), gateway.adminPort(), adminToken, keys, model, limit, t0);
            }
        }
    }

    /**
     * Made-up U.S. persons in the scratch store, one API key each: citizens, lawful permanent residents and
     * organisations incorporated in the U.S. Nothing outside the scratch store ever holds them. (Not foreign
     * nationals: their calls may have their content classified, which would take the compiler's time for a
     * path most calls never take.)
     *
     * @return their keys
     */
    private static List<String> principals(Store scratch) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < PRINCIPALS + NEWCOMERS; i++) {
            keys.add(newcomer(scratch, i));
        }
        return keys;
    }

    /** Puts made-up principal {@code i} into the scratch store; returns its new key. */
    private static String newcomer(Store scratch, int i) {
        Principal.Builder p = Principal.builder(PRINCIPAL + i)
                .name("warm-up caller " + i + " (made up; scratch store only)")
                .identityAssurance(2 + i % 2);
        if (i % 8 == 6) {
            p.citizenships("IN").lawfulPermanentResidentOf("US").residenceCountry("US");
        } else if (i % 8 == 7) {
            p.kind(Principal.Kind.ORGANIZATION).incorporatedIn("US");
        } else {
            p.citizenships("US").residenceCountry("US");
        }
        scratch.principals().put(p.build(), "warm-up");
        return scratch.keys().create(PRINCIPAL + i, "warm-up").key();
    }

    /** Copies the policy in force into the scratch store (as stored: the scratch gateway compiles it). */
    private static void copyPolicy(Store real, Store scratch) {
        Optional<PolicyVersion> active = real.policies().active();
        if (active.isEmpty() || active.get().directives().isEmpty()) {
            return;
        }
        PolicyVersion v = active.get();
        scratch.policies()
                .activate(
                        PolicyVersions.NONE,
                        v.directives().stream()
                                .map(d -> new DirectiveText(d.directiveId(), d.sourceFile(), d.text()))
                                .toList(),
                        v.contentHash(),
                        "warm-up",
                        "a copy of the policy in force, to warm up on");
    }

    /**
     * The upstream the warm-up calls go to (in the scratch copy: to the canned upstream), with the one
     * model they name as its only id: a model a directive names and an upstream serves where there is
     * one, so that the calls are decided and routed as the node's real calls are.
     */
    static Optional<GatewaySettings.Upstream> served(List<GatewaySettings.Upstream> upstreams, List<String> globs) {
        List<String> named = new ArrayList<>();
        for (String glob : globs) {
            named.add(glob.replace("*", "warmup"));
        }
        GatewaySettings.Upstream fallback = null;
        String fallbackModel = null;
        for (GatewaySettings.Upstream u : upstreams) {
            List<String> candidates = new ArrayList<>(u.modelIds());
            named.stream().filter(u::serves).forEach(candidates::add);
            u.models().stream().map(g -> g.replace("*", "warmup")).forEach(candidates::add);
            for (String model : candidates) {
                if (ModelName.problem(model) != null || ModelName.key(model).isEmpty() || !u.serves(model)) {
                    continue;
                }
                if (globs.stream().anyMatch(g -> ModelName.matches(g, model))) {
                    return Optional.of(only(u, model));
                }
                if (fallback == null) {
                    fallback = u;
                    fallbackModel = model;
                }
            }
        }
        return fallback == null ? Optional.empty() : Optional.of(only(fallback, fallbackModel));
    }

    private static GatewaySettings.Upstream only(GatewaySettings.Upstream u, String model) {
        return new GatewaySettings.Upstream(
                u.name(), u.baseUrl(), u.models(), u.apiKey(), List.of(model), false, null, u.queryAllow());
    }

    /**
     * Calls the scratch gateway on {@value #CONNECTIONS} connections, each with its principal's key, until the
     * compiler settles or the limit; the admin listener's health is read beside them, as balancers do.
     */
    private static Result drive(
            int port, int adminPort, String adminToken, List<String> keys, String model, Duration limit, long t0) {
        byte[] body = ("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"warm-up\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        List<byte[]> requests = new ArrayList<>();
        for (String key : keys.subList(0, PRINCIPALS)) {
            requests.add(request("POST", "/v1/chat/completions", port, key, body));
        }
        byte[] unknown = request("POST", "/v1/chat/completions", port, "sk-clr-warmup-unknown-key", body);
        byte[] health = request("GET", "/health", adminPort, adminToken, new byte[0]);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong calls = new AtomicLong();
        AtomicLong allowed = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        // Calls by principals the gateway has not seen yet, one now and then, as a node's first calls are.
        Queue<byte[]> fresh = new ConcurrentLinkedQueue<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            byte[] own = requests.get(i % PRINCIPALS);
            callers.add(Thread.ofPlatform()
                    .name("warmup-caller-" + i)
                    .daemon(true)
                    .start(() -> call(port, own, unknown, fresh, stop, calls, allowed, failures)));
        }
        callers.add(Thread.ofPlatform().name("warmup-newcomers").daemon(true).start(() -> {
            for (int i = PRINCIPALS; i < keys.size() && !stop.get(); i++) {
                fresh.add(request("POST", "/v1/chat/completions", port, keys.get(i), body));
                try {
                    Thread.sleep(NEWCOMER_EVERY);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }));
        callers.add(
                Thread.ofPlatform().name("warmup-health").daemon(true).start(() -> health(adminPort, health, stop)));
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
        long deadline = t0 + limit.toNanos();
        long[] compiled = new long[SETTLE_TICKS + 1]; // the compilers' time (ms) at the last ticks
        String why;
        try {
            for (int tick = 0; ; tick++) {
                Thread.sleep(TICK);
                long now = System.nanoTime();
                long spent = -1; // ms the compiler threads spent over the window, once there is one
                if (timed) {
                    compiled[tick % compiled.length] = jit.getTotalCompilationTime();
                    if (tick >= compiled.length) {
                        spent = compiled[tick % compiled.length] - compiled[(tick + 1) % compiled.length];
                    }
                }
                long window = TICK.toMillis() * SETTLE_TICKS;
                if (LOG.isDebugEnabled()) {
                    LOG.debug(
                            "warm-up {} ms: {} calls, compiling {} ms/s",
                            (now - t0) / 1_000_000,
                            calls.get(),
                            spent < 0 ? -1 : spent * 1000 / window);
                }
                if (failures.get() > MAX_FAILURES) {
                    why = "stopped: " + failures.get() + " calls failed";
                    break;
                }
                if (now >= deadline) {
                    why = "stopped at the limit (server.warmup: " + ClearanceConfig.written(limit) + ")";
                    break;
                }
                if (spent >= 0 && calls.get() >= MIN_CALLS && spent * 100 < SETTLED_PERCENT * window) {
                    why = "the compiler has settled";
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = "interrupted";
        }
        stop.set(true);
        // Two seconds for all of them together: one stuck on a read is a daemon, and closing the scratch
        // gateway next ends its connection.
        long joined = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        for (Thread t : callers) {
            try {
                t.join(Math.max(1, (joined - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Result r = new Result(calls.get(), allowed.get(), Duration.ofNanos(System.nanoTime() - t0), why);
        if (r.calls() > 0 && r.allowed() == 0) {
            LOG.info(
                    "warm-up: the policy in force denies its made-up U.S. person on {}: only the denial path was warmed",
                    model);
        }
        return r;
    }

    private static byte[] request(String method, String path, int port, String token, byte[] body) {
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer "
                + token
                + (body.length > 0 ? "\r\nContent-Type: application/json\r\nContent-Length: " + body.length : "")
                + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] r = java.util.Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, r, h.length, body.length);
        return r;
    }

    /** The admin listener's health, read every few milliseconds on one connection at a time. */
    private static void health(int adminPort, byte[] request, AtomicBoolean stop) {
        while (!stop.get()) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), adminPort)) {
                s.setSoTimeout(10_000);
                Messages answers = new Messages(s.getInputStream());
                for (int i = 0; i < CALLS_PER_CONNECTION && !stop.get(); i++) {
                    s.getOutputStream().write(request);
                    if (answers.next() < 0) {
                        break;
                    }
                    Thread.sleep(5);
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("warm-up health call failed: {}", e.toString());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One connection's calls, each answered whole (HTTP/1.1, keep-alive) before the next is sent. */
    private static void call(
            int port,
            byte[] request,
            byte[] unknown,
            Queue<byte[]> fresh,
            AtomicBoolean stop,
            AtomicLong calls,
            AtomicLong allowed,
            AtomicLong failures) {
        long n = 0;
        while (!stop.get()) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                Messages answers = new Messages(in);
                for (int i = 0; i < CALLS_PER_CONNECTION && !stop.get(); i++) {
                    byte[] first = fresh.poll();
                    out.write(first != null ? first : ++n % UNKNOWN_KEY_EVERY == 0 ? unknown : request);
                    out.flush();
                    int status = answers.next();
                    if (status < 100) {
                        throw new IOException("no answer");
                    }
                    calls.incrementAndGet();
                    if (status == 200) {
                        allowed.incrementAndGet();
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!stop.get()) {
                    failures.incrementAndGet();
                    LOG.debug("warm-up call failed: {}", e.toString());
                }
            }
        }
    }

    /**
     * Reads HTTP/1.1 messages off one connection, bodies by their Content-Length (what the gateway sends
     * and answers) and discarded. Kept to a few byte loops: it runs beside the node being warmed, and
     * whatever it costs the compiler is taken from the node.
     */
    private static final class Messages {
        private static final byte[] LENGTH = "content-length:".getBytes(StandardCharsets.ISO_8859_1);
        private final byte[] buf = new byte[64 * 1024];
        private final InputStream in;
        private int start;
        private int end;

        Messages(InputStream in) {
            this.in = in;
        }

        /**
         * Reads the next message whole.
         *
         * @return its status code for a response, 0 for a request, -1 when the connection ended between messages
         */
        int next() throws IOException {
            int headEnd;
            while ((headEnd = find()) < 0) {
                if (!fill()) {
                    if (start == end) {
                        return -1;
                    }
                    throw new IOException("connection closed mid-message");
                }
            }
            int status = 0;
            if (buf[start] == 'H' && headEnd - start > 12) { // "HTTP/1.1 200 ..."
                for (int i = start + 9; i < start + 12; i++) {
                    status = status * 10 + (buf[i] - '0');
                }
            }
            long length = length(start, headEnd);
            start = headEnd + 4;
            while (length > 0) {
                if (start == end && !fill()) {
                    throw new IOException("connection closed mid-body");
                }
                int n = (int) Math.min(length, end - start);
                start += n;
                length -= n;
            }
            return status;
        }

        /** The Content-Length header's value in the head {@code [from, to)}; 0 without one. */
        private long length(int from, int to) {
            next:
            for (int i = from; i + LENGTH.length < to; i++) {
                if (buf[i] != '\n') {
                    continue;
                }
                for (int k = 0; k < LENGTH.length; k++) {
                    if ((buf[i + 1 + k] | 0x20) != LENGTH[k]) {
                        continue next;
                    }
                }
                long value = 0;
                for (int j = i + 1 + LENGTH.length; j < to && buf[j] != '\r'; j++) {
                    if (buf[j] >= '0' && buf[j] <= '9') {
                        value = value * 10 + (buf[j] - '0');
                    }
                }
                return value;
            }
            return 0;
        }

        private int find() {
            for (int i = start; i + 3 < end; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private boolean fill() throws IOException {
            if (start == end) {
                start = end = 0;
            } else if (end == buf.length) {
                if (start == 0) {
                    throw new IOException("message head over " + buf.length + " bytes");
                }
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                return false;
            }
            end += n;
            return true;
        }
    }

    /**
     * The warm-up's upstream: answers every request with one canned chat completion, on loopback, for
     * the scratch gateway only. It runs no model; its answer says so.
     */
    static final class CannedUpstream implements AutoCloseable {
        static final String ANSWER = "{\"id\":\"chatcmpl-warmup\",\"object\":\"chat.completion\",\"created\":0,"
                + "\"model\":\"warm-up\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"[WARM-UP UPSTREAM - canned reply, no model ran]\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}";

        private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                        + ANSWER.length() + "\r\n\r\n" + ANSWER)
                .getBytes(StandardCharsets.ISO_8859_1);

        private final ServerSocket server;
        private final List<Socket> open = new ArrayList<>();

        private CannedUpstream(ServerSocket server) {
            this.server = server;
        }

        static CannedUpstream start() throws IOException {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            CannedUpstream upstream = new CannedUpstream(server);
            Thread.ofPlatform().name("warmup-upstream").daemon(true).start(upstream::accept);
            return upstream;
        }

        URI baseUrl() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    synchronized (open) {
                        open.add(s);
                    }
                    Thread.ofPlatform()
                            .name("warmup-upstream-conn")
                            .daemon(true)
                            .start(() -> serve(s));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        /** Reads each request whole (head and Content-Length body) and answers it; keep-alive. */
        private static void serve(Socket s) {
            try (s) {
                s.setTcpNoDelay(true);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                Messages requests = new Messages(in);
                while (requests.next() >= 0) {
                    out.write(RESPONSE);
                    out.flush();
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("warm-up upstream connection: {}", e.toString());
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                synchronized (open) {
                    for (Socket s : open) {
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // closing anyway
                        }
                    }
                }
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debug("warm-up: could not delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("warm-up: could not delete its scratch directory {}: {}", dir, e.toString());
        }
    }
}
