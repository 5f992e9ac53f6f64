import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Would pipelining the group-commit writer's statements save CPU (BENCHMARKS.md, "Measured
 * 2026-12-07, fifth session")? One connection runs transactions shaped like a batch of one — the
 * room's lock, the seq UPDATE, the message's and the outbox row's INSERTs, the commit — one after
 * another, either over JDBC (Connector/J, server-prepared, as chat-service connects: a round trip
 * per statement) or over the Vert.x reactive MySQL client with pipelining (the lock, then the other
 * four sent together without waiting for each answer). It prints, per transaction, the wall time, this
 * process's CPU and MariaDB's (from /proc). Works in a scratch database {@code pipelining_probe},
 * dropped at the end.
 * <p>
 * Needs Connector/J and the Vert.x MySQL client on the class path, e.g. from a throwaway Maven
 * project depending on {@code io.vertx:vertx-mysql-client:4.5.27} and
 * {@code com.mysql:mysql-connector-j:9.6.0} ({@code mvn dependency:build-classpath
 * -Dmdep.outputFile=cp.txt}):
 *
 * <pre>
 * java -cp $(cat cp.txt) bench/send-path/Pipelining.java jdbc 20000
 * java -cp $(cat cp.txt) bench/send-path/Pipelining.java pipelined 20000
 * </pre>
 */
public class Pipelining {

