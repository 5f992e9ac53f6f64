import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Properties;
import java.util.UUID;

/**
 * The group-commit writer's batch of one send in fewer round trips (BENCHMARKS.md, "Measured
 * 2026-12-08, eleventh session"): the same work (the lone UPDATE that checks the sender and moves
 * the seq, the message, its outbox row, the commit) as
 * <ul>
 * <li>four: four statements, as chat-service runs them;</li>
 * <li>two: the UPDATE, then a stored procedure with both INSERTs and the commit;</li>
 * <li>one: one stored procedure for all of it (the envelope's seq spliced in by MariaDB).</li>
 * </ul>
 * Each shape N times on one connection, in three rounds; per send: MariaDB's CPU (from /proc), this
 * client thread's CPU, and the wall time. Run it with the platform stopped (it writes into the real
 * messages and outbox tables, and deletes what it wrote at the end) after any platform run has left
 * room members:
 *
 * <pre>
 * java -cp ~/.m2/repository/com/mysql/mysql-connector-j/9.6.0/mysql-connector-j-9.6.0.jar \
 *     bench/send-path/RoundTrips.java $(pgrep -x mariadbd) 4000
 * </pre>
 */
public class RoundTrips {

    private static final String MUTE = "not exists (select 1 from mutes u where u.user_id = m.user_id "
            + "and u.until > current_timestamp(3) and u.lifted_at is null and (u.room_id is null or u.room_id = m.room_id))";
    /** chat-service's MessageWriter.LONE */
    private static final String LONE = "update rooms r straight_join room_members m on m.room_id = r.id and m.user_id = ? "
            + "set r.last_seq = last_insert_id(r.last_seq + 1) where r.id = ? and " + MUTE;
    private static final String MESSAGE = "insert into messages (id, room_id, seq, sender_id, client_msg_id, type, body, "
            + "created_at) values (?, ?, ?, ?, ?, 'text', ?, ?)";
    private static final String EVENT = "insert into outbox (topic, record_key, event_id, event_type, request_id, envelope, "
            + "traceparent) values ('probe', ?, ?, 'message.created', null, ?, null)";
    // ascii ids: a procedure's parameters take the database's collation, which need not be the tables'
    private static final String WRITE = "create procedure probe_write(p_id char(36) character set ascii, "
            + "p_room char(36) character set ascii, p_seq bigint, p_sender char(36) character set ascii, "
            + "p_cmid varchar(64) character set ascii, p_body text, p_at timestamp(3), p_event char(36) character set ascii, "
            + "p_envelope mediumtext) begin "
            + MESSAGE.replace("?, ?, ?, ?, ?, 'text', ?, ?", "p_id, p_room, p_seq, p_sender, p_cmid, 'text', p_body, p_at") + "; "
            + EVENT.replace("?, ?, 'message.created', null, ?", "p_room, p_event, 'message.created', null, p_envelope") + "; "
            + "commit; end";
    private static final String SEND = "create procedure probe_send(p_id char(36) character set ascii, "
            + "p_room char(36) character set ascii, p_sender char(36) character set ascii, "
            + "p_cmid varchar(64) character set ascii, p_body text, p_at timestamp(3), p_event char(36) character set ascii, "
            + "p_envelope mediumtext) begin declare v_seq bigint; "
            + LONE.replace("m.user_id = ?", "m.user_id = p_sender").replace("r.id = ?", "r.id = p_room") + "; "
            + "if row_count() = 0 then select null; else set v_seq = last_insert_id(); "
            + MESSAGE.replace("?, ?, ?, ?, ?, 'text', ?, ?", "p_id, p_room, v_seq, p_sender, p_cmid, 'text', p_body, p_at") + "; "
            + EVENT.replace("?, ?, 'message.created', null, ?", "p_room, p_event, 'message.created', null, "
                    + "replace(p_envelope, '\"seq\":0,', concat('\"seq\":', v_seq, ','))") + "; "
            + "commit; select v_seq; end if; end";

