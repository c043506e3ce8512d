package dev.clearance.gateway.scim;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * SCIM's own gate: every SCIM request must present {@code Authorization: Bearer <scim.token>}; anything
 * else, the admin token included, is answered 401 before any SCIM service sees it.
 */
final class ScimGate implements HttpService {
    private final byte[] token;

    ScimGate(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(ScimApi.handle((req, res) -> {
            String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
            boolean bearer = auth.regionMatches(true, 0, "Bearer ", 0, 7);
            // Constant time: how long the comparison takes says nothing about how much matched.
            if (bearer && MessageDigest.isEqual(token, auth.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
                res.next();
                return;
            }
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"scim\"");
            throw new ScimError(401, null, "missing or wrong SCIM token: send 'Authorization: Bearer <scim.token>'");
        }));
    }
}
