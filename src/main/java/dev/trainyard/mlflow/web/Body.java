package dev.trainyard.mlflow.web;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.trainyard.mlflow.ErrorCode;
import dev.trainyard.mlflow.Messages.Tag;
import dev.trainyard.mlflow.MlflowException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request's fields, from a POST's JSON body or a GET's query. MLflow's clients differ in how they
 * write numbers: the Python client sends 64-bit integers as JSON numbers and NaN as a bare token,
 * the Java client (protobuf's JSON) sends them as strings ("1700000000000", "NaN"). Both are read.
 */
final class Body {

    private static final JsonMapper LENIENT = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private final JsonNode node;

    private Body(JsonNode node) {
        this.node = node;
    }

    static Body of(byte[] body) {
        if (body == null || body.length == 0) {
            return new Body(LENIENT.createObjectNode());
        }
        try {
            JsonNode node = LENIENT.readTree(body);
            if (node == null || !node.isObject()) {
                throw new MlflowException(ErrorCode.BAD_REQUEST, "The request body must be a JSON object");
            }
            return new Body(node);
        } catch (JacksonException e) {
            throw new MlflowException(ErrorCode.BAD_REQUEST, "Malformed JSON in the request body: " + e.getOriginalMessage());
        }
    }

    static Body of(JsonNode node) {
        return new Body(node);
    }

    String string(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isString() || v.isNumber() || v.isBoolean()) {
            return v.asString();
        }
        throw invalid(field, v);
    }

    String requiredString(String field) {
        String v = string(field);
        if (v == null) {
            throw missing(field);
        }
        return v;
    }

    Long int64(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isString()) {
            try {
                return Long.parseLong(v.asString().strip());
            } catch (NumberFormatException e) {
                throw invalid(field, v);
            }
        }
        throw invalid(field, v);
    }

    Integer int32(String field) {
        Long v = int64(field);
        if (v != null && (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE)) {
            throw new MlflowException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Invalid value " + v + " for parameter '" + field + "': out of range");
        }
        return v == null ? null : v.intValue();
    }

    /** A double: a number, a bare NaN/Infinity, or the strings protobuf writes for them. */
    Double dbl(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isString()) {
            switch (v.asString()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(v.asString());
                    } catch (NumberFormatException e) {
                        throw invalid(field, v);
                    }
            }
        }
        throw invalid(field, v);
    }

    double requiredDouble(String field) {
        Double v = dbl(field);
        if (v == null) {
            throw missing(field);
        }
        return v;
    }

    <T> List<T> list(String field, Function<Body, T> item) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw invalid(field, v);
        }
        var out = new ArrayList<T>(v.size());
        for (JsonNode element : v) {
            if (!element.isObject()) {
                throw invalid(field, element);
            }
            out.add(item.apply(new Body(element)));
        }
        return out;
    }

    List<String> strings(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (v.isString()) {
            return List.of(v.asString());
        }
        if (!v.isArray()) {
            throw invalid(field, v);
        }
        var out = new ArrayList<String>(v.size());
        for (JsonNode element : v) {
            if (!element.isString() && !element.isNumber()) {
                throw invalid(field, element);
            }
            out.add(element.asString());
        }
        return out;
    }

    static Tag tagOf(Body b) {
        return new Tag(b.requiredString("key"), b.string("value"));
    }

    static MlflowException missing(String field) {
        return new MlflowException(ErrorCode.INVALID_PARAMETER_VALUE, "Missing value for required parameter '" + field + "'.");
    }

    private static MlflowException invalid(String field, JsonNode value) {
        return new MlflowException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value " + value + " for parameter '" + field + "' supplied.");
    }
}
