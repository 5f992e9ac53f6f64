package io.talkline.chat.report;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.talkline.chat.message.Message;
import io.talkline.chat.message.MessageView;
import io.talkline.chat.moderation.CaseService;
import io.talkline.chat.room.Caller;
import io.talkline.chat.room.RoomService;
import io.talkline.commons.events.AuditLog;
import io.talkline.commons.events.EventEnvelope;
import io.talkline.commons.events.OutboxWriter;
import io.talkline.commons.events.Topics;
import io.talkline.commons.problem.ProblemException;

/**
 * A member reports a message: stored once per reporter, and handed to moderation on
 * moderation.events.v1 (with the message as it was when reported, since it may be edited or
 * deleted afterwards) through the outbox, plus the audit event chat.message.reported; in the same
 * transaction it opens the message's moderation case or joins the open one (one more reporter).
 */
@ApplicationScoped
public class ReportService {

    public record Report(String id, String roomId, String messageId, String reporterId, String reason, Instant createdAt) {

        static Report of(MessageReport report) {
            return new Report(report.id, report.roomId, report.messageId, report.reporterId, report.reason,
                    report.createdAt);
        }
    }

    private final RoomService rooms;
    private final OutboxWriter outbox;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final CaseService cases;
    private final Clock clock = Clock.systemUTC();

    public ReportService(RoomService rooms, OutboxWriter outbox, AuditLog audit, ObjectMapper json, CaseService cases) {
        this.cases = cases;
        this.rooms = rooms;
        this.outbox = outbox;
        this.audit = audit;
        this.json = json;
    }

    public Report report(Caller caller, String roomId, String messageId, String reason) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> store(caller, roomId, messageId, reason));
        } catch (PersistenceException e) {
            // the same reporter's concurrent request stored it first
            Report earlier = QuarkusTransaction.requiringNew().call(() -> earlier(messageId, caller.userId()));
            if (earlier == null) {
                throw e;
            }
            return earlier;
        }
    }

    private Report store(Caller caller, String roomId, String messageId, String reason) {
        rooms.access(caller, roomId);
        Message message = Message.findById(messageId);
        if (message == null || !message.roomId.equals(roomId)) {
            throw ProblemException.notFound("No such message");
        }
        Report earlier = earlier(messageId, caller.userId());
        if (earlier != null) {
            return earlier;
        }
        MessageReport report = new MessageReport();
        report.id = UUID.randomUUID().toString();
        report.messageId = messageId;
        report.roomId = roomId;
        report.reporterId = caller.userId();
        report.reason = reason.strip();
        report.createdAt = clock.instant();
        report.persistAndFlush();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("reportId", report.id);
        payload.put("roomId", roomId);
        payload.put("messageId", messageId);
        payload.put("reporterId", caller.userId());
        payload.put("reason", report.reason);
        payload.put("message", MessageView.of(message, Map.of()));
        outbox.append(Topics.MODERATION, roomId,
                EventEnvelope.of("message.reported", caller.userId(), json.valueToTree(payload), clock));
        cases.onReport(message, report.reason);
        audit.record("chat.message.reported", caller.userId(), roomId, Map.of("reportId", report.id, "roomId", roomId,
                "messageId", messageId, "senderId", message.senderId));
        return Report.of(report);
    }

    private static Report earlier(String messageId, String reporterId) {
        MessageReport report = MessageReport.find("messageId = ?1 and reporterId = ?2", messageId, reporterId)
                .firstResult();
        return report == null ? null : Report.of(report);
    }
}
