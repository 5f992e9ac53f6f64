package io.talkline.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void withoutTrustedProxiesThePeerIsTheClientWhateverTheHeadersSay() {
        ClientAddress clients = new ClientAddress(List.of());
        assertEquals("203.0.113.9", clients.resolve("203.0.113.9", "for=198.51.100.1", List.of("198.51.100.2")));
    }

    @Test
    void anUntrustedPeerCannotSpoofItsAddress() {
        ClientAddress clients = new ClientAddress(List.of("10.0.0.0/8"));
        assertEquals("203.0.113.9", clients.resolve("203.0.113.9", null, List.of("1.2.3.4")));
    }

    @Test
    void behindTrustedProxiesTheRightMostUntrustedHopIsTheClient() {
        ClientAddress clients = new ClientAddress(List.of("10.0.0.0/8"));
        // the client tried to plant 1.2.3.4; the load balancer appended the real address
        assertEquals("198.51.100.7", clients.resolve("10.0.0.5", null, List.of("1.2.3.4, 198.51.100.7", "10.0.0.9")));
    }

    @Test
    void forwardedHeaderIsUnderstoodIncludingIpv6AndPorts() {
        ClientAddress clients = new ClientAddress(List.of("10.0.0.0/8"));
        assertEquals("2001:db8::1", clients.resolve("10.1.1.1", "for=\"[2001:db8::1]:4711\";proto=https", List.of()));
        assertEquals("192.0.2.60", clients.resolve("10.1.1.1", "for=192.0.2.60:1234", List.of()));
    }

    @Test
    void namesInHeadersAreIgnored() {
        ClientAddress clients = new ClientAddress(List.of("127.0.0.1"));
        assertEquals("127.0.0.1", clients.resolve("127.0.0.1", "for=evil.example", List.of("unknown", "_hidden")));
    }
}
