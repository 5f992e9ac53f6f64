package io.talkline.signaling.ice;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

@Path("/api/calls/ice-servers")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "BearerAuth")
public class IceResource {

    public record IceServers(List<Map<String, Object>> iceServers, long ttl) {
    }

    private final IceConfig config;
    private final TurnCredentials credentials;
    private final SecurityIdentity identity;

    public IceResource(IceConfig config, TurnCredentials credentials, SecurityIdentity identity) {
        this.config = config;
        this.credentials = credentials;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "STUN and TURN servers for RTCPeerConnection, with TURN credentials for the caller (valid for ttl seconds)")
    public IceServers get() {
        TurnCredentials.Credential turn = credentials.issue(identity.getPrincipal().getName());
        List<Map<String, Object>> servers = new ArrayList<>();
        if (!config.stunUrls().isEmpty()) {
            servers.add(Map.of("urls", config.stunUrls()));
        }
        servers.add(Map.of("urls", config.turnUrls(), "username", turn.username(), "credential", turn.credential()));
        return new IceServers(servers, turn.ttlSeconds());
    }
}
