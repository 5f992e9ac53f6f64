package io.talkline.commons.testing;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.EnumSet;

import io.talkline.devstack.Component;
import io.talkline.devstack.Devstack;
import io.talkline.devstack.Infra;

/** A schema of a test run's own on the shared MariaDB, so counts and sequences start from nothing. */
public final class TestDatabases {

    private TestDatabases() {
    }

    /** Creates {@code <prefix>_<unique>} and returns its name. */
    public static String create(String prefix) {
        Devstack.shared().up(EnumSet.of(Component.MARIADB));
        String database = prefix + "_" + Long.toHexString(System.nanoTime());
        sql("CREATE DATABASE `" + database + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        return database;
    }

    public static void drop(String database) {
        sql("DROP DATABASE IF EXISTS `" + database + "`");
    }

    /** One statement as the devstack user, outside any schema. */
    public static void sql(String statement) {
        try (var connection = DriverManager.getConnection(Infra.jdbcUrl(""), Infra.MARIADB_USER, Infra.MARIADB_PASSWORD);
                var sql = connection.createStatement()) {
            sql.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement, e);
        }
    }
}
