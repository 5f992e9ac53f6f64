package io.talkline.gateway.docs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.talkline.commons.problem.ProblemException;
import io.talkline.gateway.config.GatewayConfig;
import io.talkline.gateway.routing.Upstream;
import io.talkline.gateway.routing.UpstreamPool;
import io.talkline.gateway.routing.Upstreams;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;

/**
 * Each service's OpenAPI document, fetched from a ready instance and kept for a minute, so /docs
 * shows every service from one origin without a request per page view reaching the services.
 */
@ApplicationScoped
public class ServiceDocs {

    private static final Duration FRESH_FOR = Duration.ofMinutes(1);

    private record Cached(String json, long fetchedAt) {
    }

    private final Upstreams upstreams;
    private final HttpClient client;
    private final GatewayConfig config;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public ServiceDocs(Upstreams upstreams, Vertx vertx, GatewayConfig config) {
        this.upstreams = upstreams;
        this.config = config;
        this.client = vertx
                .createHttpClient(new HttpClientOptions().setConnectTimeout((int) config.connectTimeout().toMillis()));
    }

    public Uni<String> openApi(String service) {
        UpstreamPool pool = upstreams.pool(service);
        if (pool == null) {
            throw ProblemException.notFound("No service called " + service);
        }
        Cached cached = cache.get(service);
        if (cached != null && System.currentTimeMillis() - cached.fetchedAt() < FRESH_FOR.toMillis()) {
            return Uni.createFrom().item(cached.json());
        }
        List<Upstream> candidates = pool.candidates();
        if (candidates.isEmpty()) {
            return stale(service, cached);
        }
        Upstream upstream = candidates.getFirst();
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setServer(upstream.address())
                .setURI("/q/openapi?format=json").setTimeout(config.upstreamTimeout().toMillis());
        return client.request(request)
                .chain(req -> req.send())
                .chain(resp -> resp.statusCode() == 200 ? resp.body()
                        : Uni.createFrom().failure(new IllegalStateException("status " + resp.statusCode())))
                .map(Buffer::toString)
                .invoke(json -> cache.put(service, new Cached(json, System.currentTimeMillis())))
                .onFailure().recoverWithUni(failure -> stale(service, cached));
    }

    /** An older copy beats no documentation; none at all is a 503. */
    private Uni<String> stale(String service, Cached cached) {
        if (cached != null) {
            return Uni.createFrom().item(cached.json());
        }
        return Uni.createFrom()
                .failure(new ProblemException(503, "The " + service + " service's API description is unavailable"));
    }
}
