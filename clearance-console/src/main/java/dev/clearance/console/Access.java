package dev.clearance.console;

import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may use the console, and whether a state change really comes from its own pages: the admin
 * token (compared in constant time, as the admin API's filter does), the session cookie, the CSRF token
 * of every state change and the browser's own statement of where a request comes from.
 */
final class Access {
    /** The session cookie; scoped to the console's path. */
    static final String COOKIE = "clearance_console";
    /** The header htmx sends the CSRF token in (forms send the field {@code csrf}). */
    static final String CSRF_HEADER = "X-CSRF-Token";

    private final byte[] token;
    private final Sessions sessions;

    Access(String adminToken, Sessions sessions) {
        if (adminToken == null || adminToken.isBlank()) {
            throw new IllegalArgumentException("the console needs the admin token");
        }
        this.token = adminToken.getBytes(StandardCharsets.UTF_8);
        this.sessions = sessions;
    }

    /** A refused request: a status and what the page says. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /**
     * The caller: a bearer admin token, else a live session cookie; empty when neither.
     *
     * @throws Refused 401 when an {@code Authorization} header is present but does not carry the token
     */
    Optional<Visitor> visitor(ServerRequest req) {
        Optional<String> auth = req.headers().first(HeaderNames.AUTHORIZATION);
        if (auth.isPresent()) {
            String a = auth.get();
            if (a.regionMatches(true, 0, "Bearer ", 0, 7)
                    && tokenMatches(a.substring(7).trim())) {
                return Optional.of(Visitor.bearer());
            }
            throw new Refused(401, "The Authorization header does not carry the admin token.");
        }
        return sessionId(req).flatMap(sessions::find).map(Visitor::of);
    }

    Optional<String> sessionId(ServerRequest req) {
        return req.headers().cookies().first(COOKIE).asOptional();
    }

    /** Constant-time: the time taken says nothing about how much of the token matched. */
    boolean tokenMatches(String presented) {
        return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Refuses a state change that a browser says comes from another site ({@code Sec-Fetch-Site},
     * {@code Origin}); clients that send neither header (curl, scripts) are judged by their credentials.
     */
    static void checkSameOrigin(ServerRequest req) {
        String site = req.headers().first(HeaderNames.create("Sec-Fetch-Site")).orElse("");
        if (!site.isEmpty() && !site.equals("same-origin") && !site.equals("none")) {
            throw new Refused(403, "This change did not come from a console page (Sec-Fetch-Site: " + site + ").");
        }
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        Optional<String> host = req.headers().first(HeaderNames.HOST);
        if (origin.isPresent() && host.isPresent()) {
            String o = origin.get();
            int scheme = o.indexOf("://");
            if (scheme < 0 || !o.substring(scheme + 3).equalsIgnoreCase(host.get())) {
                throw new Refused(403, "This change did not come from a console page (Origin: " + o + ").");
            }
        }
    }

    /**
     * The form of a state change, after checking its CSRF token: a session's form must carry the
     * session's token (field {@code csrf} or header {@value #CSRF_HEADER}); a bearer caller needs none.
     */
    static Parameters form(ServerRequest req, Visitor v) {
        checkSameOrigin(req);
        Parameters form = req.content().hasEntity() ? req.content().as(Parameters.class) : Parameters.empty("form");
        if (v.session() != null) {
            String sent = form.first("csrf")
                    .asOptional()
                    .or(() -> req.headers().first(HeaderNames.create(CSRF_HEADER)))
                    .orElse("");
            if (!MessageDigest.isEqual(
                    sent.getBytes(StandardCharsets.UTF_8), v.csrf().getBytes(StandardCharsets.UTF_8))) {
                throw new Refused(403, "The form's security token is missing or stale. Reload the page and try again.");
            }
        }
        return form;
    }

    /** The role a step needs. @throws Refused 403 when the visitor lacks it */
    static void require(Visitor v, Role role) {
        if (!v.may(role)) {
            throw new Refused(403, "This needs the " + role.name().toLowerCase(java.util.Locale.ROOT) + " role.");
        }
    }
}
