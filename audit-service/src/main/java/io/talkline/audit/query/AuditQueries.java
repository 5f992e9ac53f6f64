package io.talkline.audit.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.bson.conversions.Bson;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

import io.talkline.audit.archive.ArchivedMessage;
import io.talkline.audit.config.AuditConfig;
import io.talkline.audit.logs.LogEntry;
import io.talkline.audit.query.Views.EventView;
import io.talkline.audit.query.Views.LogView;
import io.talkline.audit.query.Views.MessagePage;
import io.talkline.audit.query.Views.MessageView;
import io.talkline.audit.query.Views.Page;
import io.talkline.audit.trail.AuditEvent;
import io.talkline.commons.problem.ProblemException;

/** Reads of the trail, the logs and the archive, each served by an index (CollectionIndexes). */
@ApplicationScoped
public class AuditQueries {

    private static final Bson NEWEST_FIRST = Sorts.descending("ts", "_id");

    private final AuditConfig config;

    public AuditQueries(AuditConfig config) {
        this.config = config;
    }

    public record EventQuery(String userId, String type, String service, String requestId, String from, String to,
            Integer limit, String cursor) {
    }

    public record LogQuery(String service, String level, String requestId, String from, String to, Integer limit,
            String cursor) {
    }

    public Page<EventView> events(EventQuery q) {
        int limit = Filter.limit(q.limit(), config.pageSize(), config.maxPageSize());
        Filter filter = new Filter().equal("actorId", "userId", q.userId()).equal("type", "type", q.type())
                .equal("service", "service", q.service()).requestId(q.requestId()).between(q.from(), q.to())
                .after(cursor(q.cursor()));
        return page(AuditEvent.mongoCollection(), filter.bson(), limit, EventView::of, e -> new Cursor(e.ts, e.id));
    }

    public Page<LogView> logs(LogQuery q) {
        int limit = Filter.limit(q.limit(), config.pageSize(), config.maxPageSize());
        String level = q.level() == null || q.level().isEmpty() ? null : q.level().toUpperCase(java.util.Locale.ROOT);
        Filter filter = new Filter().equal("service", "service", q.service()).equal("level", "level", level)
                .requestId(q.requestId()).between(q.from(), q.to()).after(cursor(q.cursor()));
        return page(LogEntry.mongoCollection(), filter.bson(), limit, LogView::of, l -> new Cursor(l.ts, l.id));
    }

    /** Every audit event and log record of one request, from every service, in time order. */
    public List<Object> request(String requestId) {
        if (requestId == null || !Filter.REQUEST_ID.matcher(requestId).matches()) {
            throw ProblemException.badRequest("requestId", "is not a request id (1-64 of A-Z a-z 0-9 . _ -)");
        }
        int most = config.requestEntries();
        Bson same = Filters.eq("requestId", requestId);
        record Timed(java.time.Instant ts, String id, Object view) {
        }
        List<Timed> entries = new ArrayList<>();
        for (AuditEvent e : AuditEvent.<AuditEvent> mongoCollection().find(same).sort(Sorts.ascending("ts")).limit(most)) {
            entries.add(new Timed(e.ts, e.id, EventView.of(e)));
        }
        for (LogEntry l : LogEntry.<LogEntry> mongoCollection().find(same).sort(Sorts.ascending("ts")).limit(most)) {
            entries.add(new Timed(l.ts, l.id, LogView.of(l)));
        }
        entries.sort(Comparator.comparing(Timed::ts).thenComparing(Timed::id));
        return entries.stream().limit(most).map(Timed::view).toList();
    }

    public MessagePage roomArchive(String roomId, Long afterSeq, Integer limit) {
        int size = Filter.limit(limit, config.pageSize(), config.maxPageSize());
        if (afterSeq != null && afterSeq < 0) {
            throw ProblemException.badRequest("afterSeq", "must be 0 or more");
        }
        Bson filter = Filters.and(Filters.eq("roomId", roomId), Filters.gt("seq", afterSeq == null ? 0 : afterSeq));
        List<MessageView> items = new ArrayList<>();
        for (ArchivedMessage m : ArchivedMessage.<ArchivedMessage> mongoCollection().find(filter)
                .sort(Sorts.ascending("seq")).limit(size + 1)) {
            items.add(MessageView.of(m));
        }
        boolean more = items.size() > size;
        return new MessagePage(more ? items.subList(0, size) : items, more);
    }

    public MessageView archivedMessage(String messageId) {
        ArchivedMessage m = ArchivedMessage.<ArchivedMessage> mongoCollection().find(Filters.eq("_id", messageId)).first();
        if (m == null) {
            throw ProblemException.notFound("No such message in the archive");
        }
        return MessageView.of(m);
    }

    private static Cursor cursor(String value) {
        return value == null || value.isEmpty() ? null : Cursor.decode(value);
    }

    private static <E, V> Page<V> page(MongoCollection<E> collection, Bson filter, int limit, Function<E, V> view,
            Function<E, Cursor> position) {
        List<E> found = new ArrayList<>(limit + 1);
        collection.find(filter).sort(NEWEST_FIRST).limit(limit + 1).into(found);
        boolean more = found.size() > limit;
        List<E> page = more ? found.subList(0, limit) : found;
        String next = more ? position.apply(page.get(page.size() - 1)).encode() : null;
        return new Page<>(page.stream().map(view).toList(), next);
    }
}
