package dev.clearance.bench.decide;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.AuthorizationSuccessResponse;
import com.cedarpolicy.model.entity.Entity;
import com.cedarpolicy.model.exception.AuthException;
import com.cedarpolicy.model.policy.Policy;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.value.CedarList;
import com.cedarpolicy.value.CedarMap;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import com.cedarpolicy.value.PrimBool;
import com.cedarpolicy.value.PrimLong;
import com.cedarpolicy.value.PrimString;
import com.cedarpolicy.value.Value;
import dev.clearance.core.Directive;
import dev.clearance.core.Glob;
import dev.clearance.core.Principal;
import dev.clearance.core.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The benchmark's directives as Cedar policies, evaluated by cedar-java (native Cedar through JNI).
 *
 * <p>Translation: a baseline {@code permit}; each enforce-mode directive becomes a {@code forbid}
 * (forbid overrides permit, like a hit denies); each shadow directive a {@code permit} that can never
 * change the outcome and shows up in the reasons of an allow. The effective window and request time
 * are epoch milliseconds in {@code context.time}; model globs are {@code like} patterns (same
 * {@code *} semantics). What Cedar cannot say directly, and how the adapter says it instead:
 * <ul>
 *   <li>"some requested capability matches a glob" — Cedar has no quantifier over a set and
 *       {@code like} takes a literal pattern, so each capability glob is expanded over the known
 *       capability vocabulary into {@code containsAny([...])};
 *   <li>license exemptions ("holds a license of type T valid at the request time covering the
 *       model") — no quantifier over a set of records, so the adapter computes the license types in
 *       force for this request and passes them as {@code context.licenses_in_force};
 *   <li>fail closed — Cedar skips a policy whose evaluation errors (for a forbid that fails open);
 *       the generated conditions never error, so this difference is not exercised.
 * </ul>
 */
public final class CedarEngine {
    private static final EntityTypeName PRINCIPAL =
            EntityTypeName.parse("Clearance::Principal").orElseThrow();
    private static final EntityUID ACTION =
            new EntityUID(EntityTypeName.parse("Clearance::Action").orElseThrow(), "invoke");
    private static final EntityTypeName MODEL =
            EntityTypeName.parse("Clearance::Model").orElseThrow();
    static final String BASELINE = "baseline";

    private final BasicAuthorizationEngine engine = new BasicAuthorizationEngine();
    private final PolicySet policies;

    /** The allow/deny and the determining policy ids (forbid ids on deny; shadow permits on allow). */
    public record Answer(boolean allowed, Set<String> reasons) {}

    public CedarEngine(List<Workload.GeneratedDirective> directives) {
        try {
            Set<Policy> set = new LinkedHashSet<>();
            policyTexts(directives).forEach((id, text) -> set.add(new Policy(text, id)));
            this.policies = new PolicySet(set);
            policies.cache(); // parsed once on the native side, referred to by key on every call
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the Cedar policy set: " + e.getMessage(), e);
        }
    }

    /** Policy id (the directive id, or {@link #BASELINE}) to Cedar text. */
    static Map<String, String> policyTexts(List<Workload.GeneratedDirective> directives) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(BASELINE, "permit (principal, action, resource);");
        for (Workload.GeneratedDirective g : directives) {
            Directive d = g.directive();
            List<String> when = new ArrayList<>();
            when.add("context.time >= " + d.effectiveFrom().toEpochMilli());
            if (d.effectiveUntil() != null) {
                when.add("context.time < " + d.effectiveUntil().toEpochMilli());
            }
            when.add(d.models().stream()
                    .map(m -> "context.model like \"" + m + "\"")
                    .collect(Collectors.joining(" || ", "(", ")")));
            if (!d.capabilities().contains("*")) {
                List<String> expanded = Workload.CAPABILITIES.stream()
                        .filter(c -> d.capabilities().stream().anyMatch(glob -> Glob.matches(glob, c)))
                        .map(c -> "\"" + c + "\"")
                        .toList();
                when.add("context.capabilities.containsAny([" + String.join(", ", expanded) + "])");
            }
            when.add(g.condition().cedar());
            if (!d.exemptLicenses().isEmpty()) {
                when.add("!context.licenses_in_force.containsAny(["
                        + d.exemptLicenses().stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(", "))
                        + "])");
            }
            out.put(
                    d.id(),
                    (d.mode() == Directive.Mode.SHADOW ? "permit" : "forbid")
                            + " (principal, action, resource) when {\n  " + String.join(" &&\n  ", when) + "\n};");
        }
        return out;
    }

    /** The principal as a Cedar entity; built once per principal, like the core's {@code PrincipalFacts}. */
    public static Entity entity(Principal p) {
        Map<String, Value> a = new HashMap<>();
        a.put("us_person", new PrimBool(p.usPerson()));
        a.put("kind", new PrimString(p.kind().wireName()));
        a.put("citizenships", strings(p.citizenships()));
        a.put("residence_country", new PrimString(p.residenceCountry()));
        a.put("incorporated_in", new PrimString(p.incorporatedIn()));
        a.put("organization", new PrimString(p.organization()));
        a.put("identity_assurance", new PrimLong(p.identityAssurance()));
        Map<String, Value> attributes = new HashMap<>();
        p.attributes().forEach((k, v) -> attributes.put(k, new PrimString(v)));
        a.put("attributes", new CedarMap(attributes));
        a.put(
                "screening",
                new CedarMap(Map.of("status", new PrimString(p.screening().status()))));
        return new Entity(new EntityUID(PRINCIPAL, p.id()), a, Set.of());
    }

    public Answer decide(Principal p, Entity principal, Request r) {
        Map<String, Value> context = new HashMap<>();
        context.put("model", new PrimString(r.model()));
        context.put("capabilities", strings(r.capabilities()));
        context.put("time", new PrimLong(r.time().toEpochMilli()));
        context.put("country", new PrimString(r.country()));
        context.put("licenses_in_force", strings(Workload.licenseTypesInForce(p, r)));
        AuthorizationRequest request =
                new AuthorizationRequest(principal.getEUID(), ACTION, new EntityUID(MODEL, r.model()), context);
        AuthorizationResponse response;
        try {
            response = engine.isAuthorized(request, policies, Set.of(principal));
        } catch (AuthException e) {
            throw new IllegalStateException("Cedar failed: " + e.getMessage(), e);
        }
        AuthorizationSuccessResponse success =
                response.success.orElseThrow(() -> new IllegalStateException("Cedar failed: " + response.errors));
        if (!success.getErrors().isEmpty()) {
            throw new IllegalStateException("Cedar evaluation errors: " + success.getErrors());
        }
        return new Answer(success.isAllowed(), success.getReason());
    }

    private static CedarList strings(java.util.Collection<String> l) {
        List<Value> v = new ArrayList<>(l.size());
        for (String s : l) {
            v.add(new PrimString(s));
        }
        return new CedarList(v);
    }
}
