package dev.clearance.bench.decide;

import com.googlecode.aviator.runtime.type.AviatorBoolean;
import com.googlecode.aviator.runtime.type.AviatorNil;
import com.googlecode.aviator.runtime.type.AviatorObject;
import com.googlecode.aviator.runtime.type.AviatorString;
import dev.clearance.core.Directive;
import dev.clearance.core.Glob;
import dev.clearance.core.Principal;
import dev.clearance.core.Request;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.casbin.jcasbin.main.Enforcer;
import org.casbin.jcasbin.model.Model;
import org.casbin.jcasbin.util.function.CustomFunction;

/**
 * The benchmark's directives as a jCasbin ABAC model, in one of two forms:
 * <ul>
 *   <li>{@link #withEval}: the idiomatic ABAC form, directives as data. One policy line per directive
 *       whose rule is evaluated with {@code eval(p.rule)}, a deny-override effect
 *       ({@code !some(where (p.eft == deny))}), enforce-mode directives as {@code deny} lines and shadow
 *       directives as {@code allow} lines (they never change the outcome; Casbin reports no list of
 *       matching lines, so shadow hits are not reported). jCasbin hands each {@code eval()} rule to
 *       Aviator as source text, which compiles it again on every evaluation.
 *   <li>{@link #withInlinedMatcher}: every enforce-mode rule written into the matcher itself,
 *       {@code m = !(rule1 || rule2 || ...)}, over a single policy line: compiled once and cached,
 *       so it measures Casbin's evaluator rather than Aviator's compiler. Shadow directives are left
 *       out (nothing could report them), so it does less work than the other engines.
 * </ul>
 *
 * <p>What jCasbin cannot express, and how the adapter says it instead: jCasbin rejects
 * AviatorScript's {@code seq.*} functions and lambdas inside {@code eval()} ("not part of Casbin's
 * standard specification"), so there is no quantifier over a list and no map lookup. Three custom
 * matcher functions, registered with {@code addFunction} (Casbin's extension point), fill the gap:
 * {@code containsAny(list, tuple)}, {@code anyGlob(list, glob)} and {@code attribute(map, key)}
 * (nil when absent). License exemptions use the license types in force computed per request (as for
 * Cedar). Evaluation errors make a line not match (fail open); the generated rules never error.
 */
public final class CasbinEngine {
    private static final String EVAL_MODEL = """
            [request_definition]
            r = sub, model, caps, time, country, lic
            [policy_definition]
            p = rule, id, eft
            [policy_effect]
            e = !some(where (p.eft == deny))
            [matchers]
            m = eval(p.rule)
            """;
    private static final String INLINED_MODEL = """
            [request_definition]
            r = sub, model, caps, time, country, lic
            [policy_definition]
            p = id
            [policy_effect]
            e = some(where (p.eft == allow))
            [matchers]
            m = %s
            """;

    private final Enforcer enforcer;

    /** The principal as Casbin's ABAC matcher reads it (bean properties); built once per principal. */
    public record Subject(
            boolean usPerson,
            String kind,
            List<String> citizenships,
            String residenceCountry,
            String incorporatedIn,
            String organization,
            long identityAssurance,
            Map<String, String> attributes,
            String screeningStatus) {
        public static Subject of(Principal p) {
            return new Subject(
                    p.usPerson(),
                    p.kind().wireName(),
                    p.citizenships(),
                    p.residenceCountry(),
                    p.incorporatedIn(),
                    p.organization(),
                    p.identityAssurance(),
                    p.attributes(),
                    p.screening().status());
        }

        // Aviator reads JavaBean getters.
        public boolean isUsPerson() {
            return usPerson;
        }

        public String getKind() {
            return kind;
        }

        public List<String> getCitizenships() {
            return citizenships;
        }

        public String getResidenceCountry() {
            return residenceCountry;
        }

        public String getIncorporatedIn() {
            return incorporatedIn;
        }

        public String getOrganization() {
            return organization;
        }

        public long getIdentityAssurance() {
            return identityAssurance;
        }

        public Map<String, String> getAttributes() {
            return attributes;
        }

        public String getScreeningStatus() {
            return screeningStatus;
        }
    }

    private CasbinEngine(Model model) {
        enforcer = new Enforcer(model);
        enforcer.enableLog(false);
        enforcer.addFunction("containsAny", new ContainsAny());
        enforcer.addFunction("anyGlob", new AnyGlob());
        enforcer.addFunction("attribute", new Attribute());
    }

