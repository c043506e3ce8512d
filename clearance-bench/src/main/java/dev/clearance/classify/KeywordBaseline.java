package dev.clearance.classify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The reference point a classifier has to beat: a keyword deny list, as an AI gateway's prompt
 * guard applies it (Kong's AI Prompt Guard matches configured regular expressions against the
 * prompt). One case-insensitive pattern list per capability; a capability scores 1 when any of its
 * patterns occurs in any text part, else 0.
 */
final class KeywordBaseline {
    static final Map<String, List<String>> PATTERNS = patterns();

    private final Map<String, Pattern> compiled = new LinkedHashMap<>();

    KeywordBaseline() {
        PATTERNS.forEach((c, words) ->
                compiled.put(c, Pattern.compile("\\b(?:" + String.join("|", words) + ")", Pattern.CASE_INSENSITIVE)));
    }

    Map<String, Double> scores(Input input) {
        Map<String, Double> out = new LinkedHashMap<>();
        compiled.forEach((c, p) -> out.put(
                c,
                input.parts().stream()
                                .anyMatch(part -> part instanceof Input.Part.Text t
                                        && p.matcher(t.text()).find())
                        ? 1.0
                        : 0.0));
        return out;
    }

    private static Map<String, List<String>> patterns() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put(
                "offensive-cyber",
                List.of(
                        "keylogger",
                        "ransomware",
                        "malware",
                        "trojan",
                        "rootkit",
                        "botnet",
                        "backdoor",
                        "reverse shell",
                        "exploit",
                        "zero[- ]day",
                        "shellcode",
                        "payload",
                        "phishing",
                        "credential[s]? (?:harvest|steal|dump)",
                        "steal (?:passwords|credentials|cookies)",
                        "mimikatz",
                        "lsass",
                        "pass[- ]the[- ]hash",
                        "brute[- ]?forc",
                        "ddos",
                        "denial[- ]of[- ]service",
                        "sql injection",
                        "bypass (?:antivirus|av|edr|defender|the firewall|2fa|mfa)",
                        "evade (?:antivirus|av|edr|detection)",
                        "undetectable",
                        "hack into",
                        "hacking into",
                        "break into (?:a|the|my|his|her|their) (?:account|network|server|system|computer)",
                        "crypto ?miner",
                        "privilege escalation",
                        "command[- ]and[- ]control",
                        "c2 server",
                        "exfiltrat",
                        "wiper"));
        m.put(
                "cbrn",
                List.of(
                        "sarin",
                        "soman",
                        "tabun",
                        "vx",
                        "novichok",
                        "nerve agent",
                        "mustard gas",
                        "sulfur mustard",
                        "chlorine gas",
                        "phosgene",
                        "chemical weapon",
                        "biological weapon",
                        "bioweapon",
                        "anthrax",
                        "bacillus anthracis",
                        "ricin",
                        "botulinum",
                        "smallpox",
                        "variola",
                        "ebola",
                        "plague",
                        "yersinia pestis",
                        "gain[- ]of[- ]function",
                        "select agent",
                        "weaponi[sz]",
                        "aerosoli[sz]e",
                        "dirty bomb",
                        "radiological",
                        "enrich(?:ed|ing)? uranium",
                        "highly enriched",
                        "plutonium",
                        "nuclear (?:bomb|weapon|device)",
                        "implosion (?:lens|design)",
                        "cesium-137|caesium-137|cobalt-60"));
        return m;
    }
}
