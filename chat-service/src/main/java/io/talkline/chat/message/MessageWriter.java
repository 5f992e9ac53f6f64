package io.talkline.chat.message;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mysql.cj.jdbc.StatementImpl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.talkline.chat.config.ChatConfig;
import io.talkline.chat.realtime.Fanout;
import io.talkline.chat.room.Caller;
import io.talkline.commons.events.EventEnvelope;
import io.talkline.commons.events.Outbox;
import io.talkline.commons.events.OutboxWriter;
import io.talkline.commons.events.Topics;
import io.talkline.commons.requestid.RequestIds;
import io.talkline.commons.tracing.TraceContext;
import io.vertx.core.Vertx;

/**
 * Group commit for the common send (ADR 0030): text messages that arrive while a transaction is
 * being written, or while the writer lingers after taking a send ({@link Linger}: up to 2 ms from
 * its arrival, while sends come close together), are written together in one transaction of five
 * statements, however many sends it holds: one SELECT … FOR UPDATE that locks the batch's rooms and
 * says which senders may send there (member, not muted), one UPDATE of those rooms' seqs, one
 * multi-row INSERT of the messages and one of their outbox events, and one commit. A batch of one
 * send, the usual one at low rates, runs four: one UPDATE locks its room, checks the sender and
 * moves the seq. Plain JDBC: this is the hottest statement sequence of the platform.
 * <p>
 * Anything out of the ordinary is handed back, unwritten, to {@link MessageService}'s one-by-one
 * path, which gives the exact answer: a send the lock refuses (not a member, muted, no such
 * room), a {@code clientMsgId} that was used before or twice in one batch, and every send of
 * a batch whose transaction failed (a concurrent duplicate, a deadlock, the database away).
 * Batches lock their rooms in id order, so two batches (on any instance) never deadlock on rooms.
 * The connection reads committed: the lock's SELECT keeps no lock on a member row it passed over.
 */
@ApplicationScoped
public class MessageWriter {

    /**
     * A send waiting for its batch, since {@code queuedAt} ({@link System#nanoTime}); {@code result}
     * ends with the message, or null for "write it one by one".
     */
    private record Pending(Caller caller, String roomId, String clientMsgId, String body, String requestId,
            String traceparent, long queuedAt, CompletableFuture<MessageView> result) {
    }

    /** Hibernate binds an Instant as a UTC timestamp: the same here, whatever the JVM's zone. */
    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");
    /** The member m has no active mute, in m's room or everywhere: both lock shapes ask it. */
    private static final String NOT_MUTED = "not exists (select 1 from mutes u where u.user_id = m.user_id "
            + "and u.until > current_timestamp(3) and u.lifted_at is null and (u.room_id is null or u.room_id = m.room_id))";
    /**
     * The batch's rooms, locked in id order (rooms first: STRAIGHT_JOIN), with their seq and which
     * of the batch's senders may send there: a member, not muted in the room or everywhere.
     */
    private static final String LOCK = "select r.id, r.last_seq, m.user_id from rooms r straight_join room_members m "
            + "on m.room_id = r.id where r.id in (%s) and (m.room_id, m.user_id) in (%s) and " + NOT_MUTED
            + " order by r.id for update";

    /**
     * A batch of one send (most batches below about 800 sends a second) locks, checks and moves its
     * room's seq in this one statement instead of the lock's SELECT and the seq UPDATE: one round
     * trip fewer. The new seq is the statement's last insert id, read from its answer. Rooms first,
     * as the batch's lock takes them.
     */
    private static final String LONE = "update rooms r straight_join room_members m on m.room_id = r.id and m.user_id = ? "
            + "set r.last_seq = last_insert_id(r.last_seq + 1) where r.id = ? and " + NOT_MUTED;

    /** MariaDB's and MySQL's ER_DUP_ENTRY, and the key that makes a clientMsgId one message. */
    private static final int DUPLICATE_ENTRY = 1062;
    private static final String CLIENT_KEY = "uq_messages_client";

