package dev.clearance.gateway.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.core.Json;
import dev.clearance.store.ProvisionedGroup;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SCIM Group resource: an organization, whose members are users. Joining a group sets the member's
 * {@code organization} fact to the group's {@code displayName} (see {@link ProvisionedGroup}).
 */
final class GroupResources {
    static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final List<String> NAMES = List.of("schemas", "displayName", "externalId", "members", "id", "meta");
    private static final List<String> MEMBER_NAMES = List.of("value", "display", "$ref", "type");

    private GroupResources() {}

    /** Reads a Group resource; members are named by their users' ids. */
    static ProvisionedGroup.Draft read(ObjectNode resource) {
        Map<String, JsonNode> attrs = UserResources.canonical(resource, "", NAMES);
        UserResources.requireSchemas(attrs.get("schemas"), List.of(CORE), CORE);
        String displayName = UserResources.text(attrs.get("displayName"), "displayName");
        if (displayName == null || displayName.isBlank()) {
            throw ScimError.invalidValue("displayName is required: it is the organization members' principals name");
        }
        Optional<String> externalId = Optional.ofNullable(UserResources.text(attrs.get("externalId"), "externalId"));
        LinkedHashSet<String> members = new LinkedHashSet<>();
        JsonNode m = attrs.get("members");
        if (m != null && !m.isNull()) {
            if (!m.isArray()) {
                throw ScimError.invalidValue("attribute 'members' must be a list of {\"value\": \"<user id>\"}");
            }
            for (int i = 0; i < m.size(); i++) {
                if (!m.get(i).isObject()) {
                    throw ScimError.invalidValue("attribute 'members[" + i + "]' must be an object");
                }
                Map<String, JsonNode> member =
                        UserResources.canonical((ObjectNode) m.get(i), "members[" + i + "].", MEMBER_NAMES);
                String value = UserResources.text(member.get("value"), "members[" + i + "].value");
                if (value == null || value.isBlank()) {
                    throw ScimError.invalidValue("attribute 'members[" + i + "].value' is required: a user's id");
                }
                if (member.containsKey("type")
                        && !"User".equals(member.get("type").asText())) {
                    throw ScimError.invalidValue("members[" + i + "] must be a User; groups do not nest here");
                }
                members.add(value);
            }
        }
        return new ProvisionedGroup.Draft(displayName, externalId, new ArrayList<>(members));
    }

    static ObjectNode write(ProvisionedGroup group, String base) {
        ObjectNode r = Json.mapper().createObjectNode();
        r.putArray("schemas").add(CORE);
        r.put("id", group.id());
        group.externalId().ifPresent(x -> r.put("externalId", x));
        r.put("displayName", group.displayName());
        ArrayNode members = r.putArray("members");
        for (ProvisionedGroup.Member m : group.members()) {
            members.addObject()
                    .put("value", m.userId())
                    .put("display", m.userName())
                    .put("type", "User")
                    .put("$ref", base + "/Users/" + m.userId());
        }
        r.set(
                "meta",
                ScimJson.meta(
                        "Group",
                        group.created(),
                        group.lastModified(),
                        base + "/Groups/" + group.id(),
                        group.version()));
        return r;
    }
}
