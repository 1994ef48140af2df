package com.reetik.bridge.cloudrun;

import com.reetik.bridge.agent.AgentException;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.status.ErrorCode;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Reads an agent's JSON answer; anything missing or of the wrong type is an {@link AgentException} naming it. */
final class Answer {

    private final String agent;
    private final String path;
    private final JsonNode node;

    private Answer(String agent, String path, JsonNode node) {
        this.agent = agent;
        this.path = path;
        this.node = node;
    }

    /** The answer's top-level object. */
    static Answer parse(String agent, String body) throws AgentException {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : Json.mapper().readTree(body);
        } catch (JacksonException e) {
            throw malformed(agent, "the answer is not JSON (" + e.getOriginalMessage() + "): "
                    + AgentErrors.shorten(body));
        }
        if (node == null || !node.isObject()) {
            throw malformed(agent, "the answer is not a JSON object: " + AgentErrors.shorten(body));
        }
        return new Answer(agent, "", node);
    }

    static AgentException malformed(String agent, String why) {
        return new AgentException(ErrorCode.DEFAULT, false, "malformed answer from the " + agent + " agent: " + why);
    }

    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    String string(String field) throws AgentException {
        JsonNode v = required(field);
        if (!v.isString() || v.stringValue().isBlank()) {
            throw wrongType(field, "a non-empty string", v);
        }
        return v.stringValue();
    }

    /** The field's text: a string as it is, anything else (e.g. an error object) as JSON. */
    String text(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isString() ? v.stringValue() : v.toString();
    }

    double number(String field) throws AgentException {
        JsonNode v = required(field);
        if (!v.isNumber()) {
            throw wrongType(field, "a number", v);
        }
        return v.doubleValue();
    }

    int integer(String field) throws AgentException {
        JsonNode v = required(field);
        if (!v.isNumber() || !v.canConvertToInt() || v.doubleValue() != Math.rint(v.doubleValue())) {
            throw wrongType(field, "a whole number", v);
        }
        return (int) v.doubleValue();
    }

    Answer object(String field) throws AgentException {
        JsonNode v = required(field);
        if (!v.isObject()) {
            throw wrongType(field, "an object", v);
        }
        return new Answer(agent, qualified(field), v);
    }

    java.util.List<Answer> objects(String field) throws AgentException {
        JsonNode v = required(field);
        if (!v.isArray()) {
            throw wrongType(field, "an array", v);
        }
        java.util.List<Answer> items = new java.util.ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String where = qualified(field) + "[" + i + "]";
            if (!item.isObject()) {
                throw malformed(agent, "'" + where + "' should be an object, not " + item);
            }
            items.add(new Answer(agent, where, item));
        }
        return items;
    }

    AgentException malformed(String why) {
        return malformed(agent, why);
    }

    private JsonNode required(String field) throws AgentException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw malformed(agent, "the field '" + qualified(field) + "' is missing");
        }
        return v;
    }

    private AgentException wrongType(String field, String expected, JsonNode actual) {
        return malformed(agent, "the field '" + qualified(field) + "' should be " + expected + ", not "
                + AgentErrors.shorten(actual.toString()));
    }

    private String qualified(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
