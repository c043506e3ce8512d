package dev.clearance.gateway;

import dev.clearance.core.PolicyException;
import dev.clearance.gateway.scim.ScimApi;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API, on its own listener: one {@link HttpService} per resource, each declaring its own
 * routes, all behind one gate ({@link AdminToken}). Each exception type is answered here, once, so a
 * service's handlers only do their part: they parse with the core's parsers, decide and record
 * through {@link Enforcement} and write through the store, exactly as the CLI does.
 *
 * <table>
 *   <caption>Exceptions and their answers</caption>
 *   <tr><th>thrown</th><th>answer</th></tr>
 *   <tr><td>{@link PolicyException}</td><td>400 with every located problem; nothing changed</td></tr>
 *   <tr><td>{@link StoreException.NotFound}</td><td>404 naming what does not exist</td></tr>
 *   <tr><td>{@link StoreException.PolicyConflict}</td><td>409 {@code policy_conflict}: other policy changes kept
 *       coming first; nothing changed</td></tr>
 *   <tr><td>{@link StoreException}</td><td>503: the store could not complete the change (logged)</td></tr>
 *   <tr><td>{@link Enforcement.Unrecorded}</td><td>500: a decision could not be recorded, none is given</td></tr>
 * </table>
 */
final class AdminApi {
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    /** Who the store and the decision log name for changes made here. */
    static final String ACTOR = "admin-api";
    /** The roots of the admin API's own paths, which no mount may take or enclose (SCIM's whether or not it is on). */
    static final List<String> OWN_ROOTS = List.of("/admin", "/log", "/scim", "/health", "/ready", "/metrics");

    private final GatewaySettings settings;
    private final LogTiles tiles;
    private final Store store;
    private final Callers callers;
    private final ActivePolicy policy;
    private final LiveCalls live;
    private final Enforcement enforcement;
    private final DecisionIds ids;
    private final Clock clock;
    private final Confirmation confirmation;
    private final NodeService node;
    private final FleetMember fleet;
    private final Optional<ScimApi> scim;
    private final List<AdminMount> mounts;

    AdminApi(
            GatewaySettings settings,
            LogTiles tiles,
            Store store,
            Callers callers,
            ActivePolicy policy,
            LiveCalls live,
            Enforcement enforcement,
            DecisionIds ids,
            Clock clock,
            Confirmation confirmation,
            NodeService node,
            FleetMember fleet,
            Optional<ScimApi> scim,
            List<AdminMount> mounts) {
        this.settings = settings;
        this.tiles = tiles;
        this.store = store;
        this.callers = callers;
        this.policy = policy;
        this.live = live;
        this.enforcement = enforcement;
        this.ids = ids;
        this.clock = clock;
        this.confirmation = confirmation;
        this.node = node;
        this.fleet = fleet;
        this.scim = scim;
        this.mounts = List.copyOf(mounts);
    }

    void route(HttpRouting.Builder routing) {
        // SCIM answers its own errors and checks its own token (ScimApi); the admin token never opens it.
        scim.ifPresent(s -> s.route(routing));
        List<AdminToken.Exemption> open = exemptions();
        if (!open.isEmpty()) {
            LOG.info(
                    "admin listener: open without the admin token: {}",
                    String.join(
                            "; ", open.stream().map(AdminToken.Exemption::what).toList()));
        }
        routing.addFilter(new AdminToken(settings.adminToken(), open))
                .error(PolicyException.class, (req, res, e) -> AdminJson.problems(res, e.problems()))
                .error(StoreException.NotFound.class, (req, res, e) -> AdminJson.error(res, 404, e.getMessage()))
                .error(StoreException.PolicyConflict.class, (req, res, e) -> AdminJson.conflict(res, e))
                .error(StoreException.class, (req, res, e) -> {
                    LOG.error(
                            "admin call {} {} failed in the store",
                            req.prologue().method().text(),
                            req.path().path(),
                            e);
                    AdminJson.error(res, 503, "the store could not complete the change: " + e.getMessage());
                })
                .error(
                        Enforcement.Unrecorded.class,
                        (req, res, e) -> AdminJson.error(res, 500, e.getMessage() + "; no decision is given"))
                .register("/admin/v1/principals", new PrincipalsService(store, callers, live))
                .register("/admin/v1/keys", new KeysService(store, callers, live))
                .register("/admin/v1", new DirectivesService(store, policy, enforcement, clock))
                .register("/admin/v1/decide", new DecideService(policy, callers, enforcement, ids, clock, confirmation))
                .register("/admin/v1/fleet", new FleetService(fleet))
                .register(node)
                .register("/log", new LogService(tiles));
        mounts.forEach(m -> routing.register(m.path(), m.service()));
    }

    /**
     * Every call the admin token does not guard, in one place: SCIM (its own token and gate), with
     * {@code log.public} reads of the decision log's tiles, and the paths of mounts that check their
     * callers themselves (the console).
     */
    private List<AdminToken.Exemption> exemptions() {
        List<AdminToken.Exemption> open = new ArrayList<>();
        if (scim.isPresent()) {
            open.add(AdminToken.Exemption.ownGate(
                    "SCIM under " + ScimApi.ROOT + ", behind its own token", ScimApi.ROOT));
        }
        if (settings.publicLog()) {
            open.add(new AdminToken.Exemption("log.public: reads of the decision log's tiles", LogService::isRead));
        }
        for (AdminMount m : mounts) {
            if (m.authenticatesItself()) {
                open.add(AdminToken.Exemption.ownGate(m.path() + ", which checks its callers itself", m.path()));
            }
        }
        return open;
    }

    /**
     * Refuses mounts that would take or enclose a path of the admin API's own or another mount's: a mount
     * that checks its callers itself must never open a path the admin token guards. Called before
     * anything starts.
     *
     * @throws IllegalArgumentException naming the mount and the path it would overlap
     */
    static void checkMounts(List<AdminMount> mounts) {
        List<String> taken = new ArrayList<>(OWN_ROOTS);
        for (AdminMount m : mounts) {
            for (String t : taken) {
                if (AdminToken.within(m.path(), t) || AdminToken.within(t, m.path())) {
                    throw new IllegalArgumentException("an admin mount at " + m.path() + " would overlap " + t);
                }
            }
            taken.add(m.path());
        }
    }
}