    private static long sent;

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java -cp <mysql-connector-j.jar> RoundTrips.java <mariadbd pid> <sends per shape>");
            System.exit(2);
        }
        long pid = Long.parseLong(args[0]);
        int sends = Integer.parseInt(args[1]);
        Properties settings = new Properties();
        settings.put("user", System.getenv().getOrDefault("TALKLINE_MARIADB_USER", "root"));
        settings.put("password", System.getenv().getOrDefault("TALKLINE_MARIADB_PASSWORD", ""));
        // as chat-service connects (its application.properties)
        settings.put("useServerPrepStmts", "true");
        settings.put("cachePrepStmts", "true");
        settings.put("prepStmtCacheSqlLimit", "8192");
        settings.put("useLocalSessionState", "true");
        settings.put("useLocalTransactionState", "true");
        try (Connection connection = DriverManager.getConnection("jdbc:mysql://127.0.0.1:3306/chat", settings)) {
            String room;
            String user;
            try (Statement statement = connection.createStatement();
                    ResultSet member = statement.executeQuery("select room_id, user_id from room_members limit 1")) {
                if (!member.next()) {
                    throw new IllegalStateException("no room member in the chat database: run the platform once");
                }
                room = member.getString(1);
                user = member.getString(2);
                statement.execute("drop procedure if exists probe_write");
                statement.execute(WRITE);
                statement.execute("drop procedure if exists probe_send");
                statement.execute(SEND);
            }
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            try {
                for (int round = 0; round < 3; round++) {
                    for (String shape : new String[] {"four", "two", "one"}) {
                        run(connection, shape, sends / 10, pid, room, user); // warm the statements and the JIT
                        double[] cost = run(connection, shape, sends, pid, room, user);
                        System.out.printf("%-5s MariaDB %.3f ms  client thread %.3f ms  wall %.3f ms per send%n", shape,
                                cost[0], cost[1], cost[2]);
                    }
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("delete from outbox where topic = 'probe'");
                    statement.execute("delete from messages where client_msg_id like 'probe-%'");
                    statement.execute("drop procedure probe_write");
                    statement.execute("drop procedure probe_send");
                }
            }
        }
    }

    private static double[] run(Connection connection, String shape, int sends, long pid, String room, String user)
            throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String envelope = "{\"type\":\"message.created\",\"payload\":{\"seq\":0,\"body\":\"" + "x".repeat(700) + "\"}}";
        String body = "x".repeat(200);
        Timestamp at = new Timestamp(System.currentTimeMillis());
        long cpu = threads.getCurrentThreadCpuTime();
        long began = System.nanoTime();
        long database = cpuTicks(pid);
        try (PreparedStatement lone = connection.prepareStatement(LONE);
                PreparedStatement message = connection.prepareStatement(MESSAGE);
                PreparedStatement event = connection.prepareStatement(EVENT);
                CallableStatement write = connection.prepareCall("{call probe_write(?, ?, ?, ?, ?, ?, ?, ?, ?)}");
                PreparedStatement send = connection.prepareStatement("call probe_send(?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < sends; i++) {
                String id = UUID.randomUUID().toString();
                String clientMsgId = "probe-" + sent++ + "-" + began;
                String eventId = UUID.randomUUID().toString();
                if (shape.equals("one")) {
                    bind(send, id, room, user, clientMsgId, body, at, eventId, envelope);
                    boolean rows = send.execute();
                    while (rows || send.getUpdateCount() != -1) { // the seq, then the CALL's own answer
                        if (rows) {
                            try (ResultSet seq = send.getResultSet()) {
                                while (seq.next()) {
                                    seq.getLong(1);
                                }
                            }
                        }
                        rows = send.getMoreResults();
                    }
                    continue;
                }
                bind(lone, user, room);
                if (lone.executeUpdate() != 1) {
                    throw new IllegalStateException("the sender may not send in the room");
                }
                long seq = lone.unwrap(com.mysql.cj.jdbc.StatementImpl.class).getLastInsertID();
                if (shape.equals("four")) {
                    bind(message, id, room, seq, user, clientMsgId, body, at);
                    message.executeUpdate();
                    bind(event, room, eventId, envelope);
                    event.executeUpdate();
                    connection.commit();
                } else {
                    bind(write, id, room, seq, user, clientMsgId, body, at, eventId, envelope);
                    write.execute();
                    while (write.getMoreResults() || write.getUpdateCount() != -1) {
                        // the CALL's own answer
                    }
                }
            }
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
        return new double[] {(cpuTicks(pid) - database) * 10.0 / sends, (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / sends,
                (System.nanoTime() - began) / 1e6 / sends};
    }

    private static void bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
    }

    /** A process's user + system time in clock ticks (USER_HZ, 100 on Linux/x86): 10 ms each. */
    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
