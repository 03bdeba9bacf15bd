package dev.trainyard.tracking.web;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * A metric value: a JSON number, or one of the strings "NaN", "Infinity", "-Infinity", which
 * training does produce and which JSON numbers cannot express. Nothing else is coerced.
 */
class MetricValueDeserializer extends ValueDeserializer<Double> {

    @Override
    public Double deserialize(JsonParser p, DeserializationContext ctxt) {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            double value = p.getDoubleValue();
            if (Double.isInfinite(value)) {
                // 1e400 is a number too large for a double, not a request for infinity.
                return (Double) ctxt.handleWeirdNumberValue(Double.class, value,
                        "%s is beyond a double's range; send \"Infinity\" if you mean it", p.getString());
            }
            return value;
        }
        if (token == JsonToken.VALUE_STRING) {
            switch (p.getString()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        return (Double) ctxt.handleUnexpectedToken(Double.class, p);
    }
}
