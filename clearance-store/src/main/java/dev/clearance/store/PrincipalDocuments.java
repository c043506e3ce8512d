package dev.clearance.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.core.License;
import dev.clearance.core.Principal;
import dev.clearance.core.Screening;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The stored form of a principal: its canonical JSON. TEMPORARY until core's Json lands. */
final class PrincipalDocuments {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PrincipalDocuments() {}

    static String write(Principal p) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", p.id());
        o.put("kind", p.kind().wireName());
        o.put("name", p.name());
        strings(o.putArray("citizenships"), p.citizenships());
        o.put("lawful_permanent_resident_of", p.lawfulPermanentResidentOf());
        o.put("protected_individual", p.protectedIndividual());
        o.put("residence_country", p.residenceCountry());
        o.put("incorporated_in", p.incorporatedIn());
        o.put("organization", p.organization());
        o.put("identity_assurance", p.identityAssurance());
        ArrayNode licenses = o.putArray("licenses");
        for (License l : p.licenses()) {
            ObjectNode lo = licenses.addObject();
            lo.put("id", l.id());
            lo.put("type", l.type());
            strings(lo.putArray("models"), l.models());
            lo.put("valid_from", l.validFrom().toString());
            lo.put("valid_until", l.validUntil().toString());
        }
        ObjectNode attributes = o.putObject("attributes");
        new TreeMap<>(p.attributes()).forEach(attributes::put);
        screening(o.putObject("screening"), p.screening());
        screening(o.putObject("organization_screening"), p.organizationScreening());
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Principal read(String json) {
        JsonNode o;
        try {
            o = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored principal is not valid JSON: " + e.getOriginalMessage(), e);
        }
        List<License> licenses = new ArrayList<>();
        for (JsonNode l : o.path("licenses")) {
            licenses.add(new License(l.get("id").asText(), l.get("type").asText(), strings(l.path("models")),
                    Instant.parse(l.get("valid_from").asText()), Instant.parse(l.get("valid_until").asText())));
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        o.path("attributes").properties().forEach(e -> attributes.put(e.getKey(), e.getValue().asText()));
        return new Principal(o.get("id").asText(),
                "organization".equals(o.path("kind").asText()) ? Principal.Kind.ORGANIZATION : Principal.Kind.PERSON,
                o.path("name").asText(), strings(o.path("citizenships")), o.path("lawful_permanent_resident_of").asText(),
                o.path("protected_individual").asBoolean(), o.path("residence_country").asText(),
                o.path("incorporated_in").asText(), o.path("organization").asText(), o.path("identity_assurance").asInt(),
                licenses, attributes, screening(o.path("screening")), screening(o.path("organization_screening")));
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void screening(ObjectNode o, Screening s) {
        o.put("status", s.status());
        strings(o.putArray("lists"), s.lists());
        o.put("score", s.score());
    }

    private static Screening screening(JsonNode o) {
        if (o.isMissingNode() || o.isNull()) {
            return Screening.NOT_SCREENED;
        }
        return new Screening(o.path("status").asText(Screening.NOT_SCREENED_STATUS), strings(o.path("lists")),
                o.path("score").asDouble());
    }
}
