package dev.clearance.gateway.scim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.store.ProvisionedGroup;
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
 * {@code /scim/v2/Groups}: organizations and their members. A change of membership or of a group's
 * name is a change of its members' principals ({@code organization}), made in the same transaction.
 */
final class GroupsService implements HttpService {
    private static final Logger LOG = LoggerFactory.getLogger(GroupsService.class);
    private static final int PATCH_ATTEMPTS = 3;

    private final Provisioning provisioning;
    private final String actor;
    private final Runnable changed;

    GroupsService(Provisioning provisioning, String actor, Runnable changed) {
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
        ProvisionedGroup group = provisioning.createGroup(read(ScimJson.body(req)), actor, "SCIM POST /Groups");
        applied("created", group);
        ScimJson.sendResource(res, 201, GroupResources.write(group, ScimApi.base(req)));
    }

    private void get(ServerRequest req, ServerResponse res) {
        ScimJson.sendResource(res, 200, ScimLists.project(req, GroupResources.write(stored(req), ScimApi.base(req))));
    }

    private void list(ServerRequest req, ServerResponse res) {
        ScimLists.Window w = ScimLists.window(req);
        var query = ScimFilters.groups(req.query().first("filter").orElse(null));
        Provisioning.Page<ProvisionedGroup> page = query.isEmpty()
                ? new Provisioning.Page<>(0, List.of())
                : provisioning.groups(query.get(), w.offset(), w.count());
        String base = ScimApi.base(req);
        List<ObjectNode> resources = page.items().stream()
                .map(g -> ScimLists.project(req, GroupResources.write(g, base)))
                .toList();
        ScimJson.send(res, 200, ScimLists.response(page.total(), w, resources));
    }

    private void replace(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        ProvisionedGroup group = provisioning.replaceGroup(
                id, ScimJson.ifMatch(req), read(ScimJson.body(req)), actor, "SCIM PUT /Groups");
        applied("replaced", group);
        ScimJson.sendResource(res, 200, GroupResources.write(group, ScimApi.base(req)));
    }

    private void patch(ServerRequest req, ServerResponse res) {
        ObjectNode body = ScimJson.body(req);
        OptionalLong ifMatch = ScimJson.ifMatch(req);
        String base = ScimApi.base(req);
        for (int attempt = 1; ; attempt++) {
            ProvisionedGroup current = stored(req);
            ScimPatches.Applied applied =
                    ScimPatches.apply(body, GroupResources.write(current, base), List.of(GroupResources.CORE));
            try {
                ProvisionedGroup group = provisioning.replaceGroup(
                        current.id(),
                        ifMatch.isPresent() ? ifMatch : OptionalLong.of(current.version()),
                        read(applied.resource()),
                        actor,
                        "SCIM " + applied.summary());
                applied("patched", group);
                ScimJson.sendResource(res, 200, GroupResources.write(group, base));
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
        provisioning.deleteGroup(id, ScimJson.ifMatch(req), actor, "SCIM DELETE /Groups");
        changed.run();
        LOG.info("{} deleted group {}", actor, id);
        res.status(Status.NO_CONTENT_204).send();
    }

    /** The group as sent; a member that names no user is the client's error (400), not a missing group. */
    private ProvisionedGroup.Draft read(ObjectNode resource) {
        ProvisionedGroup.Draft draft = GroupResources.read(resource);
        for (String member : draft.memberIds()) {
            if (provisioning.user(member).isEmpty()) {
                throw ScimError.invalidValue("members: no user '" + member + "'");
            }
        }
        return draft;
    }

    private void applied(String what, ProvisionedGroup group) {
        changed.run();
        LOG.info(
                "{} {} group {} ({}, {} members)",
                actor,
                what,
                group.id(),
                group.displayName(),
                group.members().size());
    }

    private ProvisionedGroup stored(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        return provisioning.group(id).orElseThrow(() -> ScimError.notFound("no group '" + id + "'"));
    }
}
