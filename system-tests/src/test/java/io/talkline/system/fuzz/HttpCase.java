package io.talkline.system.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One REST input: what is sent, to which gateway (the raised-limits one or the one with default
 * limits), and the request id the caller chose (null: none, or an invalid one the gateway must replace).
 */
record HttpCase(String label, String method, String target, List<Map.Entry<String, String>> headers, byte[] body,
        boolean http2, boolean defaultLimits, String validRequestId) {

    String summary() {
        StringBuilder out = new StringBuilder(method).append(' ').append(Report.clip(target, 160));
        for (Map.Entry<String, String> header : headers) {
            out.append(" | ").append(header.getKey()).append(": ").append(Report.clip(header.getValue(), 40));
        }
        if (body != null) {
            out.append(" | body ").append(body.length).append(" B: ")
                    .append(Report.clip(new String(body, StandardCharsets.UTF_8), 120));
        }
        return out.append(http2 ? " | HTTP/2" : "").append(defaultLimits ? " | default-limits gateway" : "").toString();
    }
}
