package dev.clearance.gateway;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The admin listener's one gate: every call, whatever its path (unknown ones included), must present
 * {@code Authorization: Bearer <admin token>}; anything else is answered 401 before any service sees it.
 * The one exception, only when {@code log.public} is set: reads of the decision log's tlog-tiles
 * resources ({@link LogService#isRead}), which carry no secret and change nothing.
 */
final class AdminToken implements Filter {
    private final byte[] token;
    private final boolean publicLog;

    AdminToken(String token, boolean publicLog) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.publicLog = publicLog;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (presented(req)
                || (publicLog
                        && LogService.isRead(req.prologue().method(), req.path().path()))) {
            chain.proceed();
        } else {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            AdminJson.error(res, 401, "missing or wrong admin token: send 'Authorization: Bearer <admin token>'");
        }
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
