import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * MariaDB's CPU per statement of the group-commit writer's batch of one (BENCHMARKS.md, "Measured
 * 2026-12-06, evening"): each statement N times on one connection, server-prepared, each followed
 * by its commit, with MariaDB's user + system time read from /proc before and after.
 * <p>
 * Needs the chat database with at least one room member (any platform run leaves them) and
 * Connector/J on the class path:
 *
 * <pre>
 * java -cp ~/.m2/repository/com/mysql/mysql-connector-j/9.6.0/mysql-connector-j-9.6.0.jar \
 *     bench/send-path/StatementCost.java $(pgrep -x mariadbd) 6000
 * </pre>
 *
 * Writes nothing lasting: the seq UPDATE sets a room's seq to itself, and the INSERT goes to a
 * temporary copy of the outbox table.
 */
public class StatementCost {

    private static final long CLOCK_TICKS_PER_SECOND = 100;

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java -cp <mysql-connector-j.jar> StatementCost.java <mariadbd pid> <executions>");
            System.exit(2);
        }
        long pid = Long.parseLong(args[0]);
        int executions = Integer.parseInt(args[1]);
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
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            String room;
            String user;
            try (Statement statement = connection.createStatement();
                    ResultSet member = statement.executeQuery("select room_id, user_id from room_members limit 1")) {
                if (!member.next()) {
                    throw new IllegalStateException("no room member in the chat database: run the platform once");
                }
                room = member.getString(1);
                user = member.getString(2);
                statement.execute("create temporary table outbox_probe like outbox");
            }
            connection.commit();
            // an active mute of m, in m's room or everywhere: as a subquery, and as an outer join's condition
            String muteJoin = "u.user_id = m.user_id and u.until > current_timestamp(3) and u.lifted_at is null "
                    + "and (u.room_id is null or u.room_id = m.room_id)";
            String mute = "not exists (select 1 from mutes u where " + muteJoin + ")";
            String envelope = "{\"payload\":\"" + "x".repeat(900) + "\"}";
            Map<String, Shape> shapes = new LinkedHashMap<>();
            shapes.put("select 1 (the round trip alone)", new Shape("select 1"));
            String lock = "select r.id, r.last_seq, m.user_id from rooms r straight_join room_members m on m.room_id = r.id "
                    + "where r.id in (?) and (m.room_id, m.user_id) in ((?, ?))";
            shapes.put("the writer's lock SELECT ... FOR UPDATE",
                    new Shape(lock + " and " + mute + " order by r.id for update", room, room, user));
            shapes.put("the lock, the mute check as an outer join", new Shape("select r.id, r.last_seq, m.user_id from rooms r "
                    + "straight_join room_members m on m.room_id = r.id left join mutes u on " + muteJoin
                    + " where r.id in (?) and (m.room_id, m.user_id) in ((?, ?)) and u.id is null order by r.id for update",
                    room, room, user));
            shapes.put("the same lock without the mute check", new Shape(lock + " order by r.id for update", room, room, user));
            shapes.put("a member's row by its primary key", new Shape(
                    "select m.user_id from room_members m where m.room_id = ? and m.user_id = ?", room, user));
            shapes.put("the seq UPDATE (to the same seq)", new Shape(
                    "update rooms set last_seq = case id when ? then last_seq end where id in (?)", room, room));
            shapes.put("lock and seq in one UPDATE ... JOIN", new Shape("update rooms r straight_join room_members m "
                    + "on m.room_id = r.id set r.last_seq = last_insert_id(r.last_seq) where r.id = ? and m.room_id = ? "
                    + "and m.user_id = ? and " + mute, room, room, user));
            shapes.put("the same, the mute check as an outer join", new Shape("update rooms r straight_join room_members m "
                    + "on m.room_id = r.id left join mutes u on " + muteJoin + " set r.last_seq = last_insert_id(r.last_seq) "
                    + "where r.id = ? and m.room_id = ? and m.user_id = ? and u.id is null", room, room, user));
            shapes.put("an outbox-sized INSERT", new Shape("insert into outbox_probe (topic, record_key, event_id, event_type, "
                    + "request_id, envelope, traceparent) values ('probe', ?, uuid(), 'probe', null, ?, null)", room, envelope));
            for (Map.Entry<String, Shape> shape : shapes.entrySet()) {
                run(connection, shape.getValue(), executions / 10, pid); // warm the statement and the JIT
                double ms = run(connection, shape.getValue(), executions, pid);
                System.out.printf("%-42s %.3f ms of MariaDB CPU per statement and its commit%n", shape.getKey(), ms);
            }
        }
    }

    private record Shape(String sql, String... values) {
    }

    private static double run(Connection connection, Shape shape, int executions, long pid) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(shape.sql())) {
            long before = cpuTicks(pid);
            for (int i = 0; i < executions; i++) {
                for (int v = 0; v < shape.values().length; v++) {
                    statement.setString(v + 1, shape.values()[v]);
                }
                if (statement.execute()) {
                    try (ResultSet rows = statement.getResultSet()) {
                        while (rows.next()) {
                            // read every row, as the writer does
                        }
                    }
                }
                connection.commit();
            }
            return (cpuTicks(pid) - before) * 1000.0 / CLOCK_TICKS_PER_SECOND / executions;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    /** A process's user + system time in clock ticks (USER_HZ, 100 on Linux/x86). */
    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
