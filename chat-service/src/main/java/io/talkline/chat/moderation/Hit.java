package io.talkline.chat.moderation;

/** A rule that a message hit, and what it found there (for the case's reasons). */
public record Hit(Rule rule, String found) {

    public String reason() {
        return rule.id() + ": " + found;
    }
}
