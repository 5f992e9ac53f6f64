package io.talkline.media.access;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/** Which messages (and so rooms) carry a media item, as learnt from chat.messages.v1. */
@ApplicationScoped
public class Attachments {

    private final EntityManager em;

    public Attachments(EntityManager em) {
        this.em = em;
    }

    /** The rooms whose members may read it. */
    @SuppressWarnings("unchecked")
    public List<String> rooms(String mediaId) {
        return em.createNativeQuery("select distinct room_id from media_attachments where media_id = ?1")
                .setParameter(1, mediaId).getResultList();
    }

    /** Idempotent: an event delivered twice attaches once. Returns whether it is new. */
    public boolean attach(String mediaId, String messageId, String roomId, Instant at) {
        return em.createNativeQuery("insert ignore into media_attachments (media_id, message_id, room_id, attached_at) "
                + "values (?1, ?2, ?3, ?4)").setParameter(1, mediaId).setParameter(2, messageId).setParameter(3, roomId)
                .setParameter(4, at).executeUpdate() == 1;
    }

    /** The media a deleted message carried, detached; returns their ids. */
    @SuppressWarnings("unchecked")
    public List<String> detachMessage(String messageId) {
        List<String> media = em.createNativeQuery("select media_id from media_attachments where message_id = ?1")
                .setParameter(1, messageId).getResultList();
        em.createNativeQuery("delete from media_attachments where message_id = ?1").setParameter(1, messageId)
                .executeUpdate();
        return media;
    }

    public boolean attached(String mediaId) {
        return !em.createNativeQuery("select 1 from media_attachments where media_id = ?1").setParameter(1, mediaId)
                .setMaxResults(1).getResultList().isEmpty();
    }

    public void removeAll(String mediaId) {
        em.createNativeQuery("delete from media_attachments where media_id = ?1").setParameter(1, mediaId).executeUpdate();
    }
}
