package io.talkline.commons.logs;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;

import io.talkline.commons.auth.BearerAuthMechanism;
import io.talkline.commons.requestid.RequestIds;

/**
 * One log record as it travels on {@code platform.logs.v1}: the JSON value has exactly these
 * fields, in this order. Built on the logging thread (cheap, bounded), serialised on the sender's.
 */
public record ShippedLog(String id, String ts, String level, String service, String instance, String requestId,
        String userId, String traceId, String logger, String thread, String message, String error) {

    /** Longest message and error text shipped (characters); the rest is cut off. */
    public static final int MESSAGE_LIMIT = 8 * 1024;
    public static final int ERROR_LIMIT = 16 * 1024;
    /** MDC key OpenTelemetry puts the trace id under. */
    static final String TRACE_ID_MDC_KEY = "traceId";

    static ShippedLog of(ExtLogRecord record, String service, String instance) {
        return new ShippedLog(RequestIds.generate(), record.getInstant().toString(), levelName(record.getLevel()), service,
                instance, record.getMdc(RequestIds.MDC_KEY), record.getMdc(BearerAuthMechanism.USER_ID_MDC_KEY),
                record.getMdc(TRACE_ID_MDC_KEY), record.getLoggerName(), record.getThreadName(),
                cut(record.getFormattedMessage(), MESSAGE_LIMIT), error(record.getThrown()));
    }

    /** JBoss and JUL level names folded into the five the platform uses (JUL's SEVERE is ERROR). */
    static String levelName(Level level) {
        int value = level.intValue();
        if (value >= 1000) {
            return "ERROR";
        }
        if (value >= 900) {
            return "WARN";
        }
        if (value >= 800) {
            return "INFO";
        }
        return value >= 500 ? "DEBUG" : "TRACE";
    }

    /** "ClassName: message" and the stack trace, written no further than the limit. */
    static String error(Throwable thrown) {
        if (thrown == null) {
            return null;
        }
        Bounded text = new Bounded(ERROR_LIMIT);
        try (PrintWriter out = new PrintWriter(text)) {
            thrown.printStackTrace(out);
        } catch (RuntimeException e) {
            // a throwable whose toString() or cause chain fails still ships what was written
        }
        return cut(text.toString().stripTrailing(), ERROR_LIMIT);
    }

    static String cut(String text, int limit) {
        if (text == null || text.length() <= limit) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(limit - 1)) ? limit - 1 : limit;
        return text.substring(0, end);
    }

    /** Keeps the first {@code limit} characters and ignores the rest (a deep cause chain costs nothing more). */
    private static final class Bounded extends Writer {
        private final StringBuilder text = new StringBuilder();
        private final int limit;

        Bounded(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            int room = limit + 1 - text.length();
            if (room > 0) {
                text.append(chars, offset, Math.min(room, length));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
