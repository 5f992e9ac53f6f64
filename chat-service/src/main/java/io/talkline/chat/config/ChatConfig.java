package io.talkline.chat.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "chat")
public interface ChatConfig {

    Message message();

    Room room();

    Socket socket();

    interface Socket {
        /** How often open sockets' tokens are checked against revocations (4401 when revoked). */
        @WithDefault("3s")
        java.time.Duration revocationCheck();
    }

    interface Message {
        /** Characters (code points) of a message body. */
        int maxBodyLength();

        /** Largest page of the message list. */
        int pageSizeMax();
    }

    interface Room {
        int maxMembers();
    }
}
