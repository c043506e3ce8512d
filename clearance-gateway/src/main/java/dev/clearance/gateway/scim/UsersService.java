package dev.clearance.gateway.scim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.store.ProvisionedUser;
import dev.clearance.store.Provisioning;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /scim/v2/Users}: create, read, list, replace, patch and delete users. A user provisions the
 * principal named by its userName; {@code active: false} or a delete withdraws that principal and
 * revokes its API keys in the same transaction, and this node forgets it before the answer leaves.
 */
final class UsersService implements HttpService {
    private static final Logger LOG = LoggerFactory.getLogger(UsersService.class);
    /** How often a PATCH is tried again when another write came between its read and its write. */
    private static final int PATCH_ATTEMPTS = 3;

    private static final List<String> SCHEMAS =
            List.of(UserResources.CORE, UserResources.EXTENSION, UserResources.ENTERPRISE);

    private final Provisioning provisioning;
    private final String actor;
    private final Runnable changed;

    UsersService(Provisioning provisioning, String actor, Runnable changed) {
        this.provisioning = provisioning;
        this.actor = actor;
        this.changed = changed;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", ScimApi.handle(this::create))
                .get("/", ScimApi.handle(this::list))
                .get("/{id}", ScimApi.handle(this::get))
                .put("/{id}", ScimApi.handle(this::replace))
                .patch("/{id}", ScimApi.handle(this::patch))
                .delete("/{id}", ScimApi.handle(this::delete));
    }

    private void create(ServerRequest req, ServerResponse res) {
        ProvisionedUser.Draft draft = UserResources.read(ScimJson.body(req));
        ProvisionedUser user = provisioning.createUser(draft, actor, "SCIM POST /Users");
        applied("created", user);
        ScimJson.sendResource(res, 201, UserResources.write(user, ScimApi.base(req)));
    }

    private void get(ServerRequest req, ServerResponse res) {
        ScimJson.sendResource(res, 200, ScimLists.project(req, UserResources.write(stored(req), ScimApi.base(req))));
    }

    private void list(ServerRequest req, ServerResponse res) {
        ScimLists.Window w = ScimLists.window(req);
        var query = ScimFilters.users(req.query().first("filter").orElse(null));
        Provisioning.Page<ProvisionedUser> page = query.isEmpty()
                ? new Provisioning.Page<>(0, List.of())
                : provisioning.users(query.get(), w.offset(), w.count());
        String base = ScimApi.base(req);
        List<ObjectNode> resources = page.items().stream()
                .map(u -> ScimLists.project(req, UserResources.write(u, base)))
                .toList();
        ScimJson.send(res, 200, ScimLists.response(page.total(), w, resources));
    }

    private void replace(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        ProvisionedUser.Draft draft = UserResources.read(ScimJson.body(req));
        ProvisionedUser user = provisioning.replaceUser(id, ScimJson.ifMatch(req), draft, actor, "SCIM PUT /Users");
        applied("replaced", user);
        ScimJson.sendResource(res, 200, UserResources.write(user, ScimApi.base(req)));
    }

    /**
     * Applies the patch to the user as stored and writes the result as a replacement, on the condition
     * that nobody wrote the user in between (tried again if someone did and the client named no version).
     */
    private void patch(ServerRequest req, ServerResponse res) {
        ObjectNode body = ScimJson.body(req);
        OptionalLong ifMatch = ScimJson.ifMatch(req);
        String base = ScimApi.base(req);
        for (int attempt = 1; ; attempt++) {
            ProvisionedUser current = stored(req);
            ScimPatches.Applied applied = ScimPatches.apply(body, UserResources.write(current, base), SCHEMAS);
            ProvisionedUser.Draft draft = UserResources.read(applied.resource());
            try {
                ProvisionedUser user = provisioning.replaceUser(
                        current.id(),
                        ifMatch.isPresent() ? ifMatch : OptionalLong.of(current.version()),
                        draft,
                        actor,
                        "SCIM " + applied.summary());
                applied("patched", user);
                ScimJson.sendResource(res, 200, UserResources.write(user, base));
                return;
            } catch (Provisioning.StaleVersion e) {
                if (ifMatch.isPresent() || attempt == PATCH_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        provisioning.deleteUser(id, ScimJson.ifMatch(req), actor, "SCIM DELETE /Users");
        changed.run();
        LOG.info("{} deleted user {}", actor, id);
        res.status(Status.NO_CONTENT_204).send();
    }

    private void applied(String what, ProvisionedUser user) {
        changed.run();
        LOG.info(
                "{} {} user {} ({}, {})",
                actor,
                what,
                user.id(),
                user.user().userName(),
                user.user().active() ? "active" : "inactive");
    }

    private ProvisionedUser stored(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        return provisioning.user(id).orElseThrow(() -> ScimError.notFound("no user '" + id + "'"));
    }
}
