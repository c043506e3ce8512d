package dev.clearance.console;

import dev.clearance.lifecycle.LifecycleService;
import dev.clearance.screening.ScreeningRegistry;
import dev.clearance.store.Store;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * The compliance console: server-rendered pages for the people who answer for a directive, mounted on
 * the admin listener at {@value #PATH} (never on the model API's). It does nothing the CLI and the
 * admin API cannot do: every page reads and every step writes through the same services —
 * {@link LifecycleService}, the simulation, {@link ScreeningRegistry}, the decision log's view, search
 * and proofs, the store.
 *
 * <p>It checks its callers itself (so its sign-in page renders without the token): the admin token as
 * {@code Authorization: Bearer}, or a session opened by signing in with it.
 */
public final class Console implements HttpService, AutoCloseable {
    /** Where the console is mounted on the admin listener. */
    public static final String PATH = "/console";

    /** A name people recognise in the record: letters, digits, and {@code . _ - @} and spaces inside. */
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._@-]{0,62}[\\p{L}\\p{N}]?");

    /** Who a person who gives no name at sign-in is recorded as: {@code console:admin}. */
    static final String DEFAULT_NAME = "admin";

    private final Access access;
    private final Sessions sessions;
    private final SignInThrottle throttle;
    private final Pages pages = new Pages();
    private final OverviewPage overview;
    private final DirectivePages directives;
    private final ImpactPages impact;
    private final ScreeningPages screening;
    private final LogPages log;

    /**
     * What the console reads and writes through.
     *
     * @param store        the store (principals, directive versions, policy versions)
     * @param lifecycle    the serving process's lifecycle service, whose steps reach the decision log
     * @param screening    the screening registry
     * @param logDirectory the decision log's directory, read as of its latest signed checkpoint
     * @param adminToken   the admin listener's token: signing in takes it
     * @param openStreams  streams open on this node now
     */
    public record Sources(
            Store store,
            LifecycleService lifecycle,
            ScreeningRegistry screening,
            Path logDirectory,
            String adminToken,
            IntSupplier openStreams) {
        public Sources {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(lifecycle, "lifecycle");
            Objects.requireNonNull(screening, "screening");
            Objects.requireNonNull(logDirectory, "logDirectory");
            Objects.requireNonNull(openStreams, "openStreams");
        }
    }

    private Console(Sources s, Clock clock) {
        this.sessions = new Sessions(clock);
        this.access = new Access(s.adminToken(), sessions);
        this.throttle = new SignInThrottle(clock);
        LogReader reader = new LogReader(s.logDirectory());
        this.overview = new OverviewPage(pages, s, reader, clock);
        this.directives = new DirectivePages(pages, s.lifecycle(), s.store());
        this.impact = new ImpactPages(pages, s, clock);
        this.screening = new ScreeningPages(pages, s.screening(), s.store());
        this.log = new LogPages(pages, reader, clock);
    }

    /** A console over {@code sources}; {@link #close} stops its background simulations. */
    public static Console create(Sources sources, Clock clock) {
        return new Console(sources, clock);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(this::gate)
                .get("/assets/{file}", Assets::serve)
                .get("/sign-in", (req, res) -> signInPage(res, "", ""))
                .post("/sign-in", this::signIn)
                .post("/sign-out", pages.guarded(this::signOut))
                .get("/", pages.guarded(overview::show))
                .register("/directives", directives)
                .register("/impact", impact)
                .register("/screening", screening)
                .register("/log", log);
    }

    /** The visitor the gate found for this request (every handler after the gate but sign-in has one). */
    static Visitor visitor(ServerRequest req) {
        return req.context()
                .get(Visitor.class)
                .orElseThrow(() -> new Access.Refused(401, "Sign in to use the console."));
    }

    /**
     * Before every route: assets and the sign-in page are open; everything else needs a visitor. A
     * visitor without one sees the sign-in page at the console's home and is sent there from anywhere else.
     */
    private void gate(ServerRequest req, ServerResponse res) {
        String path = req.path().absolute().path();
        String rel = path.length() > PATH.length() ? path.substring(PATH.length()) : "/";
        if (rel.startsWith("/assets/") || rel.equals("/sign-in")) {
            res.next();
            return;
        }
        Optional<Visitor> v;
        try {
            v = access.visitor(req);
        } catch (Access.Refused e) {
            message(res, e.status, "Not signed in", e.getMessage());
            return;
        }
        if (v.isEmpty()) {
            if (rel.equals("/")) {
                signInPage(res, "", "");
            } else {
                Pages.seeOther(res, PATH + "/sign-in");
            }
            return;
        }
        req.context().register(v.get());
        res.next();
    }

    record SignInView(Page page, String error, String name) {}

    private void signInPage(ServerResponse res, String error, String name) {
        pages.send(res, "signin.jte", new SignInView(Page.signedOut("Sign in"), error, name));
    }

    private void signIn(ServerRequest req, ServerResponse res) {
        try {
            Access.checkSameOrigin(req);
        } catch (Access.Refused e) {
            message(res, e.status, "Refused", e.getMessage());
            return;
        }
        String address = req.remotePeer().host();
        Duration wait = throttle.wait(address);
        if (!wait.isZero()) {
            message(
                    res,
                    429,
                    "Too many attempts",
                    "Too many failed sign-ins from this address. Try again in " + (wait.toSeconds() + 1) + " seconds.");
            return;
        }
        Parameters form = req.content().as(Parameters.class);
        String token = form.first("token").orElse("");
        String typed = form.first("name").orElse("").strip();
        String name = typed.isEmpty() ? DEFAULT_NAME : typed;
        if (!access.tokenMatches(token)) {
            throttle.failed(address);
            // 200, not 401: the answer is a page to try again on, and the browser treats it as one.
            signInPage(res, "That is not the admin token.", typed);
            return;
        }
        if (!NAME.matcher(name).matches()) {
            signInPage(
                    res,
                    "Give your name (letters, digits, spaces, . _ - @; up to 64): changes you make are recorded as console:<name>.",
                    typed);
            return;
        }
        Session s = sessions.open("console:" + name, Role.ALL);
        res.header(
                HeaderNames.SET_COOKIE,
                Access.COOKIE + "=" + s.id() + "; Path=" + PATH + "; HttpOnly; SameSite=Strict"
                        + (req.isSecure() ? "; Secure" : ""));
        Pages.seeOther(res, PATH + "/");
    }

    private void signOut(ServerRequest req, ServerResponse res) {
        Visitor v = visitor(req);
        Access.form(req, v);
        if (v.session() != null) {
            sessions.close(v.session().id());
        }
        res.header(
                HeaderNames.SET_COOKIE,
                Access.COOKIE + "=; Path=" + PATH + "; Max-Age=0; HttpOnly; SameSite=Strict"
                        + (req.isSecure() ? "; Secure" : ""));
        Pages.seeOther(res, PATH + "/sign-in");
    }

    private void message(ServerResponse res, int status, String title, String message) {
        pages.message(res, status, Page.signedOut(title), message);
    }

    @Override
    public void close() {
        impact.close();
    }
}
