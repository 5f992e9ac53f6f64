package io.talkline.audit.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bson.Document;

import com.fasterxml.jackson.databind.JsonNode;

/** A parsed JSON tree as a BSON document, without printing and parsing it again. */
public final class Documents {

    private Documents() {
    }

    /** A scalar field as text; null when it is missing, null, an object or an array. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    public static Document of(JsonNode node) {
        Document document = new Document();
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                document.put(field.getKey(), value(field.getValue()));
            }
        }
        return document;
    }

    private static Object value(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> of(node);
            case ARRAY -> {
                List<Object> list = new ArrayList<>(node.size());
                node.forEach(item -> list.add(value(item)));
                yield list;
            }
            case STRING -> node.textValue();
            case BOOLEAN -> node.booleanValue();
            case NUMBER -> node.isIntegralNumber() ? (node.canConvertToInt() ? (Object) node.intValue()
                    : node.canConvertToLong() ? (Object) node.longValue() : node.decimalValue())
                    : (Object) node.doubleValue();
            case BINARY -> node.toString();
            default -> null; // null, missing, POJO
        };
    }
}
