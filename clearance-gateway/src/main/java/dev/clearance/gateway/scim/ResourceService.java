package dev.clearance.gateway.scim;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * The endpoints of one resource type (RFC 7644 section 3): create, read, list, replace, patch and
 * delete. Every change runs {@code changed} before it is answered, so this node acts on it at once.
 */
final class ResourceService<R, D> implements HttpService {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceService.class);
    /** How often a PATCH is tried again when another write came between its read and its write. */
    private static final int PATCH_ATTEMPTS = 3;

    private final ResourceType<R, D> type;
    private final String actor;
    private final Runnable changed;

    ResourceService(ResourceType<R, D> type, String actor, Runnable changed) {
        this.type = type;
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
        R created = type.create(type.read(ScimJson.body(req)), actor, "SCIM POST /" + type.name() + "s");
        applied("created", created);
        ScimJson.sendResource(res, 201, type.write(created, ScimApi.base(req)));
    }

    private void get(ServerRequest req, ServerResponse res) {
        ScimJson.sendResource(res, 200, ScimLists.project(req, type.write(stored(req), ScimApi.base(req))));
    }

    private void list(ServerRequest req, ServerResponse res) {
        ScimLists.Window w = ScimLists.window(req);
        Provisioning.Page<R> page = type.list(req.query().first("filter").orElse(null), w.offset(), w.count());
        String base = ScimApi.base(req);
        List<ObjectNode> resources = page.items().stream()
                .map(r -> ScimLists.project(req, type.write(r, base)))
                .toList();
        ScimJson.send(res, 200, ScimLists.response(page.total(), w, resources));
    }

    private void replace(ServerRequest req, ServerResponse res) {
        R replaced = type.replace(
                id(req), ScimJson.ifMatch(req), type.read(ScimJson.body(req)), actor, "SCIM PUT /" + type.name() + "s");
        applied("replaced", replaced);
        ScimJson.sendResource(res, 200, type.write(replaced, ScimApi.base(req)));
    }

    /**
     * Applies the patch to the resource as stored and writes the result as a replacement, on the
     * condition that nobody wrote it in between (tried again if someone did and the client named no version).
     */
    private void patch(ServerRequest req, ServerResponse res) {
        ObjectNode body = ScimJson.body(req);
        OptionalLong ifMatch = ScimJson.ifMatch(req);
        String base = ScimApi.base(req);
        for (int attempt = 1; ; attempt++) {
            R current = stored(req);
            ScimPatches.Applied applied = ScimPatches.apply(body, type.write(current, base), type.schemas());
            D draft = type.read(applied.resource());
            try {
                R patched = type.replace(
                        type.id(current),
                        ifMatch.isPresent() ? ifMatch : OptionalLong.of(type.version(current)),
                        draft,
                        actor,
                        "SCIM " + applied.summary());
                applied("patched", patched);
                ScimJson.sendResource(res, 200, type.write(patched, base));
                return;
            } catch (Provisioning.StaleVersion e) {
                if (ifMatch.isPresent() || attempt == PATCH_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String id = id(req);
        type.delete(id, ScimJson.ifMatch(req), actor, "SCIM DELETE /" + type.name() + "s");
        changed.run();
        LOG.info("{} deleted {} {}", actor, type.name(), id);
        res.status(Status.NO_CONTENT_204).send();
    }

    private void applied(String what, R resource) {
        changed.run();
        LOG.info("{} {} {} {} ({})", actor, what, type.name(), type.id(resource), type.describe(resource));
    }

    private R stored(ServerRequest req) {
        String id = id(req);
        return type.find(id).orElseThrow(() -> ScimError.notFound("no " + type.name() + " '" + id + "'"));
    }

    private static String id(ServerRequest req) {
        return req.path().pathParameters().get("id");
    }
}
