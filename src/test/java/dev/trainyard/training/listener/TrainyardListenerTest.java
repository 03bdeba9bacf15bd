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
    void fitWithAnIteratorStreamsEpochsAndIterationScoresWhenAskedTo() {
        var run = TrainyardClient.connect("http://localhost:" + port, null).init("dl4j", "iterator", null);
        var net = network();
        net.setListeners(new TrainyardListener(run, 1));

        net.fit(new ListDataSetIterator<>(batches(), 1), 3);
        run.finish();

        var api = new Api(port);
        assertThat(api.get("/api/v1/runs/" + run.id() + "/metrics/score?maxPoints=1000").json().get("total").asLong()).isEqualTo(15);
        var epochs = api.get("/api/v1/runs/" + run.id() + "/metrics/loss").json();
        assertThat(epochs.get("total").asLong()).isEqualTo(3);
        assertThat(epochs.get("points").get(0).get("step").asLong()).as("epochs count from 1, as a job's").isEqualTo(1);
        assertThat(epochs.get("points").get(2).get("value").doubleValue())
                .as("the network learns").isLessThan(epochs.get("points").get(0).get("value").doubleValue());
    }

    /** The Iris template trained here with the listener, and queued as a dl4j job: the same keys, one chart. */
    @Test
    void aNetworkTrainedWithTheListenerLogsTheKeysOfTheSameNetworkQueuedAsAJob() {
        var api = new Api(port);
        var job = api.post("/api/v1/runs", "{\"project\": \"parity\", \"job\": {\"model\": \"dl4j\", \"epochs\": 3, \"network\": "
                + dev.trainyard.training.Dl4jTemplates.irisMlp().toJson() + "}}");
        assertThat(job.status()).as(job.body()).isEqualTo(201);

        var run = TrainyardClient.connect("http://localhost:" + port, null).init("parity", "own-program", null);
        var net = new MultiLayerNetwork(dev.trainyard.training.Dl4jTemplates.irisMlp());
        net.init();
        Nd4j.getRandom().setSeed(3);
        var train = new ArrayList<DataSet>();
        for (int i = 0; i < 4; i++) {
            train.add(flowers(16));
        }
        net.setListeners(new TrainyardListener(run).validateOn(flowers(30), ValidationMetrics.Task.CLASSIFICATION,
                List.of("setosa", "versicolor", "virginica")));
        net.fit(new ListDataSetIterator<>(train, 1), 3);
        run.finish();

        String jobId = job.json().get("id").asString();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2))
                .until(() -> api.get("/api/v1/runs/" + jobId).json().get("state").asString(), s -> s.matches("FINISHED|FAILED"));
        assertThat(keys(api, run.id())).isEqualTo(keys(api, jobId))
                .contains("loss", "epoch_ms", "val_loss", "val_accuracy", "val_f1", "val_precision", "val_recall");
        assertThat(api.get("/api/v1/runs/" + run.id() + "/metrics/val_accuracy").json().get("points").get(2).get("step").asLong())
                .isEqualTo(api.get("/api/v1/runs/" + jobId + "/metrics/val_accuracy").json().get("points").get(2).get("step").asLong());
    }

    /** Four random features and one of three classes. */
    private static DataSet flowers(int rows) {
        var x = Nd4j.rand(rows, 4);
        var y = Nd4j.zeros(rows, 3);
        for (int r = 0; r < rows; r++) {
            y.putScalar(r, r % 3, 1);
        }
        return new DataSet(x, y);
    }

    /** A run's metric keys, without the system/... samples a worker takes of its own process. */
    private static java.util.Set<String> keys(Api api, String runId) {
        var keys = new java.util.TreeSet<String>();
        api.get("/api/v1/runs/" + runId + "/metrics").json().forEach(k -> keys.add(k.get("key").asString()));
        keys.removeIf(k -> k.startsWith("system/"));
        return keys;
    }

    @Test
    void aManualFitLoopReportsEpochsThroughEpochEnd() {
        var run = TrainyardClient.connect("http://localhost:" + port, null).init("dl4j", "manual", null);
        var net = network();
        var listener = new TrainyardListener(run);
        net.setListeners(listener);

        for (int epoch = 0; epoch < 4; epoch++) {
            batches().forEach(net::fit);
            listener.epochEnd(net);
        }
        run.finish();

        var api = new Api(port);
        assertThat(api.get("/api/v1/runs/" + run.id() + "/metrics/loss").json().get("total").asLong()).isEqualTo(4);
        assertThat(api.get("/api/v1/runs/" + run.id() + "/metrics/score").json().get("total").asLong())
                .as("no iteration scores unless asked for").isZero();
        assertThat(api.get("/api/v1/runs/" + run.id() + "/metrics/epoch_ms").json().get("total").asLong()).isEqualTo(4);
    }
}
