package io.talkline.auth.events;

import java.time.Clock;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.talkline.commons.events.AuditPayload;
import io.talkline.commons.events.EventEnvelope;
import io.talkline.commons.events.Outbox;
import io.talkline.commons.events.Topics;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Audit events of auth-service (api.md: auth.login.succeeded, auth.login.failed, auth.logout,
 * auth.logout_all, auth.refresh.reuse_detected, auth.roles.changed, auth.user.disabled, …) with the
 * request id, client address and user agent of the request that caused them. Written to the outbox
 * in the caller's transaction: the event exists exactly when the change does, even with Kafka down.
 */
@ApplicationScoped
public class AuditLog {

    static final String SERVICE = "auth-service";

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final Clock clock;
    private final TransactionSynchronizationRegistry transactions;
    private final EventsRelay relay;

    public AuditLog(AgroalDataSource dataSource, ObjectMapper json, Clock clock,
            TransactionSynchronizationRegistry transactions, EventsRelay relay) {
        this.dataSource = dataSource;
        this.json = json;
        this.clock = clock;
        this.transactions = transactions;
        this.relay = relay;
    }

    /**
     * Records an event in the current transaction, or in one of its own when there is none (a
     * refused login changes nothing else but must still be recorded).
     *
     * @param key the Kafka key: the user the event is about, so one user's events stay in order
     */
    @Transactional
    public void record(String type, String actorId, String key, Map<String, ?> data) {
        HttpServerRequest request = currentRequest();
        String ip = request == null || request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        String userAgent = request == null ? null : request.getHeader("User-Agent");
        AuditPayload payload = new AuditPayload(SERVICE, ip, userAgent, json.valueToTree(data));
        Outbox.append(dataSource, Topics.AUDIT, key, EventEnvelope.of(type, actorId, json.valueToTree(payload), clock),
                json);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    relay.wake();
                }
            }
        });
    }

    private static HttpServerRequest currentRequest() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        RoutingContext context = Arc.container().instance(CurrentVertxRequest.class).get().getCurrent();
        return context == null ? null : context.request();
    }
}