    private static final String LOCK = "select id, last_seq from rooms where id in (?) order by id for update";
    private static final String SEQ = "update rooms set last_seq = ? where id = ?";
    private static final String MESSAGE = "insert into messages (id, room_id, seq, sender_id, body, created_at) "
            + "values (?, ?, ?, ?, ?, current_timestamp(3))";
    private static final String OUTBOX = "insert into outbox (topic, record_key, event_id, envelope) values (?, ?, ?, ?)";
    private static final String ENVELOPE = "{\"type\":\"message.created\",\"payload\":\"" + "x".repeat(900) + "\"}";
    private static final String URL = "jdbc:mysql://127.0.0.1:3306/";
    private static final int ROOMS = 100;

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("jdbc") || args[0].equals("pipelined"))) {
            System.err.println("usage: java -cp <class path> Pipelining.java jdbc|pipelined <transactions>");
            System.exit(2);
        }
        boolean pipelined = args[0].equals("pipelined");
        int transactions = Integer.parseInt(args[1]);
        String user = System.getenv().getOrDefault("TALKLINE_MARIADB_USER", "root");
        String password = System.getenv().getOrDefault("TALKLINE_MARIADB_PASSWORD", "");
        try (Connection connection = DriverManager.getConnection(URL, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists pipelining_probe");
            statement.execute("create database pipelining_probe");
            statement.execute("use pipelining_probe");
            statement.execute("create table rooms (id varchar(36) primary key, last_seq bigint not null)");
            statement.execute("create table messages (id varchar(36) primary key, room_id varchar(36) not null, "
                    + "seq bigint not null, sender_id varchar(36) not null, body text, created_at timestamp(3), "
                    + "unique key (room_id, seq))");
            statement.execute("create table outbox (id bigint auto_increment primary key, topic varchar(100), "
                    + "record_key varchar(255), event_id char(36), envelope mediumtext)");
            for (int i = 0; i < ROOMS; i++) {
                statement.execute("insert into rooms values ('room-" + i + "', 0)");
            }
        }
        try {
            // the first round warms both sides; the second is measured
            for (int round = 0; round < 2; round++) {
                long wall = System.nanoTime();
                long cpu = processCpuNanos();
                long mariadb = mariadbTicks();
                if (pipelined) {
                    pipelined(transactions, user, password);
                } else {
                    jdbc(transactions, user, password);
                }
                if (round == 1) {
                    System.out.printf("%s: %d transactions, per transaction %.0f us wall, %.0f us of this process's CPU, "
                            + "%.0f us of MariaDB's%n", args[0], transactions, (System.nanoTime() - wall) / 1e3 / transactions,
                            (processCpuNanos() - cpu) / 1e3 / transactions, (mariadbTicks() - mariadb) * 1e4 / transactions);
                }
            }
        } finally {
            try (Connection connection = DriverManager.getConnection(URL, user, password);
                    Statement statement = connection.createStatement()) {
                statement.execute("drop database pipelining_probe");
            }
        }
        System.exit(0); // the Vert.x threads
    }

    private static void jdbc(int count, String user, String password) throws Exception {
        try (Connection connection = DriverManager.getConnection(URL + "pipelining_probe?useServerPrepStmts=true"
                + "&cachePrepStmts=true&prepStmtCacheSqlLimit=8192&useLocalSessionState=true&useLocalTransactionState=true",
                user, password)) {
            connection.setAutoCommit(false);
            for (int i = 0; i < count; i++) {
                String room = "room-" + i % ROOMS;
                long seq;
                try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
                    lock.setString(1, room);
                    try (ResultSet rows = lock.executeQuery()) {
                        rows.next();
                        seq = rows.getLong(2) + 1;
                    }
                }
                try (PreparedStatement update = connection.prepareStatement(SEQ)) {
                    update.setLong(1, seq);
                    update.setString(2, room);
                    update.executeUpdate();
                }
                String id = UUID.randomUUID().toString();
                try (PreparedStatement insert = connection.prepareStatement(MESSAGE)) {
                    insert.setString(1, id);
                    insert.setString(2, room);
                    insert.setLong(3, seq);
                    insert.setString(4, "sender");
                    insert.setString(5, "a message of the probe");
                    insert.executeUpdate();
                }
                try (PreparedStatement insert = connection.prepareStatement(OUTBOX)) {
                    insert.setString(1, "chat.messages.v1");
                    insert.setString(2, room);
                    insert.setString(3, id);
                    insert.setString(4, ENVELOPE);
                    insert.executeUpdate();
                }
                connection.commit();
            }
        }
    }

    private static void pipelined(int count, String user, String password) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            MySQLConnectOptions options = new MySQLConnectOptions().setHost("127.0.0.1").setPort(3306).setUser(user)
                    .setPassword(password).setDatabase("pipelining_probe").setCachePreparedStatements(true)
                    .setPipeliningLimit(16);
            MySQLConnection connection = MySQLConnection.connect(vertx, options).toCompletionStage().toCompletableFuture().get();
            connection.query("set autocommit = 0").execute().toCompletionStage().toCompletableFuture().get();
            CompletableFuture<Void> done = new CompletableFuture<>();
            // chained on the connection's event loop: no thread hand-off between transactions
            vertx.runOnContext(v -> next(connection, 0, count, done));
            done.get();
            connection.close().toCompletionStage().toCompletableFuture().get();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    private static void next(MySQLConnection connection, int i, int count, CompletableFuture<Void> done) {
        if (i == count) {
            done.complete(null);
            return;
        }
        String room = "room-" + i % ROOMS;
        connection.preparedQuery(LOCK).execute(Tuple.of(room)).onFailure(done::completeExceptionally).onSuccess(rows -> {
            long seq = rows.iterator().next().getLong(1) + 1;
            String id = UUID.randomUUID().toString();
            // written together, answered together
            Future<?> update = connection.preparedQuery(SEQ).execute(Tuple.of(seq, room));
            Future<?> message = connection.preparedQuery(MESSAGE)
                    .execute(Tuple.of(id, room, seq, "sender", "a message of the probe"));
            Future<?> outbox = connection.preparedQuery(OUTBOX).execute(Tuple.of("chat.messages.v1", room, id, ENVELOPE));
            Future<?> commit = connection.query("commit").execute();
            Future.all(update, message, outbox, commit).onFailure(done::completeExceptionally)
                    .onSuccess(v -> next(connection, i + 1, count, done));
        });
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** MariaDB's user + system time in clock ticks (USER_HZ, 100 on Linux/x86). */
    private static long mariadbTicks() throws Exception {
        long pid = ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").endsWith("/mariadbd"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no mariadbd running")).pid();
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
