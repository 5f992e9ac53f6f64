package io.talkline.chat.moderation;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.talkline.chat.config.ChatConfig;
import io.talkline.chat.message.Message;
import io.talkline.chat.message.MessageService;
import io.talkline.chat.message.MessageView;
import io.talkline.chat.moderation.ModerationViews.CasePage;
import io.talkline.chat.moderation.ModerationViews.CaseView;
import io.talkline.chat.realtime.Fanout;
import io.talkline.chat.room.Caller;
import io.talkline.commons.events.AuditLog;
import io.talkline.commons.events.EventEnvelope;
import io.talkline.commons.events.OutboxWriter;
import io.talkline.commons.events.Topics;
import io.talkline.commons.problem.ProblemException;

/**
 * Cases: a rule hit or a report opens one for its message, or joins the one open for it (one open
 * case per message, by a unique key, so two instances never open two); moderators read them and act
 * on them. Changes go out, after commit, as {@code moderation.case.opened/updated} frames to
 * moderators' sockets and {@code case.opened/resolved} events on moderation.events.v1.
 */
@ApplicationScoped
public class CaseService {

    public static final int PAGE_MAX = 100;
    static final int REASONS_KEPT = 100;
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    /** A moderator's action on a case (POST …/actions). */
    public record Action(String action, Integer durationSeconds, String scope, String note) {
    }

    private final EntityManager em;
    private final ObjectMapper json;
    private final OutboxWriter outbox;
    private final AuditLog audit;
    private final Fanout fanout;
    private final MessageService messages;
    private final MuteService mutes;
    private final AccountDisabler accounts;
    private final ChatConfig config;
    private final MeterRegistry metrics;
    private final Clock clock = Clock.systemUTC();

