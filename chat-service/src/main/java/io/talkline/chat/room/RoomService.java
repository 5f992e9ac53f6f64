package io.talkline.chat.room;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.talkline.chat.config.ChatConfig;
import io.talkline.chat.message.Message;
import io.talkline.chat.message.MessageView;
import io.talkline.chat.realtime.Fanout;
import io.talkline.chat.room.RoomViews.Member;
import io.talkline.chat.room.RoomViews.NewRoom;
import io.talkline.chat.room.RoomViews.RoomView;
import io.talkline.commons.events.AuditLog;
import io.talkline.commons.problem.ProblemException;
import io.vertx.core.json.JsonObject;

@ApplicationScoped
public class RoomService {

    /** A room and whether this call created it (201) or found the existing direct room (200). */
    public record Opened(RoomView room, boolean created) {
    }

    private final EntityManager em;
    private final Clock clock = Clock.systemUTC();
    private final Fanout fanout;
    private final AuditLog audit;
    private final ChatConfig config;

    public RoomService(EntityManager em, Fanout fanout, AuditLog audit, ChatConfig config) {
        this.em = em;
        this.fanout = fanout;
        this.audit = audit;
        this.config = config;
    }

    public Opened open(Caller caller, NewRoom request) {
        Set<String> others = new LinkedHashSet<>(request.memberIds());
        others.remove(caller.userId());
        if (Room.DIRECT.equals(request.type())) {
            if (others.size() != 1) {
                throw ProblemException.badRequest("memberIds", "must name exactly one other user");
            }
            String other = others.iterator().next();
            String key = caller.userId().compareTo(other) < 0 ? caller.userId() + ":" + other : other + ":" + caller.userId();
            Room existing = QuarkusTransaction.requiringNew().call(() -> Room.find("directKey", key).firstResult());
            if (existing != null) {
                return new Opened(reopened(caller, existing.id), false);
            }
            try {
                return new Opened(QuarkusTransaction.requiringNew().call(() -> create(caller, Room.DIRECT, null, key,
                        List.of(other))), true);
            } catch (RuntimeException e) {
                // a concurrent request created the pair's room first: the unique key decided, answer with it
                Room raced = QuarkusTransaction.requiringNew().call(() -> Room.find("directKey", key).firstResult());
                if (raced == null) {
                    throw e;
                }
                return new Opened(reopened(caller, raced.id), false);
            }
        }
        if (request.name() == null || request.name().isBlank()) {
            throw ProblemException.badRequest("name", "must not be blank");
        }
        if (others.size() + 1 > config.room().maxMembers()) {
            throw ProblemException.badRequest("memberIds", "at most " + (config.room().maxMembers() - 1));
        }
        return new Opened(QuarkusTransaction.requiringNew().call(() -> create(caller, Room.GROUP, request.name().strip(), null,
                new ArrayList<>(others))), true);
    }

