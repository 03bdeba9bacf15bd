package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Sweep paths land where DL4J reads them back: the configuration parses with the new values. */
class NetworkPathsTest {

    @Test
    void aMultiLayerPathSetsTheLayerAndTheNextLayerFollowsAWiderOutput() {
        String json = NetworkPaths.with(Dl4jTemplates.irisMlp().toJson(), "layers[0].nOut", 40);
        json = NetworkPaths.with(json, "layers[0].activationFn", java.util.Map.of("@class", "org.nd4j.linalg.activations.impl.ActivationReLU"));
        json = NetworkPaths.with(json, "layers[1].iUpdater.learningRate", 0.05);

        MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(json);
        var hidden = (DenseLayer) conf.getConf(0).getLayer();
        var output = (OutputLayer) conf.getConf(1).getLayer();
        assertThat(hidden.getNOut()).isEqualTo(40);
        assertThat(hidden.getActivationFn().toString()).isEqualTo("relu");
        assertThat(output.getNIn()).as("the next layer's input follows").isEqualTo(40);
        assertThat(((Adam) output.getIUpdater()).getLearningRate()).isEqualTo(0.05);
    }

    @Test
    void aGraphsLayersAreNamedByTheirVertex() {
        String graph = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(4).nOut(8).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("out").build().toJson();

        String json = NetworkPaths.with(graph, "layers[dense].nOut", 12);

        var conf = ComputationGraphConfiguration.fromJson(json);
        assertThat(((DenseLayer) ((org.deeplearning4j.nn.conf.graph.LayerVertex) conf.getVertices().get("dense"))
                .getLayerConf().getLayer()).getNOut()).isEqualTo(12);
        assertThatThrownBy(() -> NetworkPaths.with(graph, "layers[2].nOut", 12)).hasMessageContaining("no layer vertex '2'")
                .hasMessageContaining("dense");
    }

    @Test
    void whatDoesNotFitIsNamed() {
        String mlp = Dl4jTemplates.irisMlp().toJson();
        assertThatThrownBy(() -> NetworkPaths.with(mlp, "layers[one].nOut", 3)).hasMessageContaining("numbered from 0");
        assertThatThrownBy(() -> NetworkPaths.with(mlp, "layers[0]", 3)).hasMessageContaining("is not a network path");
        assertThatThrownBy(() -> NetworkPaths.with(mlp, "layers[0].nOut.x", 3)).hasMessageContaining("nOut is not an object");
        assertThatThrownBy(() -> NetworkPaths.with("{\"x\": 1}", "layers[0].nOut", 3)).hasMessageContaining("neither a MultiLayer");
    }
}