    private final DataSource dataSource;
    private final OutboxWriter outbox;
    private final Fanout fanout;
    private final ObjectMapper json;
    private final ChatConfig config;
    private final Clock clock = Clock.systemUTC();
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Counter sent;
    private final Counter handedBack;
    private final DistributionSummary batches;
    private final Timer transactions;
    private final List<Thread> writers = new ArrayList<>();
    private final List<Session> sessions = new ArrayList<>();
    private final Vertx vertx;
    private long sweeper = -1;
    private volatile boolean running = true;

    public MessageWriter(DataSource dataSource, OutboxWriter outbox, Fanout fanout, ObjectMapper json, ChatConfig config,
            MeterRegistry metrics, Vertx vertx) {
        this.dataSource = dataSource;
        this.vertx = vertx;
        this.outbox = outbox;
        this.fanout = fanout;
        this.json = json;
        this.config = config;
        this.sent = metrics.counter("talkline_chat_messages_sent_total", "type", "text");
        this.handedBack = metrics.counter("talkline_chat_group_commit_handed_back_total");
        this.batches = DistributionSummary.builder("talkline.chat.group.commit.batch")
                .description("Sends written by one group-commit transaction").register(metrics);
        this.transactions = Timer.builder("talkline.chat.group.commit.transaction")
                .description("A group-commit transaction that wrote its batch, from its first statement to its commit")
                .register(metrics);
    }