    private RoomView reopened(Caller caller, String roomId) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> reopen(caller, roomId));
        } catch (RuntimeException e) {
            // the same caller's concurrent request made them a member first: the second look finds the row
            return QuarkusTransaction.requiringNew().call(() -> reopen(caller, roomId));
        }
    }

    /**
     * The pair's existing direct room, as a member: one who left it joins it again (ADR 0012) —
     * never the room's content to someone outside it. The other side is not pulled back in.
     */
    private RoomView reopen(Caller caller, String roomId) {
        if (RoomMember.findById(new RoomMember.Key(roomId, caller.userId())) == null) {
            addRow(roomId, caller.userId(), RoomMember.MEMBER);
            audit.record("chat.member.added", caller.userId(), roomId, Map.of("roomId", roomId, "userId",
                    caller.userId(), "role", RoomMember.MEMBER, "reopened", true));
            JsonObject frame = new JsonObject().put("type", "room.member.added").put("roomId", roomId).put("userId",
                    caller.userId());
            fanout.toRoomAfterCommit(roomId, frame);
            fanout.toUserAfterCommit(caller.userId(), frame);
            Log.infof("direct room reopened roomId=%s", roomId);
        }
        return view(roomId, caller.userId());
    }

    private RoomView create(Caller caller, String type, String name, String directKey, List<String> others) {
        Room room = new Room();
        room.id = UUID.randomUUID().toString();
        room.type = type;
        room.name = name;
        room.directKey = directKey;
        room.createdBy = caller.userId();
        room.createdAt = clock.instant();
        room.persist();
        addRow(room.id, caller.userId(), Room.DIRECT.equals(type) ? RoomMember.MEMBER : RoomMember.OWNER);
        for (String other : others) {
            addRow(room.id, other, RoomMember.MEMBER);
        }
        em.flush(); // the direct key's unique index speaks now, inside the caller's try
        RoomView view = view(room.id, caller.userId());
        for (String userId : view.members().stream().map(Member::userId).toList()) {
            fanout.toUserAfterCommit(userId, fanout.frame("room.created", "room", view(room.id, userId)));
        }
        Log.infof("room created roomId=%s type=%s members=%d", room.id, type, others.size() + 1);
        return view;
    }

    private void addRow(String roomId, String userId, String role) {
        RoomMember member = new RoomMember();
        member.roomId = roomId;
        member.userId = userId;
        member.role = role;
        member.joinedAt = clock.instant();
        member.persist();
    }

    /** The caller's rooms, each with its last message and unread count, in three statements. */
    @Transactional
    public List<RoomView> list(String userId) {
        List<RoomMember> memberships = RoomMember.list("userId", userId);
        if (memberships.isEmpty()) {
            return List.of();
        }
        List<String> ids = memberships.stream().map(m -> m.roomId).toList();
        Map<String, Room> rooms = new HashMap<>();
        Room.<Room> list("id in ?1", ids).forEach(r -> rooms.put(r.id, r));
        Map<String, List<Member>> members = new HashMap<>();
        RoomMember.<RoomMember> list("roomId in ?1 order by joinedAt", ids)
                .forEach(m -> members.computeIfAbsent(m.roomId, k -> new ArrayList<>()).add(new Member(m.userId, m.role)));
        Map<String, Message> last = new HashMap<>();
        em.createQuery("select m from Message m, Room r where r.id in ?1 and m.roomId = r.id and m.seq = r.lastSeq",
                Message.class).setParameter(1, ids).getResultList().forEach(m -> last.put(m.roomId, m));
        Map<String, Long> unread = unread(userId, ids);
        return memberships.stream().map(m -> rooms.get(m.roomId)).map(r -> new RoomView(r.id, r.type, r.name,
                members.getOrDefault(r.id, List.of()), r.lastSeq,
                last.containsKey(r.id) ? MessageView.of(last.get(r.id), Map.of()) : null,
                unread.getOrDefault(r.id, 0L), r.createdAt))
                .sorted((a, b) -> activity(b).compareTo(activity(a))).toList();
    }

    private static java.time.Instant activity(RoomView room) {
        return room.lastMessage() != null ? room.lastMessage().createdAt() : room.createdAt();
    }

    /** Messages of others after the member's seen receipt (deleted ones do not count). */
    private Map<String, Long> unread(String userId, List<String> roomIds) {
        Map<String, Long> counts = new HashMap<>();
        em.createQuery("select m.roomId, count(m) from Message m, RoomMember rm where rm.userId = ?1 and rm.roomId in ?2"
                + " and m.roomId = rm.roomId and m.seq > rm.seenSeq and m.senderId <> ?1 and m.deletedAt is null"
                + " group by m.roomId", Object[].class).setParameter(1, userId).setParameter(2, roomIds).getResultList()
                .forEach(row -> counts.put((String) row[0], (Long) row[1]));
        return counts;
    }

    @Transactional
    public RoomView get(Caller caller, String roomId) {
        access(caller, roomId);
        return view(roomId, caller.userId());
    }

    RoomView view(String roomId, String userId) {
        Room room = Room.findById(roomId);
        List<Member> members = RoomMember.<RoomMember> list("roomId = ?1 order by joinedAt", roomId).stream()
                .map(m -> new Member(m.userId, m.role)).toList();
        Message last = room.lastSeq == 0 ? null
                : Message.<Message> find("roomId = ?1 and seq = ?2", roomId, room.lastSeq).firstResult();
        return new RoomView(room.id, room.type, room.name, members, room.lastSeq,
                last == null ? null : MessageView.of(last, Map.of()),
                unread(userId, List.of(roomId)).getOrDefault(roomId, 0L), room.createdAt);
    }

    /** The user's rooms and their last seq, for a socket's ready frame. */
    @Transactional
    public List<Map.Entry<String, Long>> lastSeqs(String userId) {
        return em.createNamedQuery(Room.LAST_SEQS_OF_MEMBER, Object[].class).setParameter(1, userId).getResultList().stream()
                .map(row -> Map.entry((String) row[0], (Long) row[1])).toList();
    }

    /** The room's member ids, for someone who may see the room. */
    @Transactional
    public List<String> memberIds(Caller caller, String roomId) {
        access(caller, roomId);
        return em.createQuery("select m.userId from RoomMember m where m.roomId = ?1 order by m.joinedAt", String.class)
                .setParameter(1, roomId).getResultList();
    }

    @Transactional
    public long lastSeq(String roomId) {
        Room room = Room.findById(roomId);
        return room == null ? 0 : room.lastSeq;
    }

    /** access() in a transaction of its own (socket frames). */
    @Transactional
    public void readable(Caller caller, String roomId) {
        access(caller, roomId);
    }

    /**
     * The caller's membership, or null for staff who are not members; a room the caller may not
     * see does not exist for them (404).
     */
    public RoomMember access(Caller caller, String roomId) {
        RoomMember member = RoomMember.findById(new RoomMember.Key(roomId, caller.userId()));
        if (member != null) {
            return member;
        }
        if (caller.staff() && Room.findById(roomId) != null) {
            return null;
        }
        throw ProblemException.notFound("No such room");
    }

    /** Owners and admins of the room, and global moderators and admins, manage its members. */
    @Transactional
    public RoomView addMember(Caller caller, String roomId, String userId, String role) {
        RoomMember self = access(caller, roomId);
        Room room = Room.findById(roomId);
        if (self != null && !self.manages() && !caller.staff()) {
            throw ProblemException.forbidden("Only the room's owner or admins add members");
        }
        if (Room.DIRECT.equals(room.type)) {
            throw ProblemException.forbidden("A direct room has exactly two members");
        }
        if (RoomMember.findById(new RoomMember.Key(roomId, userId)) != null) {
            throw ProblemException.conflict("Already a member");
        }
        if (RoomMember.count("roomId", roomId) >= config.room().maxMembers()) {
            throw ProblemException.conflict("The room is full");
        }
        addRow(roomId, userId, role == null ? RoomMember.MEMBER : role);
        audit.record("chat.member.added", caller.userId(), roomId, Map.of("roomId", roomId, "userId", userId, "role",
                role == null ? RoomMember.MEMBER : role));
        JsonObject frame = new JsonObject().put("type", "room.member.added").put("roomId", roomId).put("userId", userId);
        fanout.toRoomAfterCommit(roomId, frame);
        fanout.toUserAfterCommit(userId, frame);
        return view(roomId, caller.userId());
    }

    /**
     * Owners and admins (and staff) make members admins or admins members; only the owner (or
     * staff) hands ownership over, and the previous owner becomes an admin. A room always has one owner.
     */
    @Transactional
    public RoomView changeRole(Caller caller, String roomId, String userId, String role) {
        RoomMember self = access(caller, roomId);
        RoomMember target = RoomMember.findById(new RoomMember.Key(roomId, userId));
        if (self != null && !self.manages() && !caller.staff()) {
            throw ProblemException.forbidden("Only the room's owner or admins change roles");
        }
        if (target == null) {
            throw ProblemException.notFound("No such member");
        }
        if (Room.DIRECT.equals(Room.<Room> findById(roomId).type)) {
            throw ProblemException.forbidden("A direct room has no roles to change");
        }
        boolean byOwner = self != null && RoomMember.OWNER.equals(self.role);
        if ((RoomMember.OWNER.equals(role) || RoomMember.OWNER.equals(target.role)) && !byOwner && !caller.staff()) {
            throw ProblemException.forbidden("Only the owner hands ownership over");
        }
        if (role.equals(target.role)) {
            return view(roomId, caller.userId());
        }
        if (RoomMember.OWNER.equals(target.role)) {
            throw ProblemException.conflict("Hand ownership to another member instead: a room always has an owner");
        }
        if (RoomMember.OWNER.equals(role)) {
            RoomMember.<RoomMember> find("roomId = ?1 and role = ?2", roomId, RoomMember.OWNER).firstResultOptional()
                    .ifPresent(owner -> roleChanged(caller, roomId, owner, RoomMember.ADMIN));
        }
        roleChanged(caller, roomId, target, role);
        return view(roomId, caller.userId());
    }

    private void roleChanged(Caller caller, String roomId, RoomMember member, String role) {
        String before = member.role;
        member.role = role;
        audit.record("chat.member.role_changed", caller.userId(), roomId, Map.of("roomId", roomId, "userId",
                member.userId, "before", before, "after", role));
        fanout.toRoomAfterCommit(roomId, new JsonObject().put("type", "room.member.updated").put("roomId", roomId)
                .put("userId", member.userId).put("role", role));
    }

    /** Managers remove others (not the owner); anyone may leave. An owner who leaves hands over. */
    @Transactional
    public void removeMember(Caller caller, String roomId, String userId) {
        RoomMember self = access(caller, roomId);
        RoomMember target = RoomMember.findById(new RoomMember.Key(roomId, userId));
        boolean leaving = caller.userId().equals(userId);
        if (!leaving && (self == null ? !caller.staff() : !self.manages() && !caller.staff())) {
            throw ProblemException.forbidden("Only the room's owner or admins remove members");
        }
        if (target == null) {
            throw ProblemException.notFound("No such member");
        }
        if (!leaving && RoomMember.OWNER.equals(target.role) && !caller.staff()) {
            throw ProblemException.forbidden("The owner cannot be removed");
        }
        target.delete();
        if (RoomMember.OWNER.equals(target.role)) {
            RoomMember.<RoomMember> find("roomId = ?1 order by case role when 'admin' then 0 else 1 end, joinedAt", roomId)
                    .firstResultOptional().ifPresent(next -> roleChanged(caller, roomId, next, RoomMember.OWNER));
        }
        audit.record("chat.member.removed", caller.userId(), roomId, Map.of("roomId", roomId, "userId", userId));
        JsonObject frame = new JsonObject().put("type", "room.member.removed").put("roomId", roomId).put("userId", userId);
        fanout.toRoomAfterCommit(roomId, frame);
        fanout.toUserAfterCommit(userId, frame);
    }
}
