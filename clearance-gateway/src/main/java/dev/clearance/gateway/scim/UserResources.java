package dev.clearance.gateway.scim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.core.Json;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Principal;
import dev.clearance.core.Problem;
import dev.clearance.store.ProvisionedUser;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SCIM User resource and the provisioned user it stands for. The principal's facts travel in the
 * extension {@value #EXTENSION}, whose attributes are the fields of a principals line, checked by the
 * same parser ({@link Json#principal}): a user the JSON Lines import would refuse is refused here, with
 * the same words. The principal's id is the {@code userName} and its name the {@code displayName} (or
 * {@code name.formatted}, or given and family name).
 */
final class UserResources {
    static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String EXTENSION = "urn:clearance:params:scim:schemas:extension:export-control:2.0:User";
    static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    /**
     * The facts the extension carries: every field of a principals line but its id and name (which are
     * the userName and the displayName).
     */
    static final List<String> FACTS = Json.PRINCIPAL_KEYS.stream()
            .filter(k -> !k.equals("id") && !k.equals("name"))
            .sorted()
            .toList();

    /** Core attributes kept as they are sent (and returned), with the JSON type each must have. */
    private static final Map<String, JsonNodeType> KEPT = kept();

    /** Attributes a client may send but that are not stored: read-only ones and the password. */
    private static final List<String> IGNORED = List.of("id", "meta", "groups", "password");

    private static final Pattern FIELD = Pattern.compile("field '([^']+)': (.*)", Pattern.DOTALL);

    private UserResources() {}

    private static Map<String, JsonNodeType> kept() {
        Map<String, JsonNodeType> m = new LinkedHashMap<>();
        for (String s : List.of(
                "displayName",
                "nickName",
                "profileUrl",
                "title",
                "userType",
                "preferredLanguage",
                "locale",
                "timezone")) {
            m.put(s, JsonNodeType.STRING);
        }
        m.put("name", JsonNodeType.OBJECT);
        for (String s : List.of(
                "emails", "phoneNumbers", "ims", "photos", "addresses", "entitlements", "roles", "x509Certificates")) {
            m.put(s, JsonNodeType.ARRAY);
        }
        m.put(ENTERPRISE, JsonNodeType.OBJECT);
        return m;
    }

    /**
     * Reads a User resource as the identity provider sent it (POST, PUT, or a resource after PATCH).
     *
     * @throws ScimError 400 naming the attribute that is missing, unknown or invalid
     */
    static ProvisionedUser.Draft read(ObjectNode resource) {
        Map<String, JsonNode> attrs = canonical(resource, "", allNames());
        requireSchemas(attrs.get("schemas"), List.of(CORE, EXTENSION, ENTERPRISE), CORE);
        String userName = text(attrs.get("userName"), "userName");
        if (userName == null || userName.isBlank()) {
            throw ScimError.invalidValue("userName is required: it is the principal's id");
        }
        Optional<String> externalId = Optional.ofNullable(text(attrs.get("externalId"), "externalId"));
        boolean active = active(attrs.get("active"));
        ObjectNode kept = Json.mapper().createObjectNode();
        KEPT.forEach((name, type) -> {
            JsonNode v = attrs.get(name);
            if (v != null && !v.isNull()) {
                if (v.getNodeType() != type) {
                    throw ScimError.invalidValue(
                            "attribute '" + name + "' must be " + type.name().toLowerCase(Locale.ROOT));
                }
                kept.set(name, v);
            }
        });
        ObjectNode line = Json.mapper().createObjectNode();
        line.put("id", userName);
        line.put("name", displayName(kept));
        JsonNode ext = attrs.get(EXTENSION);
        if (ext != null && !ext.isNull()) {
            if (!ext.isObject()) {
                throw ScimError.invalidValue("attribute '" + EXTENSION + "' must be an object");
            }
            canonical((ObjectNode) ext, EXTENSION + ":", FACTS).forEach(line::set);
        }
        Principal principal;
        try {
            principal = Json.principal(line.toString(), "user", 0);
        } catch (PolicyException e) {
            throw ScimError.invalidValue(describe(e.problems()));
        }
        return new ProvisionedUser.Draft(userName, externalId, active, kept.toString(), principal);
    }

    /** The User resource of a provisioned user. */
    static ObjectNode write(ProvisionedUser user, String base) {
        ProvisionedUser.Draft d = user.user();
        ObjectNode kept = parse(d.attributes());
        ObjectNode r = Json.mapper().createObjectNode();
        ArrayNode schemas = r.putArray("schemas").add(CORE).add(EXTENSION);
        if (kept.has(ENTERPRISE)) {
            schemas.add(ENTERPRISE);
        }
        r.put("id", user.id());
        d.externalId().ifPresent(x -> r.put("externalId", x));
        r.put("userName", d.userName());
        r.put("active", d.active());
        r.setAll(kept);
        // In the canonical order of a principals line.
        ObjectNode ext = parse(Json.writePrincipal(d.principal()));
        ext.remove(List.of("id", "name"));
        r.set(EXTENSION, ext);
        r.set(
                "meta",
                ScimJson.meta(
                        "User", user.created(), user.lastModified(), base + "/Users/" + user.id(), user.version()));
        return r;
    }

    private static String displayName(ObjectNode kept) {
        if (kept.path("displayName").isTextual()) {
            return kept.get("displayName").asText();
        }
        JsonNode name = kept.path("name");
        if (name.path("formatted").isTextual()) {
            return name.get("formatted").asText();
        }
        String given = name.path("givenName").asText("");
        String family = name.path("familyName").asText("");
        return (given + " " + family).strip();
    }

    /** The active flag: a boolean, or (as Microsoft Entra ID sends it in PATCH) the text "True" or "False". */
    private static boolean active(JsonNode v) {
        if (v == null || v.isNull()) {
            return true;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(v.asText().toLowerCase(Locale.ROOT));
        }
        throw ScimError.invalidValue("attribute 'active' must be true or false, not " + v);
    }

    static String text(JsonNode v, String name) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ScimError.invalidValue("attribute '" + name + "' must be a string, not " + v);
        }
        return v.asText();
    }

    /** {@code schemas} must list {@code core} and only the given schemas. */
    static void requireSchemas(JsonNode schemas, List<String> known, String core) {
        if (schemas == null || !schemas.isArray()) {
            throw ScimError.invalidSyntax("attribute 'schemas' is required: a list naming " + core);
        }
        boolean hasCore = false;
        for (JsonNode s : schemas) {
            if (!s.isTextual() || known.stream().noneMatch(k -> k.equalsIgnoreCase(s.asText()))) {
                throw ScimError.invalidValue("schema " + s + " is not supported (supported: " + known + ")");
            }
            hasCore |= s.asText().equalsIgnoreCase(core);
        }
        if (!hasCore) {
            throw ScimError.invalidValue("attribute 'schemas' must name " + core);
        }
    }

    /**
     * The object's attributes under their canonical names: SCIM attribute names are case-insensitive
     * (RFC 7643 section 2.1). A name not in {@code names} is an error naming it.
     */
    static Map<String, JsonNode> canonical(ObjectNode object, String prefix, List<String> names) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = names.stream()
                    .filter(n -> n.equalsIgnoreCase(e.getKey()))
                    .findFirst()
                    .orElseThrow(() -> ScimError.invalidSyntax("attribute '" + prefix + e.getKey()
                            + "' is not in the schema (valid: " + String.join(", ", names) + ")"));
            if (out.put(name, e.getValue()) != null) {
                throw ScimError.invalidSyntax("attribute '" + prefix + name + "' is given twice");
            }
        }
        return out;
    }

    private static List<String> allNames() {
        List<String> names = new java.util.ArrayList<>(List.of("schemas", "userName", "externalId", "active"));
        names.addAll(KEPT.keySet());
        names.add(EXTENSION);
        names.addAll(IGNORED);
        return names;
    }

    /** The core parser's problems, with each field named by its path in the extension. */
    static String describe(List<Problem> problems) {
        StringBuilder out = new StringBuilder();
        for (Problem p : problems) {
            Matcher m = FIELD.matcher(p.message());
            String text = m.matches()
                    ? "attribute '" + (m.group(1).equals("name") ? "displayName" : EXTENSION + ":" + m.group(1)) + "': "
                            + m.group(2)
                    : p.message();
            out.append(out.isEmpty() ? "" : "; ").append(text);
        }
        return out.toString();
    }

    static ObjectNode parse(String json) {
        try {
            return (ObjectNode) Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON no longer parses", e);
        }
    }
}
