package dev.clearance.cli.serve;

import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Principal;
import dev.clearance.gateway.DemoUpstream;
import dev.clearance.gateway.Gateway;
import dev.clearance.gateway.GatewaySettings;
import dev.clearance.log.LogOptions;
import dev.clearance.store.Store;
import dev.clearance.store.StoredPrincipal;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code clearance serve --demo}: an embedded store filled with the example directives and principals,
 * a key for each example person, a DEMO upstream standing in for a model server, and the gateway in
 * front of it, all on loopback. Everything it prints is real: the keys work, the decisions are made.
 */
final class Demo implements AutoCloseable {
    /** The models the demo upstream serves: two restricted frontier models and an open one. */
    static final List<String> MODELS = List.of("frontier-x", "frontier-y", "open-small");

    final Store store;
    final DemoUpstream upstream;
    final Gateway gateway;
    final String adminToken;
    final List<Caller> callers;
    final Path dataDir;
    final Recording recording;

    /** A key issued to an example principal, with why the demo picked them. */
    record Caller(String principal, String description, String key) {}

    private Demo(
            Store store,
            DemoUpstream upstream,
            Gateway gateway,
            String adminToken,
            List<Caller> callers,
            Path dataDir,
            Recording recording) {
        this.recording = recording;
        this.store = store;
        this.upstream = upstream;
        this.gateway = gateway;
        this.adminToken = adminToken;
        this.callers = callers;
        this.dataDir = dataDir;
    }

    static Demo start(Path examples, Path dataDir, String host, int port, int adminPort, Duration eventInterval)
            throws PolicyException, IOException {
        Files.createDirectories(dataDir);
        Store store = Store.open("jdbc:sqlite:" + dataDir.resolve("clearance.db"));
        DemoUpstream upstream = null;
        Recording recording = null;
        try {
            StartupImport.apply(
                    store,
                    Optional.of(examples.resolve("directives")),
                    Optional.of(examples.resolve("principals.jsonl")),
                    "demo",
                    false);
            List<Caller> callers = new ArrayList<>();
            List<StoredPrincipal> all = new ArrayList<>();
            store.principals().forEach(all::add);
            for (StoredPrincipal sp : all) {
                Principal p = sp.principal();
                if (p.kind() == Principal.Kind.PERSON) {
                    callers.add(new Caller(
                            p.id(),
                            describe(p),
                            store.keys().create(p.id(), "demo").key()));
                }
            }
            upstream = DemoUpstream.start("127.0.0.1", 0, MODELS, eventInterval);
            String token = Optional.ofNullable(System.getenv("CLEARANCE_ADMIN_TOKEN"))
                    .filter(t -> !t.isBlank())
                    .orElseGet(Demo::randomToken);
            GatewaySettings settings = new GatewaySettings(
                    new GatewaySettings.Listener(host, port),
                    new GatewaySettings.Listener(host, adminPort),
                    token,
                    List.of(new GatewaySettings.Upstream("demo-upstream", upstream.baseUrl(), List.of("*"), "")),
                    GatewaySettings.GeoIp.NONE);
            recording = Recording.open(
                    store,
                    dataDir.resolve("log"),
                    LogOptions.defaults().withOrigin("clearance.demo/decision-log"),
                    "demo",
                    false,
                    ClearanceConfig.ScreeningSettings.DEFAULT_THRESHOLD);
            AtomicReference<Gateway> started = new AtomicReference<>();
            Gateway gateway = Gateway.start(
                    settings,
                    store,
                    recording.recorder,
                    Gateway.Options.DEFAULT
                            .withTiles(recording.tiles())
                            .withScreening(recording.attachScreening())
                            .withAdminMounts(List.of(
                                    recording.console(store, token, () -> ConfiguredServer.openStreams(started)))));
            started.set(gateway);
            return new Demo(store, upstream, gateway, token, callers, dataDir, recording);
        } catch (PolicyException | IOException | RuntimeException e) {
            if (upstream != null) {
                upstream.close();
            }
            if (recording != null) {
                recording.close();
            }
            store.close();
            throw e;
        }
    }

