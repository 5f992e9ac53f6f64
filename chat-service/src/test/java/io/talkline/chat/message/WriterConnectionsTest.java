package io.talkline.chat.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Multi-statements (ADR 0036) are allowed on the group-commit writer's connections only: a
 * statement of the rest of the service can never carry a second one.
 */
@QuarkusTest
class WriterConnectionsTest {

    @Inject
    javax.sql.DataSource service;
    @Inject
    @DataSource("writer")
    javax.sql.DataSource writer;

    @Test
    void onlyTheWritersConnectionsRunMultiStatements() throws SQLException {
        try (Connection connection = service.getConnection();
                PreparedStatement two = connection.prepareStatement("select ?; select ?")) {
            two.setInt(1, 1);
            two.setInt(2, 2);
            SQLException refused = assertThrows(SQLException.class, two::execute);
            assertEquals(1064, refused.getErrorCode(), "a syntax error: " + refused.getMessage());
        }
        try (Connection connection = writer.getConnection();
                PreparedStatement two = connection.prepareStatement("select ?; select ?")) {
            two.setInt(1, 1);
            two.setInt(2, 2);
            assertTrue(two.execute(), "the first result is a row");
            assertTrue(two.getMoreResults(), "and so is the second");
            try (var row = two.getResultSet()) {
                row.next();
                assertEquals(2, row.getInt(1));
            }
        }
    }
}
