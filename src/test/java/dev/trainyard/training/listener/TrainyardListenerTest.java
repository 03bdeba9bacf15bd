package dev.trainyard.training.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.trainyard.client.TrainyardClient;
import dev.trainyard.support.Api;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A user's own DL4J network streaming to a run, with fit(iterator) and with a manual loop. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TrainyardListenerTest {

    @LocalServerPort
    int port;

    private static MultiLayerNetwork network() {
        var conf = new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(0.05)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(8).nOut(1).activation(Activation.IDENTITY).build())
                .build();
        var net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static List<DataSet> batches() {
        Nd4j.getRandom().setSeed(7);
        var batches = new ArrayList<DataSet>();
        for (int i = 0; i < 5; i++) {
            var x = Nd4j.rand(16, 4);
            batches.add(new DataSet(x, x.sum(1).reshape(16, 1)));
        }
        return batches;
    }

    @Test
    void fitWithAnIteratorStreamsScoresAndEpochs() {
        var run = TrainyardClient.connect("http://localhost:" + port, null).init("dl4j", "iterator", null);
        var net = network();
        net.setListeners(new TrainyardListener(run));

        net.fit(new ListDataSetIterator<>(batches(), 1), 3);
        run.finish();

        var api = new Api(port);
        assertThat(api.get("/api/v1/runs/" + run.id() + "/metrics/score?maxPoints=1000").json().get("total").asLong()).isEqualTo(15);
        var epochs = api.get("/api/v1/runs/" + run.id() + "/metrics/epoch_score").json();
        assertThat(epochs.get("total").asLong()).isEqualTo(3);
        assertThat(epochs.get("points").get(2).get("value").doubleValue())
                .as("the network learns").isLessThan(epochs.get("points").get(0).get("value").doubleValue());
    }

    @Test
    void aManualFitLoopReportsEpochsThroughEpochEnd() {
        var run = TrainyardClient.connect("http://localhost:" + port, null).init("dl4j", "manual", null);
        var net = network();
        var listener = new TrainyardListener(run);
        net.setListeners(listener);

        for (int epoch = 0; epoch < 4; epoch++) {
            batches().forEach(net::fit);
            listener.epochEnd();
        }
        run.finish();

        var api = new Api(port);
        assertThat(api.get("/api/v1/runs/" + run.id() + "/metrics/epoch_score").json().get("total").asLong()).isEqualTo(4);
        assertThat(api.get("/api/v1/runs/" + run.id() + "/metrics/epoch_ms").json().get("total").asLong()).isEqualTo(4);
    }
}
