package io.talkline.audit.store;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;

import io.quarkus.runtime.Startup;

/**
 * The database audit events and logs are kept in ({@code quarkus.mongodb.database}). Holding the
 * client also puts Mongo under the readiness check: Quarkus' Mongo check pings only the clients a
 * service uses, and without one it answered UP whether Mongo was there or not.
 */
@Startup
@ApplicationScoped
public class AuditDatabase {

    private final MongoClient client;
    private final String name;

    public AuditDatabase(MongoClient client, @ConfigProperty(name = "quarkus.mongodb.database") String name) {
        this.client = client;
        this.name = name;
    }

    public MongoDatabase get() {
        return client.getDatabase(name);
    }
}
