package dev.clearance.gateway.scim;

import dev.clearance.store.Provisioning;
import dev.clearance.store.StoreException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SCIM 2.0 (RFC 7643, RFC 7644) under {@value #ROOT} on the admin listener: Users, Groups and the
 * discovery documents, behind their own bearer token ({@link ScimGate}), which is never the admin token.
 * Every change is written through the store's {@link Provisioning} (one transaction, with who and why in
 * its history) and then {@code principalsChanged} runs, so this node forgets the callers it knew and
 * decides its open streams again before the change is acknowledged; other nodes learn it from the
 * store's change feed. Errors are answered in SCIM's own error schema, mapped here once ({@link #handle}).
 */
public final class ScimApi {
    private static final Logger LOG = LoggerFactory.getLogger(ScimApi.class);
    /** Where SCIM is served; the admin token's gate lets these paths through to SCIM's own. */
    public static final String ROOT = "/scim/v2";

    private final Provisioning provisioning;
    private final String token;
    private final String actor;
    private final Runnable principalsChanged;

    /**
     * @param client            who the store's history names for the identity provider's changes
     *                          ({@code scim:<client>})
     * @param principalsChanged run after every change, before it is answered
     */
    public ScimApi(Provisioning provisioning, String token, String client, Runnable principalsChanged) {
        this.provisioning = Objects.requireNonNull(provisioning);
        this.token = Objects.requireNonNull(token);
        this.actor = "scim:" + client;
        this.principalsChanged = Objects.requireNonNull(principalsChanged);
    }

    public void route(HttpRouting.Builder routing) {
        routing.register(ROOT, new ScimGate(token))
                .register(ROOT, new DiscoveryService())
                .register(ROOT + "/Users", new ResourceService<>(new Users(provisioning), actor, principalsChanged))
                .register(ROOT + "/Groups", new ResourceService<>(new Groups(provisioning), actor, principalsChanged))
                .register(
                        ROOT,
                        rules -> rules.any(handle((req, res) -> {
                            throw ScimError.notFound(req.prologue().method().text() + " "
                                    + req.path().path()
                                    + " is not a SCIM endpoint of this server (Users, Groups, ServiceProviderConfig,"
                                    + " ResourceTypes, Schemas)");
                        })));
    }

    /** A SCIM handler: throws what it cannot answer. */
    @FunctionalInterface
    interface ScimHandler {
        void handle(ServerRequest req, ServerResponse res);
    }

    /** Answers every failure of {@code h} in SCIM's error schema; nothing SCIM throws reaches the admin router. */
    static Handler handle(ScimHandler h) {
        return (req, res) -> {
            try {
                h.handle(req, res);
            } catch (ScimError e) {
                ScimJson.error(res, e);
            } catch (Provisioning.StaleVersion e) {
                ScimJson.error(res, new ScimError(412, null, e.getMessage()));
            } catch (StoreException.NotFound e) {
                ScimJson.error(res, ScimError.notFound(e.getMessage()));
            } catch (StoreException.Conflict e) {
                ScimJson.error(res, new ScimError(409, "uniqueness", e.getMessage()));
            } catch (StoreException e) {
                LOG.error(
                        "SCIM {} {} failed in the store",
                        req.prologue().method().text(),
                        req.path().path(),
                        e);
                ScimJson.error(
                        res, new ScimError(503, null, "the store could not complete the request: " + e.getMessage()));
            } catch (RuntimeException e) {
                LOG.error(
                        "SCIM {} {} failed",
                        req.prologue().method().text(),
                        req.path().path(),
                        e);
                ScimJson.error(res, new ScimError(500, null, "internal error; nothing was changed"));
            }
        };
    }

    /** The base URL resources are located under, as the client reached this server. */
    static String base(ServerRequest req) {
        var uri = req.requestedUri();
        return uri.scheme() + "://" + uri.authority() + ROOT;
    }
}