    public CaseService(EntityManager em, ObjectMapper json, OutboxWriter outbox, AuditLog audit, Fanout fanout,
            MessageService messages, MuteService mutes, AccountDisabler accounts, ChatConfig config,
            MeterRegistry metrics) {
        this.em = em;
        this.json = json;
        this.outbox = outbox;
        this.audit = audit;
        this.fanout = fanout;
        this.messages = messages;
        this.mutes = mutes;
        this.accounts = accounts;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * The rules a message (one version of it) hit, in one transaction: the hits not seen before
     * open or join its case, hide it, mute its sender. A record consumed again finds its hits
     * stored and changes nothing. A message that no longer exists (its room was deleted) is passed by.
     *
     * @param version "created", or the time of the edit the event reports
     */
    public void onHits(MessageView message, String version, List<Hit> hits) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (Message.findById(message.id()) == null) {
                return;
            }
            List<Hit> fresh = new ArrayList<>();
            for (Hit hit : hits) {
                int stored = em.createNativeQuery("insert ignore into moderation_hits (message_id, version, rule_id, "
                        + "created_at) values (?1, ?2, ?3, current_timestamp(3))").setParameter(1, message.id())
                        .setParameter(2, version).setParameter(3, hit.rule().id()).executeUpdate();
                if (stored == 1) {
                    fresh.add(hit);
                }
            }
            if (fresh.isEmpty()) {
                return;
            }
            ModerationCase opened = join("rule", message.roomId(), message.id(), message.senderId(),
                    fresh.getFirst().rule().id(), fresh.stream().map(Hit::reason).toList(), 0, json.valueToTree(message));
            if (fresh.stream().anyMatch(hit -> hit.rule().hides())) {
                messages.hide(message.id(), null);
            }
            fresh.stream().filter(hit -> hit.rule().mutes())
                    .max(java.util.Comparator.comparing((Hit hit) -> hit.rule().global())
                            .thenComparing(hit -> hit.rule().muteSeconds()))
                    .ifPresent(hit -> mutes.add(null, message.senderId(), hit.rule().global() ? null : message.roomId(),
                            hit.rule().muteSeconds(), "rule " + hit.reason(), opened.id));
            for (Hit hit : fresh) {
                metrics.counter("talkline_moderation_rule_hits_total", "kind", hit.rule().kind(), "action",
                        hit.rule().action()).increment();
            }
        });
    }

    /** A member's first report of a message, in the report's transaction: opens or joins its case. */
    public void onReport(Message message, String reason) {
        join("report", message.roomId, message.id, message.senderId, null, List.of("report: " + reason), 1,
                json.valueToTree(MessageView.of(message, Map.of())));
    }

    /**
     * Opens the message's case or folds into the open one: reasons appended, reporters counted. The
     * insert and the fold are one statement on the open_key unique key, so concurrent reports and
     * hits on any instance meet in one case.
     */
    private ModerationCase join(String kind, String roomId, String messageId, String authorId, String ruleId,
            List<String> reasons, int reporters, JsonNode snapshot) {
        String id = UUID.randomUUID().toString();
        // times from the database clock: an Instant bound to a native query loses its milliseconds
        em.createNativeQuery("insert into moderation_cases (id, kind, status, open_key, room_id, message_id, author_id, "
                + "rule_id, reasons, reporter_count, message, created_at, updated_at) "
                + "values (?1, ?2, 'open', ?3, ?4, ?3, ?5, ?6, ?7, ?8, ?9, current_timestamp(3), current_timestamp(3)) "
                // a case keeps the first REASONS_KEPT reasons (a message reported by thousands stays readable)
                + "on duplicate key update reasons = if(json_length(reasons) < " + REASONS_KEPT
                + ", json_merge_preserve(reasons, ?7), reasons), "
                + "reporter_count = reporter_count + ?8, rule_id = coalesce(rule_id, ?6), updated_at = current_timestamp(3)")
                .setParameter(1, id).setParameter(2, kind).setParameter(3, messageId).setParameter(4, roomId)
                .setParameter(5, authorId).setParameter(6, ruleId).setParameter(7, write(reasons))
                .setParameter(8, reporters).setParameter(9, write(snapshot)).executeUpdate();
        ModerationCase joined = ModerationCase.<ModerationCase> find("openKey", messageId).firstResult();
        boolean opened = joined.id.equals(id);
        CaseView view = view(joined, null);
        if (opened) {
            outbox.append(Topics.MODERATION, roomId, EventEnvelope.of("case.opened", null, json.valueToTree(view), clock));
        }
        fanout.toModeratorsAfterCommit(fanout.frame(opened ? "moderation.case.opened" : "moderation.case.updated", "case",
                view));
        return joined;
    }

    /** Newest first, by opaque cursor. */
    @Transactional
    public CasePage list(String status, String kind, String roomId, int limit, String cursor) {
        if (status != null && !List.of("open", "resolved").contains(status)) {
            throw ProblemException.badRequest("status", "open or resolved");
        }
        if (kind != null && !List.of("rule", "report").contains(kind)) {
            throw ProblemException.badRequest("kind", "rule or report");
        }
        if (limit < 1 || limit > PAGE_MAX) {
            throw ProblemException.badRequest("limit", "between 1 and " + PAGE_MAX);
        }
        StringBuilder query = new StringBuilder("1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (status != null) {
            query.append(" and status = :status");
            params.put("status", status);
        }
        if (kind != null) {
            query.append(" and kind = :kind");
            params.put("kind", kind);
        }
        if (roomId != null) {
            query.append(" and roomId = :room");
            params.put("room", roomId);
        }
        if (cursor != null) {
            // compared in the database: a time bound from here would lose its milliseconds
            query.append(" and (createdAt < (select c.createdAt from ModerationCase c where c.id = :after) or "
                    + "(createdAt = (select c.createdAt from ModerationCase c where c.id = :after) and id < :after))");
            params.put("after", cursor(cursor));
        }
        List<ModerationCase> rows = ModerationCase.<ModerationCase> find(query + " order by createdAt desc, id desc",
                params).page(0, limit + 1).list();
        boolean more = rows.size() > limit;
        rows = rows.subList(0, Math.min(limit, rows.size()));
        String next = more ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString(rows.getLast().id.getBytes(StandardCharsets.UTF_8)) : null;
        return new CasePage(rows.stream().map(c -> view(c, null)).toList(), next);
    }

    /** The case a page ends with (an opaque cursor). */
    private static String cursor(String cursor) {
        try {
            String after = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (after.isEmpty() || after.length() > 36) {
                throw new IllegalArgumentException();
            }
            return after;
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("cursor", "not a cursor this API gave out");
        }
    }

    /** One case with the messages around its message (as they are now). */
    @Transactional
    public CaseView read(String caseId) {
        ModerationCase found = ModerationCase.findById(caseId);
        if (found == null) {
            throw ProblemException.notFound("No such case");
        }
        return view(found, context(found));
    }

    private List<MessageView> context(ModerationCase found) {
        long seq = snapshot(found).path("seq").asLong(0);
        int around = config.moderation().context();
        List<Message> rows = Message.<Message> find("roomId = ?1 and seq >= ?2 and seq <= ?3 and id <> ?4 order by seq",
                found.roomId, seq - around, seq + around, found.messageId).list();
        return rows.stream().map(m -> MessageView.of(m, Map.of())).toList();
    }

    /** A moderator resolves a case: dismiss, delete the message, mute the author, or disable the account. */
    public CaseView act(Caller moderator, String caseId, Action action) {
        String what = action.action();
        if (what == null || !List.of("dismiss", "delete_message", "mute_user", "disable_user").contains(what)) {
            throw ProblemException.badRequest("action", "one of dismiss, delete_message, mute_user, disable_user");
        }
        String scope = action.scope() == null ? "room" : action.scope();
        if (!List.of("room", "global").contains(scope)) {
            throw ProblemException.badRequest("scope", "room or global");
        }
        if ("mute_user".equals(what)) {
            if (action.durationSeconds() == null || action.durationSeconds() < 1
                    || action.durationSeconds() > MuteService.MOST_SECONDS) {
                throw ProblemException.badRequest("durationSeconds",
                        "mute_user needs 1 to " + MuteService.MOST_SECONDS + " seconds");
            }
        }
        String note = action.note() == null || action.note().isBlank() ? null : action.note().strip();
        if ("disable_user".equals(what)) {
            // auth-service first, with the moderator's token (it decides); the case is resolved only once it did
            ModerationCase open = QuarkusTransaction.requiringNew().call(() -> openCase(caseId, false));
            accounts.disable(moderator, open.authorId, note == null ? "moderation case " + caseId : note);
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            ModerationCase found = openCase(caseId, true);
            switch (what) {
                case "delete_message" -> messages.hide(found.messageId, moderator.userId());
                case "mute_user" -> mutes.add(moderator.userId(), found.authorId, "room".equals(scope) ? found.roomId : null,
                        action.durationSeconds(), note == null ? "moderation case " + caseId : note, caseId);
                default -> {
                }
            }
            Instant now = clock.instant();
            found.status = "resolved";
            found.openKey = null;
            found.resolvedAt = now;
            found.resolvedBy = moderator.userId();
            found.action = what;
            found.note = note;
            found.updatedAt = now;
            CaseView view = view(found, null);
            outbox.append(Topics.MODERATION, found.roomId,
                    EventEnvelope.of("case.resolved", moderator.userId(), json.valueToTree(view), clock));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("caseId", caseId);
            data.put("action", what);
            data.put("note", note);
            data.put("roomId", found.roomId);
            data.put("messageId", found.messageId);
            data.put("authorId", found.authorId);
            if ("mute_user".equals(what)) {
                data.put("durationSeconds", action.durationSeconds());
                data.put("scope", scope);
            }
            audit.record("moderation.action.taken", moderator.userId(), found.roomId, data);
            fanout.toModeratorsAfterCommit(fanout.frame("moderation.case.updated", "case", view));
            return view;
        });
    }

    private ModerationCase openCase(String caseId, boolean lock) {
        if (lock) {
            // a plain FOR UPDATE: Hibernate's MySQL dialect writes "for update of", which MariaDB refuses
            em.createNativeQuery("select id from moderation_cases where id = ?1 for update").setParameter(1, caseId)
                    .getResultList();
        }
        ModerationCase found = ModerationCase.findById(caseId);
        if (found == null) {
            throw ProblemException.notFound("No such case");
        }
        if (!"open".equals(found.status)) {
            throw ProblemException.conflict("The case was resolved already (" + found.action + ")");
        }
        return found;
    }

    private CaseView view(ModerationCase c, List<MessageView> context) {
        try {
            return new CaseView(c.id, c.kind, c.status, c.roomId, c.messageId, c.authorId, c.ruleId,
                    json.readValue(c.reasons, STRINGS), c.reporterCount, c.createdAt, c.updatedAt, c.resolvedAt,
                    c.resolvedBy, c.action, c.note, snapshot(c), context);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("case " + c.id + " has unreadable reasons", e);
        }
    }

    private JsonNode snapshot(ModerationCase c) {
        try {
            return json.readTree(c.message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("case " + c.id + " has an unreadable message", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
