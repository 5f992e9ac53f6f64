package io.talkline.chat.moderation;

import java.net.IDN;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;

import io.talkline.commons.problem.Problem;
import io.talkline.commons.problem.ProblemException;

/**
 * A validated rule set, compiled for checking: blocked words as a hash set of their normalised
 * forms (a message costs a lookup per run of tokens, however many words there are), patterns as
 * compiled regular expressions, and the limits of the link, flood and repeat rules. Immutable; an
 * instance swaps in a new one when the rules change.
 */
public final class RuleSet {

    public static final int MAX_RULES = 100;
    public static final int MAX_WORDS = 10_000;
    public static final int MAX_PATTERNS = 200;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern LINK = Pattern.compile("(?:https?://|www\\.)[^\\s<>\"']+", Pattern.CASE_INSENSITIVE);
    private static final Pattern HOST = Pattern
            .compile("(?<![\\w@.-])((?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?\\.)+\\p{L}{2,24})(?![\\w-])");

    /** The rule limits a flood or repeat rule puts on a sender; checked in Redis (RateWindows). */
    public record Window(Rule rule, int limit, long windowMillis, int minLength) {
    }

    private record Words(Rule rule, Set<String> keys, Map<String, String> original, int longest, List<Pattern> patterns) {
    }

    private record Links(Rule rule, Integer maxLinks, List<String> domains) {
    }

    private final long version;
    private final List<Rule> rules;
    private final List<Words> words = new ArrayList<>();
    private final List<Links> links = new ArrayList<>();
    private final List<Window> floods = new ArrayList<>();
    private final List<Window> repeats = new ArrayList<>();

    private RuleSet(long version, List<Rule> rules) {
        this.version = version;
        this.rules = List.copyOf(rules);
    }

    public long version() {
        return version;
    }

    public List<Rule> rules() {
        return rules;
    }

    public List<Window> floods() {
        return floods;
    }

    public List<Window> repeats() {
        return repeats;
    }