    void start(@Observes StartupEvent event) {
        for (int i = 0; i < config.message().groupCommit().writers(); i++) {
            Session session = new Session();
            sessions.add(session);
            writers.add(Thread.ofPlatform().name("message-writer-" + i).daemon().start(session::run));
        }
        if (!writers.isEmpty()) {
            // one timer for every waiting send, not one per send: a timeout scheduled and cancelled
            // per send woke the JDK's delay-scheduler thread twice a send
            long every = Math.max(10, config.message().groupCommit().maxWait().toMillis() / 5);
            sweeper = vertx.setPeriodic(every, id -> expire(System.nanoTime()));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        vertx.cancelTimer(sweeper);
        writers.forEach(Thread::interrupt);
        // what still waits goes the one-by-one way (its caller is still there)
        for (Pending left; (left = queue.poll()) != null;) {
            left.result.complete(null);
        }
    }

    public boolean enabled() {
        return config.message().groupCommit().writers() > 0 && running;
    }

    /**
     * Writes a text message with the next batch; null when it is to be written one by one instead
     * (the caller does, and gets the precise answer). Call from a thread that may block.
     */
    public MessageView write(Caller caller, String roomId, String clientMsgId, String body) {
        try {
            return submit(caller, roomId, clientMsgId, body).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the message was written", e);
        } catch (ExecutionException e) {
            return null;
        }
    }

    /**
     * Queues a text message for the next batch: the future ends with the message, or with null when
     * it is to be written one by one — also once the send waited {@code max-wait} (a batch does not
     * commit a send whose future ended; should both ever commit, the unique clientMsgId key keeps one).
     */
    public CompletableFuture<MessageView> submit(Caller caller, String roomId, String clientMsgId, String body) {
        Object requestId = MDC.get(RequestIds.MDC_KEY);
        Pending pending = new Pending(caller, roomId, clientMsgId, body, requestId == null ? null : requestId.toString(),
                TraceContext.traceparent(), System.nanoTime(), new CompletableFuture<>());
        queue.add(pending);
        return pending.result;
    }

    /**
     * Hands back, to be written one by one, every send that has waited {@code max-wait} by
     * {@code now} ({@link System#nanoTime}): queued, or in a batch that is still being written (a
     * stuck database). Runs on a timer; visible to tests, which pass a later time.
     */
    void expire(long now) {
        long maxWait = config.message().groupCommit().maxWait().toNanos();
        for (Pending p : queue) {
            expire(p, now, maxWait);
        }
        for (Session session : sessions) {
            for (Pending p : session.inFlight) {
                expire(p, now, maxWait);
            }
        }
    }

    private void expire(Pending p, long now, long maxWait) {
        if (now - p.queuedAt >= maxWait && p.result.complete(null)) {
            handedBack.increment();
        }
    }

    private static final Pending[] NONE = new Pending[0];

    /**
     * A writer thread and its own connection, kept between batches with autocommit off: no pool
     * checkout and no autocommit switching per batch (statements are cached by the driver).
     * Any failure gives the connection back (a broken one is dropped by the pool) and takes a new one.
     */
    private final class Session {
        private Connection connection;
        /** The batch being written, for {@link #expire}. */
        private volatile Pending[] inFlight = NONE;

        void run() {
            int max = config.message().groupCommit().batchMax();
            Linger linger = new Linger(config.message().groupCommit().linger());
            List<Pending> batch = new ArrayList<>(max);
            while (running) {
                try {
                    Pending first = queue.take();
                    batch.add(first);
                    linger.arrived(first.queuedAt);
                    long wait = queue.size() < max - 1 ? linger.waitNanos(first.queuedAt, System.nanoTime()) : 0;
                    if (wait > 0) {
                        // one sleep, not a wake-up per send that joins
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    queue.drainTo(batch, max - 1);
                    for (int i = 1; i < batch.size(); i++) {
                        linger.arrived(batch.get(i).queuedAt);
                    }
                    // sends handed back while they waited are being written one by one already
                    batch.removeIf(p -> p.result.isDone());
                    if (batch.isEmpty()) {
                        continue;
                    }
                    inFlight = batch.toArray(Pending[]::new);
                    write(batch);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (RuntimeException e) {
                    Log.warnf(e, "group commit: a batch of %d sends goes one by one", batch.size());
                } finally {
                    for (Pending p : batch) {
                        if (p.result.complete(null)) {
                            handedBack.increment();
                        }
                    }
                    batch.clear();
                    inFlight = NONE;
                }
            }
            release();
        }

        private Connection connection() throws SQLException {
            if (connection == null) {
                connection = dataSource.getConnection();
                connection.setAutoCommit(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            return connection;
        }

        private void release() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    Log.debugf("group commit: closing a connection: %s", e.toString());
                }
                connection = null;
            }
        }

        /**
         * One transaction for the batch; what it does not write is completed with null afterwards.
         * A send whose clientMsgId is already stored (a client's retry), or twice in the batch, makes
         * the INSERT fail on the unique key: the batch is rolled back and written again without it,
         * and that send goes one by one (200 with the stored message). Any other failure hands back
         * every send of the batch.
         */
        private void write(List<Pending> batch) {
            List<Pending> ordered = new ArrayList<>(batch);
            // room order: every batch takes its room locks in the same order
            ordered.sort(Comparator.comparing(Pending::roomId));
            while (!ordered.isEmpty()) {
                Connection connection;
                try {
                    connection = connection();
                } catch (SQLException e) {
                    release();
                    Log.debugf("group commit: no connection, %d sends written one by one: %s", batch.size(),
                            e.toString());
                    return;
                }
                try {
                    writeOnce(connection, ordered);
                    return;
                } catch (SQLException | RuntimeException e) {
                    Pending repeated = e instanceof SQLException sql ? repeatedIn(ordered, sql) : null;
                    if (!rolledBack(connection) || repeated == null) {
                        release();
                        Log.debugf("group commit: batch of %d rolled back, written one by one: %s", batch.size(),
                                e.toString());
                        return;
                    }
                    ordered.remove(repeated);
                }
            }
        }

        private static boolean rolledBack(Connection connection) {
            try {
                connection.rollback();
                return true;
            } catch (SQLException e) {
                return false;
            }
        }

        private void writeOnce(Connection connection, List<Pending> ordered) throws SQLException {
            long began = System.nanoTime();
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS); // as the column keeps it
            boolean lone = ordered.size() == 1;
            Map<String, Long> seqs = lone ? advanceLone(connection, ordered.getFirst()) : lockRooms(connection, ordered);
            List<MessageView> written = new ArrayList<>(ordered.size());
            List<Pending> accepted = new ArrayList<>(ordered.size());
            List<JsonNode> trees = new ArrayList<>(ordered.size());
            Map<String, Long> next = new TreeMap<>();
            for (Pending p : ordered) {
                Long last = seqs.get(pair(p.roomId, p.caller.userId()));
                if (last == null) {
                    continue; // refused: the one-by-one path says why
                }
                long seq = next.merge(p.roomId, last + 1, (current, one) -> current + 1);
                accepted.add(p);
                written.add(new MessageView(MessageIds.next(), p.roomId, seq, p.caller.userId(), p.clientMsgId, "text",
                        p.body, null, null, Map.of(), now, null, null, null));
            }
            if (written.isEmpty()) {
                connection.commit();
                return;
            }
            if (!lone) {
                updateSeqs(connection, next);
            }
            insertMessages(connection, written);
            List<Outbox.Row> events = new ArrayList<>(written.size());
            for (int i = 0; i < written.size(); i++) {
                MessageView view = written.get(i);
                JsonNode tree = json.valueToTree(view);
                trees.add(tree);
                events.add(new Outbox.Row(Topics.CHAT_MESSAGES, view.roomId(),
                        new EventEnvelope(UUID.randomUUID().toString(), "message.created", 1, now,
                                accepted.get(i).requestId, view.senderId(), tree),
                        accepted.get(i).traceparent));
            }
            Outbox.insert(connection, events, json);
            for (Pending p : accepted) {
                if (p.result.isDone()) {
                    // its caller gave up waiting and writes it one by one (should both commit,
                    // the unique clientMsgId key keeps one and the caller answers with it)
                    throw new SQLException("a send of the batch is no longer waited for");
                }
            }
            connection.commit();
            transactions.record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
            outbox.committed();
            for (int i = 0; i < written.size(); i++) {
                fanout.created(written.get(i).roomId(), written.get(i).seq(), frame(trees.get(i)));
            }
            batches.record(written.size());
            sent.increment(written.size());
            for (int i = 0; i < written.size(); i++) {
                accepted.get(i).result.complete(written.get(i));
            }
        }
    }

    /**
     * The send whose clientMsgId the failed INSERT found stored already, from the server's
     * "Duplicate entry '&lt;sender&gt;-&lt;clientMsgId&gt;' for key 'uq_messages_client'": of two sends
     * with it in one batch, the later one (rows are inserted in batch order); null for any other
     * failure.
     */
    private static Pending repeatedIn(List<Pending> batch, SQLException failure) {
        String message = failure.getMessage();
        if (failure.getErrorCode() != DUPLICATE_ENTRY || message == null || !message.contains(CLIENT_KEY)) {
            return null;
        }
        for (int i = batch.size() - 1; i >= 0; i--) {
            Pending p = batch.get(i);
            if (message.contains("'" + p.caller.userId() + "-" + p.clientMsgId + "'")) {
                return p;
            }
        }
        return null;
    }

    /**
     * Locks the batch's rooms and answers, for each (room, sender) pair that may send, the room's
     * seq as it stands ({@link #pair} → last seq); a refused pair is absent.
     */
    private static Map<String, Long> lockRooms(Connection connection, List<Pending> batch) throws SQLException {
        List<String> rooms = padded(new ArrayList<>(new TreeSet<>(batch.stream().map(Pending::roomId).toList())));
        List<List<String>> pairs = padded(new ArrayList<>(
                new LinkedHashSet<>(batch.stream().map(p -> List.of(p.roomId, p.caller.userId())).toList())));
        String sql = LOCK.formatted(placeholders("?", rooms.size()), placeholders("(?, ?)", pairs.size()));
        try (PreparedStatement lock = connection.prepareStatement(sql)) {
            int i = 1;
            for (String room : rooms) {
                lock.setString(i++, room);
            }
            for (List<String> pair : pairs) {
                lock.setString(i++, pair.get(0));
                lock.setString(i++, pair.get(1));
            }
            Map<String, Long> seqs = new HashMap<>();
            try (ResultSet rows = lock.executeQuery()) {
                while (rows.next()) {
                    seqs.put(pair(rows.getString(1), rows.getString(3)), rows.getLong(2));
                }
            }
            return seqs;
        }
    }

    /** The key of a (room, sender) pair in what {@link #lockRooms} and {@link #advanceLone} answer. */
    private static String pair(String roomId, String userId) {
        return roomId + " " + userId;
    }

    /**
     * For a batch of one send: moves its room's seq if the sender may send there, and answers as
     * {@link #lockRooms} does, the seq before the send; empty when refused.
     */
    private static Map<String, Long> advanceLone(Connection connection, Pending send) throws SQLException {
        try (PreparedStatement advance = connection.prepareStatement(LONE)) {
            advance.setString(1, send.caller.userId());
            advance.setString(2, send.roomId);
            if (advance.executeUpdate() == 0) {
                return Map.of();
            }
            // last_insert_id(last_seq + 1): MariaDB returns it with the UPDATE's answer, no SELECT
            long seq = advance.unwrap(StatementImpl.class).getLastInsertID();
            return Map.of(pair(send.roomId, send.caller.userId()), seq - 1);
        }
    }

    /** Sets each room's seq to its last message's, in one statement (the rooms are locked). */
    private static void updateSeqs(Connection connection, Map<String, Long> lastSeqs) throws SQLException {
        List<Map.Entry<String, Long>> rooms = padded(new ArrayList<>(lastSeqs.entrySet()));
        String sql = "update rooms set last_seq = case id" + " when ? then ?".repeat(rooms.size()) + " end where id in ("
                + placeholders("?", rooms.size()) + ")";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            int i = 1;
            for (Map.Entry<String, Long> room : rooms) {
                update.setString(i++, room.getKey());
                update.setLong(i++, room.getValue());
            }
            for (Map.Entry<String, Long> room : rooms) {
                update.setString(i++, room.getKey());
            }
            if (update.executeUpdate() != lastSeqs.size()) {
                throw new SQLException("a locked room's seq was not updated");
            }
        }
    }

