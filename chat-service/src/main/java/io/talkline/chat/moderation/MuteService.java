package io.talkline.chat.moderation;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.talkline.chat.moderation.ModerationViews.MuteView;
import io.talkline.chat.room.Room;
import io.talkline.commons.events.AuditLog;
import io.talkline.commons.events.EventEnvelope;
import io.talkline.commons.events.OutboxWriter;
import io.talkline.commons.events.Topics;
import io.talkline.commons.problem.ProblemException;

/**
 * Mutes: added by a moderator or by a rule, lifted by a moderator or by time. A send checks for an
 * active mute in its own statement (MessageService), so a mute holds on every instance the moment
 * it commits. Each addition and lift is {@code mute.added} / {@code mute.lifted} on
 * moderation.events.v1 (keyed by the user) and an audit event.
 */
@ApplicationScoped
public class MuteService {

    public static final int MOST_SECONDS = 31_536_000;

    private final OutboxWriter outbox;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    public MuteService(OutboxWriter outbox, AuditLog audit, ObjectMapper json) {
        this.outbox = outbox;
        this.audit = audit;
        this.json = json;
    }

    /** When the user's latest active mute that covers the room ends, or null when they may send. */
    public Instant mutedUntil(String userId, String roomId) {
        Instant now = clock.instant();
        return Mute.<Mute> find("userId = ?1 and (roomId is null or roomId = ?2) and until > ?3 and liftedAt is null",
                userId, roomId, now).stream().map(m -> m.until).max(Comparator.naturalOrder()).orElse(null);
    }

    /** 403 for a muted sender: problem+json with {@code code: "muted"} and {@code until}. */
    public static ProblemException muted(Instant until) {
        return new ProblemException(403, "urn:talkline:problem:muted", "Muted",
                "You are muted here until " + until, List.of()).with("code", "muted").with("until", until.toString());
    }

    /** A moderator's mute (POST /api/moderation/mutes). */
    @Transactional
    public MuteView add(String moderatorId, String userId, String roomId, int seconds, String reason) {
        if (roomId != null && Room.findById(roomId) == null) {
            throw ProblemException.badRequest("roomId", "no such room");
        }
        return MuteView.of(add(moderatorId, userId, roomId, seconds, reason, null));
    }

    /**
     * A mute in the current transaction. A rule's mute (moderator null) that an active one already
     * covers — same scope or wider, lasting as long — adds nothing.
     */
    Mute add(String moderatorId, String userId, String roomId, int seconds, String reason, String caseId) {
        Instant now = clock.instant();
        Instant until = now.plusSeconds(seconds);
        if (moderatorId == null) {
            boolean covered = Mute.<Mute> find("userId = ?1 and (roomId is null or roomId = ?2) and until >= ?3 "
                    + "and liftedAt is null", userId, roomId, until).firstResultOptional().isPresent();
            if (covered) {
                return null;
            }
        }
        Mute mute = new Mute();
        mute.id = UUID.randomUUID().toString();
        mute.userId = userId;
        mute.roomId = roomId;
        mute.until = until;
        mute.reason = reason.strip();
        mute.createdBy = moderatorId;
        mute.caseId = caseId;
        mute.createdAt = now;
        mute.persist();
        Map<String, Object> data = data(mute);
        outbox.append(Topics.MODERATION, userId, EventEnvelope.of("mute.added", moderatorId, json.valueToTree(data), clock));
        audit.record("moderation.mute.added", moderatorId, userId, data);
        return mute;
    }

    /** Lifts a mute; one already lifted or over is left as it is (204 either way). */
    @Transactional
    public void lift(String moderatorId, String muteId) {
        Mute mute = Mute.findById(muteId);
        if (mute == null) {
            throw ProblemException.notFound("No such mute");
        }
        Instant now = clock.instant();
        if (!mute.active(now)) {
            return;
        }
        mute.liftedAt = now;
        mute.liftedBy = moderatorId;
        Map<String, Object> data = data(mute);
        data.put("liftedAt", now.toString());
        outbox.append(Topics.MODERATION, mute.userId,
                EventEnvelope.of("mute.lifted", moderatorId, json.valueToTree(data), clock));
        audit.record("moderation.mute.lifted", moderatorId, mute.userId, data);
    }

    /** Active mutes, newest first; for a room also those that hold everywhere. */
    @Transactional
    public List<MuteView> active(String userId, String roomId) {
        StringBuilder query = new StringBuilder("until > :now and liftedAt is null");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("now", clock.instant());
        if (userId != null) {
            query.append(" and userId = :user");
            params.put("user", userId);
        }
        if (roomId != null) {
            query.append(" and (roomId is null or roomId = :room)");
            params.put("room", roomId);
        }
        return Mute.<Mute> find(query + " order by createdAt desc, id", params).page(0, 1000).stream()
                .map(MuteView::of).toList();
    }

    private static Map<String, Object> data(Mute mute) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("muteId", mute.id);
        data.put("userId", mute.userId);
        data.put("roomId", mute.roomId);
        data.put("until", mute.until.toString());
        data.put("reason", mute.reason);
        data.put("createdBy", mute.createdBy);
        data.put("caseId", mute.caseId);
        return data;
    }
}