    /** The rules as given, checked: 400 naming every field at fault ({@code rules[2].params.maxLinks}). */
    public static RuleSet compile(long version, List<Rule> given) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (given == null) {
            throw ProblemException.badRequest("rules", "must be a list (empty for none)");
        }
        if (given.size() > MAX_RULES) {
            throw ProblemException.badRequest("rules", "at most " + MAX_RULES + " rules");
        }
        RuleSet set = new RuleSet(version, given.stream().map(RuleSet::withDefaults).toList());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < set.rules.size(); i++) {
            Rule rule = set.rules.get(i);
            String at = "rules[" + i + "]";
            if (rule == null) {
                errors.add(new Problem.FieldError(at, "must be a rule object"));
                continue;
            }
            if (rule.id() == null || !ID.matcher(rule.id()).matches()) {
                errors.add(new Problem.FieldError(at + ".id", "1 to 64 letters, digits, '.', '_' or '-'"));
            } else if (!ids.add(rule.id())) {
                errors.add(new Problem.FieldError(at + ".id", "used by another rule"));
            }
            if (rule.action() == null || !List.of("flag", "hide", "mute").contains(rule.action())) {
                errors.add(new Problem.FieldError(at + ".action", "one of flag, hide, mute"));
            }
            if (rule.mutes()) {
                if (rule.muteSeconds() == null || rule.muteSeconds() < 1 || rule.muteSeconds() > 31_536_000) {
                    errors.add(new Problem.FieldError(at + ".muteSeconds", "a mute rule needs 1 to 31536000 seconds"));
                }
            } else if (rule.muteSeconds() != null) {
                errors.add(new Problem.FieldError(at + ".muteSeconds", "only for action mute"));
            }
            if (!List.of("room", "global").contains(rule.muteScope())) {
                errors.add(new Problem.FieldError(at + ".muteScope", "room or global"));
            }
            JsonNode params = rule.params();
            if (params == null || !params.isObject()) {
                errors.add(new Problem.FieldError(at + ".params", "must be an object"));
                continue;
            }
            Params p = new Params(params, at + ".params", errors);
            switch (rule.kind() == null ? "" : rule.kind()) {
                case "words" -> set.words(rule, p);
                case "links" -> set.links(rule, p);
                case "flood" -> {
                    p.allow("maxMessages", "windowSeconds");
                    int max = p.integer("maxMessages", 1, 1000, null);
                    int window = p.integer("windowSeconds", 1, 3600, null);
                    set.floods.add(new Window(rule, max, window * 1000L, 0));
                }
                case "repeat" -> {
                    p.allow("minRooms", "windowSeconds", "minLength");
                    int rooms = p.integer("minRooms", 2, 100, null);
                    int window = p.integer("windowSeconds", 1, 86_400, null);
                    int minLength = p.integer("minLength", 1, 4000, 10);
                    set.repeats.add(new Window(rule, rooms, window * 1000L, minLength));
                }
                default -> errors.add(new Problem.FieldError(at + ".kind", "one of words, links, flood, repeat"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(400, Problem.VALIDATION, "Validation failed",
                    errors.getFirst().field() + ": " + errors.getFirst().message(), errors);
        }
        return set;
    }

    private static Rule withDefaults(Rule rule) {
        return rule == null || rule.muteScope() != null ? rule
                : new Rule(rule.id(), rule.kind(), rule.params(), rule.action(), rule.muteSeconds(), "room");
    }

    private void words(Rule rule, Params p) {
        p.allow("words", "patterns");
        List<String> given = p.strings("words", MAX_WORDS, 200);
        List<String> patterns = p.strings("patterns", MAX_PATTERNS, 500);
        if (!p.has("words") && !p.has("patterns")) {
            p.error("words", "a words rule needs words or patterns");
        }
        Set<String> keys = new HashSet<>();
        Map<String, String> original = new HashMap<>();
        int longest = 0;
        for (int i = 0; i < given.size(); i++) {
            if (given.get(i) == null) {
                continue;
            }
            String key = NormalizedText.of(given.get(i)).collapsed();
            if (key.isEmpty()) {
                p.error("words[" + i + "]", "has no letter or digit");
                continue;
            }
            keys.add(key);
            original.putIfAbsent(key, given.get(i));
            longest = Math.max(longest, key.length());
        }
        List<Pattern> compiled = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            if (patterns.get(i) == null) {
                continue;
            }
            try {
                // the text is lower case already; ASCII case folding spares a pattern author the thought
                // (Unicode case folding made matching several times slower)
                compiled.add(Pattern.compile(patterns.get(i), Pattern.CASE_INSENSITIVE));
            } catch (PatternSyntaxException e) {
                p.error("patterns[" + i + "]", "not a regular expression: " + e.getDescription());
            }
        }
        words.add(new Words(rule, keys, original, longest, compiled));
    }

    private void links(Rule rule, Params p) {
        p.allow("maxLinks", "domains");
        Integer max = p.has("maxLinks") ? p.integer("maxLinks", 0, 1000, null) : null;
        List<String> domains = new ArrayList<>();
        List<String> given = p.strings("domains", 10_000, 253);
        for (int i = 0; i < given.size(); i++) {
            if (given.get(i) == null) {
                continue;
            }
            String domain = given.get(i).strip().toLowerCase(java.util.Locale.ROOT);
            try {
                domain = IDN.toUnicode(IDN.toASCII(domain));
            } catch (IllegalArgumentException e) {
                p.error("domains[" + i + "]", "not a domain name");
                continue;
            }
            if (!HOST.matcher(domain).matches()) {
                p.error("domains[" + i + "]", "not a domain name");
                continue;
            }
            domains.add(domain);
        }
        if (max == null && !p.has("domains")) {
            p.error("maxLinks", "a links rule needs maxLinks or domains");
        }
        links.add(new Links(rule, max, List.copyOf(domains)));
    }

    /** The word, pattern and link rules the text hits (flood and repeat need the sender's history: RateWindows). */
    public List<Hit> check(String body) {
        return check(body, NormalizedText.of(body));
    }

    /** The same, with the body normalised already (once per message for every rule). */
    public List<Hit> check(String body, NormalizedText text) {
        List<Hit> hits = new ArrayList<>();
        if (body == null || body.isBlank() || (words.isEmpty() && links.isEmpty())) {
            return hits;
        }
        if (!words.isEmpty()) {
            List<String> tokens = text.tokens();
            String joined = null;
            for (Words rule : words) {
                String found = blocked(rule, tokens);
                if (found == null && !rule.patterns().isEmpty()) {
                    joined = joined == null ? text.joined() : joined;
                    for (Pattern pattern : rule.patterns()) {
                        Matcher matcher = pattern.matcher(joined);
                        if (matcher.find()) {
                            found = "pattern " + pattern.pattern() + " matched \"" + matcher.group() + "\"";
                            break;
                        }
                    }
                }
                if (found != null) {
                    hits.add(new Hit(rule.rule(), found));
                }
            }
        }
        if (!links.isEmpty()) {
            String lower = NormalizedText.lower(body);
            int count = 0;
            List<String> hosts = new ArrayList<>();
            // most messages hold no dot at all: no link, no host name, no regular expression run
            if (lower.indexOf('.') >= 0 || lower.contains("://")) {
                Matcher link = LINK.matcher(lower);
                while (link.find()) {
                    count++;
                }
                Matcher host = HOST.matcher(lower);
                while (host.find()) {
                    hosts.add(host.group(1));
                }
            }
            for (Links rule : links) {
                if (rule.maxLinks() != null && count > rule.maxLinks()) {
                    hits.add(new Hit(rule.rule(), count + " links, more than " + rule.maxLinks()));
                    continue;
                }
                String listed = listed(hosts, rule.domains());
                if (listed != null) {
                    hits.add(new Hit(rule.rule(), "a link to " + listed));
                }
            }
        }
        return hits;
    }

    /** The first blocked word written as a run of whole tokens, or null. */
    private static String blocked(Words rule, List<String> tokens) {
        if (rule.keys().isEmpty()) {
            return null;
        }
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            run.setLength(0);
            for (int j = i; j < tokens.size(); j++) {
                run.append(tokens.get(j));
                if (run.length() > rule.longest()) {
                    break;
                }
                String key = run.toString();
                if (rule.keys().contains(key)) {
                    return "blocked word \"" + rule.original().get(key) + "\"";
                }
            }
        }
        return null;
    }

    private static String listed(List<String> hosts, List<String> domains) {
        for (String host : hosts) {
            for (String domain : domains) {
                if (host.equals(domain) || host.endsWith("." + domain)) {
                    return host;
                }
            }
        }
        return null;
    }

    /** Reads and checks one rule's params, collecting errors under their full field names. */
    private static final class Params {
        private final JsonNode node;
        private final String at;
        private final List<Problem.FieldError> errors;

        Params(JsonNode node, String at, List<Problem.FieldError> errors) {
            this.node = node;
            this.at = at;
            this.errors = errors;
        }

        void allow(String... names) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String name = it.next();
                if (!List.of(names).contains(name)) {
                    error(name, "unknown; this kind takes " + String.join(", ", names));
                }
            }
        }

        boolean has(String name) {
            return node.hasNonNull(name);
        }

        int integer(String name, int min, int max, Integer fallback) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                if (fallback == null) {
                    error(name, "required, " + min + " to " + max);
                    return min;
                }
                return fallback;
            }
            if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() < min || value.intValue() > max) {
                error(name, "a whole number from " + min + " to " + max);
                return min;
            }
            return value.intValue();
        }

        List<String> strings(String name, int most, int longest) {
            JsonNode value = node.get(name);
            List<String> strings = new ArrayList<>();
            if (value == null || value.isNull()) {
                return strings;
            }
            if (!value.isArray() || value.size() > most) {
                error(name, "a list of at most " + most + " strings");
                return strings;
            }
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                if (!item.isTextual() || item.asText().isBlank() || item.asText().length() > longest) {
                    error(name + "[" + i + "]", "a string of 1 to " + longest + " characters");
                    strings.add(null); // keeps the indices of the rest for their own errors
                } else {
                    strings.add(item.asText());
                }
            }
            return strings;
        }

        void error(String name, String message) {
            errors.add(new Problem.FieldError(at + "." + name, message));
        }
    }
}
