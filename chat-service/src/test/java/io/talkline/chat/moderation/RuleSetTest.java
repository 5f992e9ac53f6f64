package io.talkline.chat.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.talkline.commons.problem.Problem;
import io.talkline.commons.problem.ProblemException;

/** The rules that need no history: how text is normalised and matched, and how a rule set is checked. */
class RuleSetTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Rule rule(String id, String kind, Map<String, ?> params, String action) {
        return new Rule(id, kind, JSON.valueToTree(params), action, "mute".equals(action) ? 60 : null, null);
    }

    private static List<String> hits(RuleSet rules, String body) {
        return rules.check(body).stream().map(hit -> hit.rule().id()).toList();
    }

    @Test
    void blockedWordsMatchInDisguiseButNotInsideOtherWords() {
        RuleSet rules = RuleSet.compile(1, List.of(rule("bad", "words", Map.of("words", List.of("bad", "Spam Bot")), "hide")));
        for (String disguised : List.of("this is bad", "BAD!", "b.a.d", "b a d", "b-a_d", "ba d", "ｂａｄ", "bád",
                "b\u200Bad", "bаd" /* Cyrillic а */, "ВАD" /* Cyrillic В and А */, "spam bot", "spambot", "S.P.A.M-B.O.T")) {
            assertEquals(List.of("bad"), hits(rules, disguised), disguised);
        }
        for (String clean : List.of("badge", "abad", "a bead", "baddy", "spam", "bots", "", "   ")) {
            assertEquals(List.of(), hits(rules, clean), clean);
        }
        assertEquals("bad: blocked word \"bad\"", rules.check("so b.a.d").getFirst().reason());
    }

    @Test
    void patternsSeeTheNormalisedText() {
        RuleSet rules = RuleSet.compile(1,
                List.of(rule("phone", "words", Map.of("patterns", List.of("\\bcall me at \\d{6,}")), "flag")));
        assertEquals(List.of("phone"), hits(rules, "Call   me, at 0123456789!"));
        assertEquals(List.of(), hits(rules, "call me later"));
    }

    @Test
    void linksAreCountedAndListedDomainsFoundWithTheirSubdomains() {
        RuleSet rules = RuleSet.compile(1, List.of(rule("many", "links", Map.of("maxLinks", 2), "flag"),
                rule("listed", "links", Map.of("domains", List.of("spam.example")), "hide")));
        assertEquals(List.of(), hits(rules, "see https://a.example/x and www.b.example"));
        assertEquals(List.of("many"), hits(rules, "http://a.example https://b.example/y www.c.example"));
        assertEquals(List.of("listed"), hits(rules, "cheap at https://shop.SPAM.example/deal"));
        assertEquals(List.of("listed"), hits(rules, "go to spam.example now"));
        assertEquals(List.of(), hits(rules, "notspam.example.org and spam.examples"));
    }

    @Test
    void aThousandWordsStillCostALookupPerRunOfTokens() {
        List<String> words = new ArrayList<>(IntStream.range(0, 1000).mapToObj(i -> "blocked" + i).toList());
        RuleSet rules = RuleSet.compile(1, List.of(rule("many", "words", Map.of("words", words), "flag")));
        assertEquals(List.of("many"), hits(rules, "this one is b-l-o-c-k-e-d 9 9 9"));
        assertEquals(List.of(), hits(rules, "nothing to see ".repeat(200)));
    }

    @Test
    void aWrongRuleIsRefusedNamingEveryFieldAtFault() {
        ProblemException refused = assertThrows(ProblemException.class, () -> RuleSet.compile(1, List.of(
                rule("ok", "flood", Map.of("maxMessages", 5, "windowSeconds", 10), "mute"),
                rule("ok", "links", Map.of("maxLinks", -1), "flag"),
                new Rule("w", "words", JSON.valueToTree(Map.of("words", List.of("fine", "  "), "patterns", List.of("(("))),
                        "shout", 5, "everywhere"),
                rule("k", "other", Map.of(), "flag"),
                rule("r", "repeat", Map.of("minRooms", 1, "windowSeconds", 60, "extra", true), "flag"))));
        assertEquals(400, refused.status());
        List<String> fields = refused.errors().stream().map(Problem.FieldError::field).toList();
        assertEquals(List.of("rules[1].id", "rules[1].params.maxLinks", "rules[2].action", "rules[2].muteSeconds",
                "rules[2].muteScope", "rules[2].params.words[1]", "rules[2].params.patterns[0]", "rules[3].kind",
                "rules[4].params.extra", "rules[4].params.minRooms"), fields);
        assertTrue(RuleSet.compile(2, List.of()).rules().isEmpty());
    }

    @Test
    void muteRulesNeedADurationAndDefaultToTheRoom() {
        RuleSet rules = RuleSet.compile(1, List.of(rule("f", "flood", Map.of("maxMessages", 5, "windowSeconds", 10), "mute")));
        assertEquals("room", rules.rules().getFirst().muteScope());
        assertEquals(5, rules.floods().getFirst().limit());
        assertEquals(10_000, rules.floods().getFirst().windowMillis());
        assertThrows(ProblemException.class, () -> RuleSet.compile(1,
                List.of(new Rule("f", "flood", JSON.valueToTree(Map.of("maxMessages", 5, "windowSeconds", 10)), "mute",
                        null, null))));
    }
}
