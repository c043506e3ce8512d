package dev.clearance.gateway;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The admin listener's one gate: every call, whatever its path (unknown ones included), must present
 * {@code Authorization: Bearer <admin token>}; anything else is answered 401 before any service sees it.
 * Two kinds of exception, both strict:
 * <ul>
 *   <li>paths under a service with a gate of its own (SCIM, whose identity provider holds its own
 *       token): there the admin token opens nothing, and that service's gate decides;
 *   <li>only when {@code log.public} is set: reads of the decision log's tlog-tiles resources
 *       ({@link LogService#isRead}), which carry no secret and change nothing.
 * </ul>
 */
final class AdminToken implements Filter {
    private final byte[] token;
    private final boolean publicLog;
    private final List<String> ownGates;

    /**
     * @param publicLog whether reads of the log's tiles and checkpoint need no token
     * @param ownGates path prefixes whose service checks its own token
     */
    AdminToken(String token, boolean publicLog, List<String> ownGates) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.publicLog = publicLog;
        this.ownGates = List.copyOf(ownGates);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (guardedElsewhere(req.path().path())
                || presented(req)
                || (publicLog
                        && LogService.isRead(req.prologue().method(), req.path().path()))) {
            chain.proceed();
        } else {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            AdminJson.error(res, 401, "missing or wrong admin token: send 'Authorization: Bearer <admin token>'");
        }
    }

    private boolean guardedElsewhere(String path) {
        for (String prefix : ownGates) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    /** Constant-time comparison: the time taken says nothing about how much of the token matched. */
    private boolean presented(RoutingRequest req) {
        String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(token, auth.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }
}
