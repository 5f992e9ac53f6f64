package io.talkline.chat.message;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.talkline.chat.Users;
import io.talkline.commons.events.Topics;
import io.talkline.commons.testing.Metrics;
import io.talkline.commons.testing.TopicReader;

/**
 * The group-commit writers and the outbox relay keep their database connections between batches
 * (ADR 0030): when those connections die (a database restart, a failover, a proxy that cut them),
 * they take new ones — sends go on by group commit and their events still reach Kafka.
 */
@QuarkusTest
class ConnectionLossTest {

    @Test
    void keptConnectionsThatDieAreReplaced() throws Exception {
        try (TopicReader topic = new TopicReader(Topics.CHAT_MESSAGES)) {
            Users alice = Users.fresh();
            String room = alice.group();
            alice.send(room, "before", "before the connections die").statusCode(201);
            int killed = killServiceConnections();
            assertTrue(killed >= 2, "the writers' and the relay's connections were open: " + killed);

            double batchesBefore = Metrics.value("talkline_chat_group_commit_batch_count");
            List<Integer> refusals = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                // what a client does: the same clientMsgId again until it is accepted
                int status = 0;
                for (int attempt = 0; attempt < 20 && status / 100 != 2; attempt++) {
                    status = alice.send(room, "after-" + i, "after " + i).extract().statusCode();
                    if (status / 100 != 2) {
                        refusals.add(status);
                        Thread.sleep(200);
                    }
                }
                assertEquals(201, status, "accepted after the connections died");
            }
            assertTrue(refusals.stream().allMatch(s -> s == 503), "only 503 while connections are replaced: " + refusals);
            assertTrue(Metrics.value("talkline_chat_group_commit_batch_count") > batchesBefore,
                    "the writers wrote by group commit again");
            // every writer is whole again: sends one after the other (they take turns) all go by group commit
            double handedBack = Metrics.value("talkline_chat_group_commit_handed_back_total");
            for (int i = 6; i <= 15; i++) {
                alice.send(room, "after-" + i, "after " + i).statusCode(201);
            }
            assertEquals(handedBack, Metrics.value("talkline_chat_group_commit_handed_back_total"),
                    "no send was handed back to the one-by-one path");

            alice.call().get("/api/rooms/" + room).then().body("lastSeq", equalTo(16));
            List<Long> seqs = topic.await(r -> room.equals(r.key()), 16, Duration.ofSeconds(60)).stream()
                    .map(r -> r.event().payload().get("seq").asLong()).distinct().toList();
            assertEquals(LongStream.rangeClosed(1, 16).boxed().toList(), seqs, "every event reached Kafka, in order");
        }
    }

    /** Kills every connection the service holds to its schema (as a restart of the database would). */
    private static int killServiceConnections() throws Exception {
        Config config = ConfigProvider.getConfig();
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        String schema = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        try (Connection admin = DriverManager.getConnection(url,
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
                Statement statement = admin.createStatement()) {
            List<Long> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("select id from information_schema.processlist where db = '"
                    + schema + "' and id <> connection_id()")) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            for (long id : ids) {
                statement.execute("kill " + id);
            }
            return ids.size();
        }
    }
}