    /**
     * A list's placeholders, rounded up to a power of two (the last value repeats, which IN and
     * CASE take as it is): a few statement shapes, each prepared once and cached by the driver.
     */
    static int slots(int count) {
        return count <= 1 ? 1 : Integer.highestOneBit(count - 1) << 1;
    }

    /** The values with the last one repeated up to {@link #slots} of their number. */
    static <T> List<T> padded(List<T> values) {
        List<T> padded = new ArrayList<>(values);
        while (padded.size() < slots(values.size())) {
            padded.add(values.getLast());
        }
        return padded;
    }

    private static String placeholders(String one, int count) {
        return String.join(", ", Collections.nCopies(count, one));
    }

    private static void insertMessages(Connection connection, List<MessageView> rows) throws SQLException {
        StringBuilder sql = new StringBuilder(
                "insert into messages (id, room_id, seq, sender_id, client_msg_id, type, body, created_at) values ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?, ?)");
        }
        Calendar utc = Calendar.getInstance(UTC);
        try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
            int i = 1;
            for (MessageView m : rows) {
                insert.setString(i++, m.id());
                insert.setString(i++, m.roomId());
                insert.setLong(i++, m.seq());
                insert.setString(i++, m.senderId());
                insert.setString(i++, m.clientMsgId());
                insert.setString(i++, m.type());
                insert.setString(i++, m.body());
                insert.setTimestamp(i++, Timestamp.from(m.createdAt()), utc);
            }
            insert.executeUpdate();
        }
    }

    private String frame(JsonNode message) {
        try {
            return "{\"type\":\"message.created\",\"message\":" + json.writeValueAsString(message) + "}";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
