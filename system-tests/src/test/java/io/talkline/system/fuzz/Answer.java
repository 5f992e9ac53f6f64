package io.talkline.system.fuzz;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An HTTP answer as received, from the JDK client or parsed off a raw socket. */
record Answer(int status, Map<String, List<String>> headers, byte[] body, boolean head) {

    Optional<String> header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).findFirst();
    }
}
