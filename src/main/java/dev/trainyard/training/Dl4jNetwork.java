package dev.trainyard.training;

import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A user's network, from DL4J's own JSON: a {@link MultiLayerConfiguration} or a
 * {@link ComputationGraphConfiguration} with one input and one output. It can be sized before it is
 * built, so that a network too large for the limits is refused without allocating it.
 */
final class Dl4jNetwork {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final MultiLayerConfiguration layers;
    private final ComputationGraphConfiguration graph;

    private Dl4jNetwork(MultiLayerConfiguration layers, ComputationGraphConfiguration graph) {
        this.layers = layers;
        this.graph = graph;
    }

    /** @throws JobRefusal (field {@code network}) with the JSON parser's or DL4J's message */
    static Dl4jNetwork parse(String json) {
        if (json == null || json.isBlank()) {
            throw new JobRefusal("network", "the network is empty");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JacksonException e) {
            var at = e.getLocation();
            throw new JobRefusal("network", "the network is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new JobRefusal("network", "the network must be a JSON object, as MultiLayerConfiguration.toJson() writes it");
        }
        try {
            if (tree.has("vertices")) {
                ComputationGraphConfiguration graph = ComputationGraphConfiguration.fromJson(json);
                if (graph.getNetworkInputs().size() != 1 || graph.getNetworkOutputs().size() != 1) {
                    throw new JobRefusal("network", "a ComputationGraph job takes one input and one output; this one has inputs "
                            + graph.getNetworkInputs() + " and outputs " + graph.getNetworkOutputs());
                }
                return new Dl4jNetwork(null, graph);
            }
            if (tree.has("confs")) {
                return new Dl4jNetwork(MultiLayerConfiguration.fromJson(json), null);
            }
        } catch (JobRefusal e) {
            throw e;
        } catch (RuntimeException e) {
            throw new JobRefusal("network", "DL4J could not read the configuration: " + deepest(e), e);
        }
        throw new JobRefusal("network", "not a DL4J configuration: expected the JSON of MultiLayerConfiguration.toJson() "
                + "(with \"confs\") or ComputationGraphConfiguration.toJson() (with \"vertices\")");
    }

    /** The most specific message in a chain: DL4J wraps Jackson's, which names the field at fault. */
    static String deepest(Throwable e) {
        String message = e.getMessage();
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    boolean isGraph() {
        return graph != null;
    }

    /** The first layer: what takes the features. */
    private Layer inputLayer() {
        if (layers != null) {
            return layers.getConf(0).getLayer();
        }
        String input = graph.getNetworkInputs().get(0);
        for (var e : graph.getVertexInputs().entrySet()) {
            if (e.getValue().contains(input) && graph.getVertices().get(e.getKey()) instanceof LayerVertex v) {
                return v.getLayerConf().getLayer();
            }
        }
        return null;
    }

    private Layer outputLayer() {
        if (layers != null) {
            return layers.getConf(layers.getConfs().size() - 1).getLayer();
        }
        GraphVertex out = graph.getVertices().get(graph.getNetworkOutputs().get(0));
        return out instanceof LayerVertex v ? v.getLayerConf().getLayer() : null;
    }

    private static String describe(Layer layer, int index) {
        String name = layer.getLayerName();
        return layer.getClass().getSimpleName() + (index >= 0 ? " (layer " + index : " (") + (name == null ? "" : ", name \""
                + name + "\"") + ")";
    }

    /**
     * Checks that the network's first layer takes {@code inputs} features and its last gives {@code outputs} values.
     *
     * @throws JobRefusal (field {@code network}) naming the layer and both widths
     */
    void requireWidths(int inputs, int outputs, List<String> features, boolean classification) {
        Layer first = inputLayer();
        boolean preprocessed = layers != null && layers.getInputPreProcess(0) != null;
        if (first instanceof FeedForwardLayer ff && !preprocessed && ff.getNIn() != inputs) {
            throw new JobRefusal("network", "wrong input width: the first layer, " + describe(first, layers == null ? -1 : 0)
                    + ", takes nIn=" + ff.getNIn() + " inputs, but the dataset has " + inputs + " feature columns " + features);
        }
        Layer last = outputLayer();
        int lastIndex = layers == null ? -1 : layers.getConfs().size() - 1;
        if (!(last instanceof BaseOutputLayer) && !(last instanceof LossLayer)) {
            throw new JobRefusal("network", "the last layer, " + (last == null ? "a vertex" : describe(last, lastIndex))
                    + ", is not an output layer: end the network with an OutputLayer (or LossLayer) that has a loss function");
        }
        if (last instanceof FeedForwardLayer ff && ff.getNOut() != outputs) {
            throw new JobRefusal("network", "wrong output width: the output layer, " + describe(last, lastIndex) + ", gives nOut="
                    + ff.getNOut() + " values, but the " + (classification ? "label has " + outputs + " classes"
                    : "task has " + outputs + " target column(s)"));
        }
    }

    /** The trainable parameters, counted from the configuration without allocating them. */
    long parameters() {
        long total = 0;
        if (layers != null) {
            for (NeuralNetConfiguration conf : layers.getConfs()) {
                total += conf.getLayer().initializer().numParams(conf);
            }
        } else {
            for (GraphVertex vertex : graph.getVertices().values()) {
                if (vertex instanceof LayerVertex v) {
                    total += v.getLayerConf().getLayer().initializer().numParams(v.getLayerConf());
                }
            }
        }
        return total;
    }

    /**
     * DL4J's own estimate of training memory for a mini-batch of {@code batch}, in bytes as FLOAT: parameters,
     * gradients, updater state and activations. Where DL4J cannot estimate a layer, 16 bytes a parameter.
     */
    long trainingBytes(int inputs, int batch) {
        try {
            var report = layers != null ? layers.getMemoryReport(InputType.feedForward(inputs))
                    : graph.getMemoryReport(InputType.feedForward(inputs));
            return report.getTotalMemoryBytes(batch, MemoryUseMode.TRAINING, CacheMode.NONE, DataType.FLOAT);
        } catch (RuntimeException e) {
            return 16 * parameters();
        }
    }

    /** The configuration's own seed, which the job's takes over from when it gives none. */
    long configuredSeed() {
        return layers != null ? layers.getConf(0).getSeed() : graph.getDefaultConfiguration().getSeed();
    }

    /** Builds and initialises the network; a non-null {@code seed} replaces the configuration's. */
    Model init(Long seed) {
        if (layers != null) {
            if (seed != null) {
                layers.getConfs().forEach(c -> c.setSeed(seed));
            }
            var net = new MultiLayerNetwork(layers);
            net.init();
            return net;
        }
        if (seed != null) {
            graph.getDefaultConfiguration().setSeed(seed);
            graph.getVertices().values().forEach(v -> {
                if (v instanceof LayerVertex lv) {
                    lv.getLayerConf().setSeed(seed);
                }
            });
        }
        var net = new ComputationGraph(graph);
        net.init();
        return net;
    }

    static INDArray output(Model net, INDArray features) {
        return dev.trainyard.training.listener.ValidationMetrics.output(net, features);
    }

    static void fit(Model net, DataSetIterator iterator) {
        if (net instanceof MultiLayerNetwork m) {
            m.fit(iterator);
        } else {
            ((ComputationGraph) net).fit(iterator);
        }
    }
}