    private static String describe(Principal p) {
        String citizenships = p.citizenships().isEmpty()
                ? "no citizenship on file"
                : "citizen of " + String.join(", ", p.citizenships());
        List<String> facts = new ArrayList<>(List.of(citizenships));
        if (!p.lawfulPermanentResidentOf().isEmpty()) {
            facts.add("permanent resident of " + p.lawfulPermanentResidentOf());
        }
        if (p.protectedIndividual()) {
            facts.add("protected individual");
        }
        if (!p.licenses().isEmpty()) {
            facts.add("holds " + p.licenses().get(0).type());
        }
        facts.add(p.usPerson() ? "U.S. person" : "foreign person");
        return String.join(", ", facts);
    }

    private static String randomToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    void printWelcome(PrintWriter out) {
        String base = "http://127.0.0.1:" + gateway.port();
        out.println();
        out.println(
                "Clearance DEMO is running (everything on loopback; the upstream is a DEMO that returns canned text, no model runs).");
        out.println();
        out.println("  gateway:        " + base + "   (OpenAI- and Anthropic-compatible)");
        out.println("  admin API:      http://127.0.0.1:" + gateway.adminPort() + "   (Authorization: Bearer "
                + adminToken + ")");
        out.println("  console:        http://127.0.0.1:" + gateway.adminPort()
                + "/console/   (sign in with the admin token)");
        out.println("  DEMO upstream:  " + upstream.baseUrl() + "   models: " + String.join(", ", MODELS));
        out.println("  data directory: " + dataDir + "   (embedded SQLite store)");
        out.println("  policy:         " + gateway.policy().version() + " ("
                + gateway.policy().directives().size() + " example directives)");
        out.println("  decision log:   " + recording.logDirectory()
                + "   (every decision; try: clearance log entries --data-dir " + dataDir + ")");
        out.println();
        out.println("API keys (shown once; stored only as hashes):");
        for (Caller c : callers) {
            out.printf("  %-7s %-60s %s%n", c.principal(), c.key(), c.description());
        }
        String alice = key("alice");
        String chen = key("chen");
        out.println();
        out.println(
                "Try it: alice (U.S. citizen) may use frontier-x; chen (foreign national) is refused by directive 2026-017:");
        out.println();
        out.println("  curl -s " + base + "/v1/chat/completions -H 'Authorization: Bearer " + alice + "' \\");
        out.println(
                "    -H 'content-type: application/json' -d '{\"model\":\"frontier-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}'");
        out.println();
        out.println("  curl -s " + base + "/v1/messages -H 'x-api-key: " + chen
                + "' -H 'anthropic-version: 2023-06-01' \\");
        out.println(
                "    -H 'content-type: application/json' -d '{\"model\":\"frontier-x\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}'");
        out.println();
        out.println("  curl -sN " + base + "/v1/chat/completions -H 'Authorization: Bearer " + alice + "' \\");
        out.println(
                "    -H 'content-type: application/json' -d '{\"model\":\"open-small\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}'");
        out.println();
        out.println("  curl -s " + base + "/v1/models -H 'Authorization: Bearer " + chen
                + "'    # chen sees only open-small");
        out.println();
        out.println("With the official OpenAI Python SDK, only the base URL and key change:");
        out.println("  from openai import OpenAI");
        out.println("  client = OpenAI(base_url=\"" + base + "/v1\", api_key=\"" + alice + "\")");
        out.println(
                "  print(client.chat.completions.create(model=\"frontier-x\", messages=[{\"role\": \"user\", \"content\": \"hi\"}]))");
        out.println();
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    String key(String principal) {
        return callers.stream()
                .filter(c -> c.principal().equals(principal))
                .map(Caller::key)
                .findFirst()
                .orElse("<no key>");
    }

    @Override
    public void close() {
        gateway.close();
        upstream.close();
        recording.close();
        store.close();
    }
}
