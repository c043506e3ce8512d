package dev.clearance.gateway;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * The admin listener's one gate: every call, whatever its path (unknown ones included), must present
 * {@code Authorization: Bearer <admin token>}; anything else is answered 401 before any service sees it.
 * The only exceptions are the {@link Exemption}s {@link AdminApi} passes, all listed in one place
 * ({@code AdminApi.exemptions}): a read that carries no secret and changes nothing (the decision log's
 * tiles, with {@code log.public}), or a service with a gate of its own — SCIM, whose identity provider
 * holds its own token, and mounts that check their callers themselves (the console). Under an own gate
 * the admin token neither is needed nor opens anything by itself: that service's gate decides.
 */
final class AdminToken implements Filter {
    private final byte[] token;
    private final List<Exemption> exemptions;

    /**
     * Calls the admin token does not guard.
     *
     * @param what   what is let through, for the reader (e.g. {@code "the console, which checks its callers itself"})
     * @param covers whether a call (its method and its path) is one of them
     */
    record Exemption(String what, BiPredicate<Method, String> covers) {
        Exemption {
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(covers, "covers");
        }

        /**
         * {@code root} and everything under it, whatever the method: a service that decides who may call
         * it, so the admin token is neither needed nor enough there.
         */
        static Exemption ownGate(String what, String root) {
            return new Exemption(what, (method, path) -> within(path, root));
        }
    }

    /** Whether {@code path} is {@code root} or lies under it ({@code /console/x}, not {@code /consoles}). */
    static boolean within(String path, String root) {
        return path.equals(root) || path.startsWith(root + "/");
    }

    AdminToken(String token, List<Exemption> exemptions) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.exemptions = List.copyOf(exemptions);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (exempt(req.prologue().method(), req.path().path()) || presented(req)) {
            chain.proceed();
        } else {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            AdminJson.error(res, 401, "missing or wrong admin token: send 'Authorization: Bearer <admin token>'");
        }
    }

    private boolean exempt(Method method, String path) {
        for (Exemption e : exemptions) {
            if (e.covers().test(method, path)) {
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
