package io.talkline.gateway.ratelimit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.talkline.gateway.config.GatewayConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * The client's address: the peer, unless the peer is a configured trusted proxy — then the
 * right-most address in X-Forwarded-For (or Forwarded) that is not itself a trusted proxy.
 * Headers from anyone else change nothing, so a client cannot pick its own rate-limit key.
 */
@ApplicationScoped
public class ClientAddress {

    private static final String CONTEXT_KEY = "client-address";

    private final List<IpSubnetFilterRule> trusted = new ArrayList<>();

    @Inject
    public ClientAddress(GatewayConfig config) {
        config.trustedProxies().orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty())
                .forEach(cidr -> trusted.add(rule(cidr)));
    }

    /** For tests and tools: the trusted proxies given directly. */
    ClientAddress(List<String> trustedProxies) {
        trustedProxies.forEach(cidr -> trusted.add(rule(cidr)));
    }

    /** The client of a request, worked out once per request (the rate limit and the proxy both ask). */
    public String of(RoutingContext ctx) {
        String known = ctx.get(CONTEXT_KEY);
        if (known == null) {
            known = of(ctx.request());
            ctx.put(CONTEXT_KEY, known);
        }
        return known;
    }

    /** Whether the request came through a configured trusted proxy (whose forwarding headers count). */
    public boolean fromTrustedProxy(RoutingContext ctx) {
        if (trusted.isEmpty()) {
            return false;
        }
        SocketAddress peer = ctx.request().connection().remoteAddress();
        return peer != null && isTrusted(peer.hostAddress());
    }

    String of(HttpServerRequest request) {
        // the connection's peer: the request's own remoteAddress() would run Vert.x Web's
        // Forwarded parsing, which this class does itself, and only for trusted proxies
        SocketAddress peer = request.connection().remoteAddress();
        String address = peer == null ? "unknown" : peer.hostAddress();
        if (trusted.isEmpty()) {
            return address;
        }
        return resolve(address, request.getHeader("Forwarded"), request.headers().getAll("X-Forwarded-For"));
    }

    String resolve(String peer, String forwarded, List<String> xForwardedFor) {
        if (trusted.isEmpty() || !isTrusted(peer)) {
            return peer;
        }
        List<String> chain = forwardedChain(forwarded, xForwardedFor);
        for (int i = chain.size() - 1; i >= 0; i--) {
            String hop = chain.get(i);
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return chain.isEmpty() ? peer : chain.getFirst();
    }

    private boolean isTrusted(String address) {
        try {
            InetSocketAddress socket = new InetSocketAddress(InetAddress.getByName(address), 0);
            return trusted.stream().anyMatch(rule -> rule.matches(socket));
        } catch (UnknownHostException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Addresses in the order the proxies appended them (client first). Only literal IPs count. */
    static List<String> forwardedChain(String forwarded, List<String> xForwardedFor) {
        List<String> chain = new ArrayList<>();
        if (forwarded != null) {
            for (String element : forwarded.split(",")) {
                for (String pair : element.split(";")) {
                    String[] kv = pair.trim().split("=", 2);
                    if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("for")) {
                        addLiteral(chain, kv[1].trim().replace("\"", "").replaceFirst("^\\[(.*)\\](:\\d+)?$", "$1")
                                .replaceFirst("^([0-9.]+):\\d+$", "$1"));
                    }
                }
            }
        }
        for (String xff : xForwardedFor) {
            for (String hop : xff.split(",")) {
                addLiteral(chain, hop.trim());
            }
        }
        return chain;
    }

    private static void addLiteral(List<String> chain, String candidate) {
        // a literal IPv4/IPv6 address only: never resolve names taken from a header
        if (candidate.matches("[0-9.]{7,15}") || (candidate.contains(":") && candidate.matches("[0-9A-Fa-f:.]+"))) {
            chain.add(candidate);
        }
    }

    private static IpSubnetFilterRule rule(String cidr) {
        String[] parts = cidr.split("/");
        try {
            InetAddress address = InetAddress.getByName(parts[0]);
            int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : address.getAddress().length * 8;
            return new IpSubnetFilterRule(address, bits, IpFilterRuleType.ACCEPT);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("gateway.trusted-proxies: not an address or CIDR: " + cidr, e);
        }
    }
}