    /** Directives as policy lines, each rule evaluated with {@code eval(p.rule)}. */
    public static CasbinEngine withEval(List<Workload.GeneratedDirective> directives) {
        CasbinEngine e = new CasbinEngine(Model.newModelFromString(EVAL_MODEL));
        List<List<String>> lines = new ArrayList<>();
        for (Workload.GeneratedDirective g : directives) {
            lines.add(List.of(
                    rule(g), g.directive().id(), g.directive().mode() == Directive.Mode.SHADOW ? "allow" : "deny"));
        }
        e.enforcer.addPolicies(lines);
        return e;
    }

    /** Enforce-mode rules inlined into one matcher over a single policy line. */
    public static CasbinEngine withInlinedMatcher(List<Workload.GeneratedDirective> directives) {
        String any = directives.stream()
                .filter(g -> g.directive().mode() == Directive.Mode.ENFORCE)
                .map(g -> "(" + rule(g) + ")")
                .collect(Collectors.joining(" || "));
        CasbinEngine e = new CasbinEngine(Model.newModelFromString(INLINED_MODEL.formatted("!(" + any + ")")));
        e.enforcer.addPolicy("directives");
        return e;
    }

    static String rule(Workload.GeneratedDirective g) {
        Directive d = g.directive();
        List<String> parts = new ArrayList<>();
        parts.add("r.time >= " + d.effectiveFrom().toEpochMilli());
        if (d.effectiveUntil() != null) {
            parts.add("r.time < " + d.effectiveUntil().toEpochMilli());
        }
        parts.add(d.models().stream()
                .map(m -> "globMatch(r.model, '" + m + "')")
                .collect(Collectors.joining(" || ", "(", ")")));
        if (!d.capabilities().contains("*")) {
            parts.add(d.capabilities().stream()
                    .map(c -> "anyGlob(r.caps, '" + c + "')")
                    .collect(Collectors.joining(" || ", "(", ")")));
        }
        parts.add(g.condition().casbin());
        if (!d.exemptLicenses().isEmpty()) {
            parts.add("!containsAny(r.lic, tuple("
                    + d.exemptLicenses().stream().map(t -> "'" + t + "'").collect(Collectors.joining(", ")) + "))");
        }
        return String.join(" && ", parts);
    }

    public boolean allowed(Principal p, Subject subject, Request r) {
        return enforcer.enforce(
                subject,
                r.model(),
                r.capabilities(),
                r.time().toEpochMilli(),
                r.country(),
                Workload.licenseTypesInForce(p, r));
    }

    /** {@code containsAny(list, tuple(...))}: some element of the list is one of the tuple's. */
    static final class ContainsAny extends CustomFunction {
        @Override
        public AviatorObject call(Map<String, Object> env, AviatorObject list, AviatorObject values) {
            Collection<?> l = (Collection<?>) list.getValue(env);
            Object[] v = (Object[]) values.getValue(env);
            for (Object x : v) {
                if (l.contains(x)) {
                    return AviatorBoolean.TRUE;
                }
            }
            return AviatorBoolean.FALSE;
        }

        @Override
        public String getName() {
            return "containsAny";
        }
    }

    /** {@code anyGlob(list, glob)}: some element matches the glob (the directive glob semantics). */
    static final class AnyGlob extends CustomFunction {
        @Override
        public AviatorObject call(Map<String, Object> env, AviatorObject list, AviatorObject glob) {
            String g = (String) glob.getValue(env);
            for (Object x : (Collection<?>) list.getValue(env)) {
                if (Glob.matches(g, (String) x)) {
                    return AviatorBoolean.TRUE;
                }
            }
            return AviatorBoolean.FALSE;
        }

        @Override
        public String getName() {
            return "anyGlob";
        }
    }

    /** {@code attribute(map, key)}: the value, or nil when the key is absent (compares unequal to any string). */
    static final class Attribute extends CustomFunction {
        @Override
        public AviatorObject call(Map<String, Object> env, AviatorObject map, AviatorObject key) {
            Object v = ((Map<?, ?>) map.getValue(env)).get(key.getValue(env));
            return v == null ? AviatorNil.NIL : new AviatorString((String) v);
        }

        @Override
        public String getName() {
            return "attribute";
        }
    }
}
