package dev.trainyard.training;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A value set at a path in a dl4j job's network, as DL4J's JSON holds it, so that a sweep can vary the
 * architecture ({@code layers[0].nOut}) as it varies the learning rate. {@code layers[i]} is the i-th layer of
 * a {@code MultiLayerConfiguration} ({@code confs[i].layer} in its JSON), or the layer vertex of that name in a
 * {@code ComputationGraphConfiguration} ({@code layers[dense]}); the rest names the layer's properties, matched
 * without regard to case, since DL4J writes {@code nOut} as {@code nout}: {@code layers[0].iupdater.learningRate}.
 *
 * <p>A layer's new {@code nOut} carries over to the next layer's {@code nIn} when that equalled the old one, so
 * that a wider layer does not leave the network unable to be built.
 */
public final class NetworkPaths {

    private static final Pattern PATH = Pattern.compile("layers\\[([^\\]]+)](\\.[A-Za-z][A-Za-z0-9_]*)+");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private NetworkPaths() {
    }

    /** Whether a sweep's grid key names a place in the network rather than a field of the job. */
    public static boolean isPath(String key) {
        return key.startsWith("layers[");
    }

    /**
     * @return the network's JSON with the value set
     * @throws IllegalArgumentException when the path is malformed or names a layer or property the network lacks,
     *                                  or the value does not fit the property's kind; the message says which
     */
    public static String with(String network, String path, Object value) {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + path + "' is not a network path: write layers[<index or name>].<property>, "
                    + "for example layers[0].nOut");
        }
        JsonNode root;
        try {
            root = JSON.readTree(network);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the network is not JSON: " + e.getMessage());
        }
        String layerRef = m.group(1);
        List<String> properties = List.of(path.substring(path.indexOf("].") + 2).split("\\."));
        ObjectNode layer = layer(root, layerRef, path);
        ObjectNode holder = layer;
        for (int i = 0; i < properties.size() - 1; i++) {
            String name = propertyName(holder, properties.get(i), path);
            if (!(holder.get(name) instanceof ObjectNode inner)) {
                throw new IllegalArgumentException(path + ": " + properties.get(i) + " is not an object in layer " + layerRef);
            }
            holder = inner;
        }
        String last = propertyName(holder, properties.get(properties.size() - 1), path);
        JsonNode old = holder.get(last);
        JsonNode replacement = JSON.valueToTree(value);
        if (old != null && !old.isNull() && (old.isNumber() != replacement.isNumber() || old.isString() != replacement.isString()
                || old.isBoolean() != replacement.isBoolean() || old.isContainer() != replacement.isContainer())) {
            throw new IllegalArgumentException(path + " holds " + old + "; " + replacement + " is not of its kind");
        }
        holder.set(last, replacement);
        if (holder == layer && last.equalsIgnoreCase("nout") && old != null && old.isNumber()) {
            carryToNextLayer(root, layerRef, old, replacement);
        }
        return JSON.writeValueAsString(root);
    }

    private static ObjectNode layer(JsonNode root, String ref, String path) {
        if (root.get("confs") instanceof ArrayNode confs) {
            int index;
            try {
                index = Integer.parseInt(ref.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(path + ": a MultiLayerConfiguration's layers are numbered from 0, not named '" + ref + "'");
            }
            if (index < 0 || index >= confs.size() || !(confs.get(index).get("layer") instanceof ObjectNode layer)) {
                throw new IllegalArgumentException(path + ": the network has layers 0 to " + (confs.size() - 1));
            }
            return layer;
        }
        if (root.get("vertices") instanceof ObjectNode vertices) {
            if (vertices.get(ref) instanceof ObjectNode vertex && vertex.get("layerConf") instanceof ObjectNode conf
                    && conf.get("layer") instanceof ObjectNode layer) {
                return layer;
            }
            var names = new ArrayList<String>();
            vertices.propertyNames().forEach(names::add);
            throw new IllegalArgumentException(path + ": the graph has no layer vertex '" + ref + "'; its vertices are " + names);
        }
        throw new IllegalArgumentException(path + ": the network is neither a MultiLayerConfiguration nor a ComputationGraphConfiguration");
    }

    private static String propertyName(ObjectNode holder, String wanted, String path) {
        if (holder.has(wanted)) {
            return wanted;
        }
        var names = new ArrayList<String>();
        holder.propertyNames().forEach(names::add);
        return names.stream().filter(n -> n.equalsIgnoreCase(wanted)).findFirst().orElseThrow(() ->
                new IllegalArgumentException(path + ": no property '" + wanted + "' here; there are " + names));
    }

    /** In a MultiLayerConfiguration, the next layer's nIn follows a changed nOut it matched. */
    private static void carryToNextLayer(JsonNode root, String ref, JsonNode oldOut, JsonNode newOut) {
        if (!(root.get("confs") instanceof ArrayNode confs)) {
            return;
        }
        int next = Integer.parseInt(ref.strip()) + 1;
        if (next < confs.size() && confs.get(next).get("layer") instanceof ObjectNode layer && layer.get("nin") != null
                && layer.get("nin").asLong() == oldOut.asLong()) {
            layer.set("nin", newOut);
        }
    }
}
