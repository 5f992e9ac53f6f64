import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The floor of what forwarding costs on this machine: a bare Vert.x HTTP proxy (no rate limit,
 * headers, metrics, failover or WebSocket support; one upstream client per event loop, as the
 * gateway has). gateway-overhead.sh runs it beside the gateway, so the gateway's figure can be
 * read against what any Vert.x proxy keeps on the same cores.
 * Usage: java -cp <the gateway's lib/main jars> bench/BareProxy.java <port> <upstream host> <upstream port>
 */
public class BareProxy extends AbstractVerticle {

    static int port;
    static String upstreamHost;
    static int upstreamPort;

    @Override
    public void start() {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(100));
        vertx.createHttpServer().requestHandler(request -> {
            request.pause();
            client.request(new RequestOptions().setHost(upstreamHost).setPort(upstreamPort)
                    .setMethod(request.method()).setURI(request.uri())).onSuccess(upstream -> {
                        upstream.headers().setAll(request.headers());
                        upstream.send(request).onSuccess(answer -> {
                            request.response().setStatusCode(answer.statusCode()).headers().setAll(answer.headers());
                            request.response().send(answer);
                        }).onFailure(e -> request.response().setStatusCode(502).end());
                    }).onFailure(e -> request.response().setStatusCode(503).end());
        }).listen(port);
    }

    public static void main(String[] args) {
        port = Integer.parseInt(args[0]);
        upstreamHost = args[1];
        upstreamPort = Integer.parseInt(args[2]);
        // as many event loops as the gateway (Quarkus: two per core)
        Vertx.vertx().deployVerticle(BareProxy.class.getName(),
                new DeploymentOptions().setInstances(2 * Runtime.getRuntime().availableProcessors()));
    }
}
