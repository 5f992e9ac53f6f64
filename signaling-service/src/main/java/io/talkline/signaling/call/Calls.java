package io.talkline.signaling.call;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.smallrye.mutiny.Uni;
import io.talkline.commons.realtime.Frames.ErrorCode;
import io.talkline.signaling.config.SignalingConfig;
import io.talkline.signaling.room.Membership;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.redis.client.Response;

/**
 * The call lifecycle (api.md, /ws/signal): invite, accept, reject, join, leave, media state and the
 * relay of offers, answers and ICE candidates between participants. Membership comes from
 * chat-service; the state and every announcement from {@link CallStore}.
 */
@ApplicationScoped
public class Calls {

    /** The socket a frame came from: its user and access token (for chat-service). */
    public record Caller(String socketId, String userId, String accessToken) {
    }

    private final CallStore store;
    private final Membership membership;
    private final RedisDataSource redis;
    private final SignalingConfig config;
    private final Counter relayed;

    public Calls(CallStore store, Membership membership, RedisDataSource redis, SignalingConfig config,
            MeterRegistry metrics) {
        this.store = store;
        this.membership = membership;
        this.redis = redis;
        this.config = config;
        this.relayed = metrics.counter("talkline_signaling_signals_relayed_total");
    }

    /** Rings every other member of the room; the caller hears call.created {callId}. */
    public String invite(Caller caller, String roomId, String media) {
        if (!"audio".equals(media) && !"video".equals(media)) {
            throw new SignalError(ErrorCode.bad_request, "media: must be audio or video");
        }
        List<String> members = membership.members(caller.accessToken(), caller.userId(), roomId);
        if (members.stream().noneMatch(m -> !m.equals(caller.userId()))) {
            throw new SignalError(ErrorCode.bad_request, "nobody else is in this room");
        }
        String callId = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        check(store.invite(callId, roomId, media, caller.userId(), caller.socketId(), participantExpiry(now),
                now + config.call().ringTimeout().toMillis(), members));
        return callId;
    }

    /**
     * Answers a ringing call on this device: the user's other devices stop ringing. Only while still
     * a member of the room (one removed after the ring does not answer).
     */
    public void accept(Caller caller, String callId) {
        member(caller, callId);
        enter(caller, callId, "accept");
    }

    /** Joins a call of one of the caller's rooms (or rejoins it from a new socket after a reconnect). */
    public void join(Caller caller, String callId) {
        member(caller, callId);
        enter(caller, callId, "join");
    }

    /** Not a member (any more) of the call's room: "no such call", like any call the caller may not see. */
    private void member(Caller caller, String callId) {
        Response roomId = redis.execute("HGET", store.callKey(required(callId)), "roomId");
        if (roomId == null) {
            throw new SignalError(ErrorCode.not_found, "no such call", callId);
        }
        try {
            membership.members(caller.accessToken(), caller.userId(), roomId.toString());
        } catch (SignalError e) {
            throw e.code() == ErrorCode.not_found ? new SignalError(ErrorCode.not_found, "no such call", callId) : e;
        }
    }

    private void enter(Caller caller, String callId, String mode) {
        check(store.change("enter", required(callId), caller.userId(), caller.socketId(),
                Long.toString(participantExpiry(System.currentTimeMillis())),
                Integer.toString(config.call().maxParticipants()), mode));
    }

    public void reject(Caller caller, String callId) {
        check(store.change("reject", required(callId), caller.userId()));
    }

    /** Hangs up (this device); a call of fewer than two ends. */
    public void leave(Caller caller, String callId) {
        check(store.change("leave", required(callId), caller.userId(), caller.socketId()));
    }

    /** The socket closed: its calls lose this participant (a 1:1 call ends). Failures are the sweep's to mend. */
    public void gone(String socketId, String userId, Iterable<String> callIds) {
        for (String callId : callIds) {
            store.change("leave", callId, userId, socketId);
        }
    }

    /** signal.offer / signal.answer / signal.ice to one participant, unchanged but for {@code from}. */
    public Uni<Void> relay(Caller caller, JsonObject frame) {
        String type = frame.getString("type");
        String callId = required(frame.getString("callId"));
        String to = frame.getString("to");
        if (to == null || to.isBlank()) {
            throw new SignalError(ErrorCode.bad_request, "to: required");
        }
        if ("signal.ice".equals(type)) {
            if (!frame.containsKey("candidate")) {
                throw new SignalError(ErrorCode.bad_request, "candidate: required (null for end of candidates)");
            }
            Object candidate = frame.getValue("candidate");
            if (candidate != null && String.valueOf(candidate).length() > config.relay().maxCandidate()) {
                throw new SignalError(ErrorCode.too_large,
                        "candidate: longer than " + config.relay().maxCandidate() + " characters");
            }
        } else {
            String sdp = frame.getString("sdp");
            if (sdp == null || sdp.isBlank()) {
                throw new SignalError(ErrorCode.bad_request, "sdp: required");
            }
            if (sdp.length() > config.relay().maxSdp()) {
                throw new SignalError(ErrorCode.too_large, "sdp: longer than " + config.relay().maxSdp() + " characters");
            }
        }
        JsonObject out = frame.copy();
        out.remove("to");
        out.put("from", caller.userId());
        return store.relay(callId, caller.userId(), caller.socketId(), to, out.encode()).map(outcome -> {
            switch (outcome) {
                case 0 -> relayed.increment();
                case 1 -> throw new SignalError(ErrorCode.not_found, "you are not in this call", callId);
                default -> throw new SignalError(ErrorCode.forbidden, "to: not a participant of this call", callId);
            }
            return null;
        });
    }

    /** call.media {audio, video}: to the other participants, with the sender's userId. */
    public Uni<Void> media(Caller caller, JsonObject frame) {
        String callId = required(frame.getString("callId"));
        Boolean audio = frame.getBoolean("audio");
        Boolean video = frame.getBoolean("video");
        if (audio == null || video == null) {
            throw new SignalError(ErrorCode.bad_request, (audio == null ? "audio" : "video") + ": required, true or false");
        }
        JsonObject out = new JsonObject().put("type", "call.media").put("callId", callId).put("userId", caller.userId())
                .put("audio", audio).put("video", video);
        return store.media(callId, caller.userId(), caller.socketId(), out.encode()).map(sent -> {
            if (!sent) {
                throw new SignalError(ErrorCode.not_found, "you are not in this call", callId);
            }
            return null;
        });
    }

    /** {@code {call?, ringing}}: the call the user is in and the calls ringing for them (for {@code ready}). */
    public JsonObject current(String userId) {
        return store.status(userId);
    }

    private long participantExpiry(long now) {
        return now + config.call().participantTtl().toMillis();
    }

    private static String required(String callId) {
        if (callId == null || callId.isBlank() || callId.length() > 64) {
            throw new SignalError(ErrorCode.bad_request, "callId: required");
        }
        return callId;
    }

    private static void check(JsonObject outcome) {
        String error = outcome.getString("error");
        if (error != null) {
            throw new SignalError(ErrorCode.valueOf(error), outcome.getString("message"), outcome.getString("callId"));
        }
    }
}
