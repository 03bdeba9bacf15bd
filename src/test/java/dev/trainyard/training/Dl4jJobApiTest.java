package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.trainyard.support.Api;
import dev.trainyard.support.Multipart;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** dl4j jobs through the REST API: refused at submission with DL4J's words, or trained by the queue and used. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class Dl4jJobApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    private Api.Response submit(String project, String job) {
        return new Api(port).post("/api/v1/runs", "{\"project\": \"" + project + "\", \"job\": " + job + "}");
    }

    private static String dl4j(String network, String rest) {
        return "{\"model\": \"dl4j\", \"network\": " + network + (rest.isEmpty() ? "" : ", " + rest) + "}";
    }

    private static void assertRefused(Api.Response response, String field, String... details) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
        assertThat(response.json().get("detail").asString()).contains(details);
    }

    private static String mlp(int nIn, int hidden, int hiddenIn, int nOut) {
        return new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nIn(nIn).nOut(hidden).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hiddenIn).nOut(nOut)
                        .activation(Activation.SOFTMAX).build())
                .build().toJson();
    }

    @Test
    void anUnparsableNetworkIsRefusedWithTheParsersMessage() {
        assertRefused(submit("dl4j-bad", dl4j("\"{\\\"confs\\\": [\"", "")), "job.network", "the network is not valid JSON", "line 1");
        assertRefused(submit("dl4j-bad", dl4j("{\"hello\": 1}", "")), "job.network", "not a DL4J configuration");
        // DL4J's own reader, on a layer type it does not know
        assertRefused(submit("dl4j-bad", dl4j("{\"confs\": [{\"layer\": {\"@class\": \"org.deeplearning4j.nn.conf.layers.NoSuchLayer\"}}]}", "")),
                "job.network", "DL4J could not read the configuration", "NoSuchLayer");
        assertThat(new Api(port).get("/api/v1/runs?project=dl4j-bad").json().path("items").size()).isZero();
    }

    @Test
    void aWrongInputOrOutputWidthIsRefusedNamingTheLayer() {
        assertRefused(submit("dl4j-width", dl4j(mlp(5, 8, 8, 3), "\"dataset\": \"builtin:iris\"")), "job.network",
                "wrong input width", "DenseLayer (layer 0", "nIn=5", "4 feature columns [sepal_length, sepal_width, petal_length, petal_width]");
        assertRefused(submit("dl4j-width", dl4j(mlp(4, 8, 8, 2), "\"dataset\": \"builtin:iris\"")), "job.network",
                "wrong output width", "OutputLayer (layer 1", "nOut=2", "3 classes");
    }

    @Test
    void layersThatDoNotFitTogetherAreRefusedWithDl4jsMessage() {
        // layer 0 gives 8, layer 1 takes 6 (DL4J's builder would mend it; hand-edited JSON need not): DL4J notices only
        // when data flows, which submission tries on one row
        var tree = (tools.jackson.databind.node.ObjectNode) JSON.readTree(mlp(4, 8, 8, 3));
        ((tools.jackson.databind.node.ObjectNode) tree.get("confs").get(1).get("layer")).put("nin", 6);
        String mismatched = tree.toString();
        assertRefused(submit("dl4j-shape", dl4j(mismatched, "")), "job.network", "DL4J refused the network", "layer1");
    }

    @Test
    void aTooLargeNetworkIsRefusedAtSubmission() {
        String huge = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(10_000).build())
                .layer(new DenseLayer.Builder().nIn(10_000).nOut(10_000).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(10_000).nOut(3).activation(Activation.SOFTMAX).build())
                .build().toJson();

        assertRefused(submit("dl4j-huge", dl4j(huge, "")), "job.network", "the network is too large", "100,090,003 parameters");
    }

    @Test
    void aNetworkUploadedAsAFileIsTakenByItsId() {
        var api = new Api(port);
        var file = Multipart.post(api.uri("/api/v1/datasets"), "iris-mlp.json", "application/json",
                mlp(5, 8, 8, 3).getBytes(StandardCharsets.UTF_8));
        assertThat(file.status()).as(file.body()).isEqualTo(201);
        assertThat(file.json().get("schema").isNull()).as("JSON is not a table").isTrue();
        String id = file.json().get("id").asString();

        // the uploaded network is read and checked like an inline one: nIn 5 against Iris's 4 features
        assertRefused(submit("dl4j-file", "{\"model\": \"dl4j\", \"networkFile\": \"" + id + "\"}"), "job.network",
                "wrong input width", "nIn=5");
        assertRefused(submit("dl4j-file", "{\"model\": \"dl4j\", \"networkFile\": \"nosuchupload\"}"), "job.networkFile",
                "does not exist");
        // and a text upload is no table to train on
        assertRefused(submit("dl4j-file", dl4j(mlp(4, 8, 8, 3), "\"dataset\": \"dataset:" + id + "\", \"label\": \"y\", "
                + "\"task\": \"regression\"")), "job.dataset", "is text, not a table");
    }

    @Test
    void stepsIsRefusedForDl4jWhichTrainsEpochs() {
        var response = submit("dl4j-steps", dl4j(mlp(4, 8, 8, 3), "\"steps\": 10"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("send epochs, not steps");
    }

    @Test
    void aCsvUploadShowsItsSchemaAndBadTablesAreRefusedWithLineAndColumn() {
        var api = new Api(port);
        var ragged = Multipart.post(api.uri("/api/v1/datasets"), "ragged.csv", "text/csv",
                "a,b,y\n1,2,0\n3,4\n".getBytes(StandardCharsets.UTF_8));
        assertThat(ragged.status()).isEqualTo(400);
        assertThat(ragged.json().get("detail").asString()).contains("line 3 has 2 fields");

        var created = Multipart.post(api.uri("/api/v1/datasets"), "points.csv", "text/csv",
                "\"a\";\"b\";\"y\"\n1;2;0\n3;x;1\n5;6;1\n".getBytes(StandardCharsets.UTF_8));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode schema = created.json().get("schema");
        assertThat(schema.get("delimiter").asString()).isEqualTo(";");
        assertThat(schema.get("header").asBoolean()).isTrue();
        assertThat(schema.get("rows").asInt()).isEqualTo(3);
        assertThat(schema.get("columns").get(1).get("numeric").asBoolean()).isFalse();
        String id = created.json().get("id").asString();

        assertRefused(submit("dl4j-csv", dl4j(mlp(2, 4, 4, 2), "\"dataset\": \"dataset:" + id + "\", \"label\": \"label\", "
                + "\"task\": \"classification\"")), "job.label", "no column 'label'", "[a, b, y]");
        assertRefused(submit("dl4j-csv", dl4j(mlp(2, 4, 4, 2), "\"dataset\": \"dataset:" + id + "\", \"label\": \"y\", "
                + "\"task\": \"classification\"")), "job.dataset", "line 3, column 2 holds 'x'");
    }

    @Test
    void anIrisJobTrainsThroughTheQueueAndPredicts() {
        var api = new Api(port);
        var created = submit("dl4j-iris", dl4j(Dl4jTemplates.irisMlp().toJson(), "\"epochs\": 40, \"batchSize\": 16, \"seed\": 7"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(created.json().get("job").get("epochs").asInt()).isEqualTo(40);
        assertThat(created.json().get("job").has("steps")).isFalse();

        await().atMost(Duration.ofSeconds(120)).until(() -> api.get("/api/v1/runs/" + id).json().get("state").asString(),
                s -> s.equals("FINISHED") || s.equals("FAILED"));
        JsonNode run = api.get("/api/v1/runs/" + id).json();
        assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("FINISHED");
        assertThat(run.get("summary").get("val_accuracy").asDouble()).isGreaterThanOrEqualTo(0.9);
        assertThat(run.get("summary").has("accuracy")).as("no train accuracy of NaN").isFalse();
        assertThat(run.get("job").get("progress").get("steps").asInt()).isEqualTo(40);

        var predicted = api.post("/api/v1/runs/" + id + "/predict", "{\"rows\": [[5.1, 3.5, 1.4, 0.2], [6.3, 3.3, 6.0, 2.5]]}");
        assertThat(predicted.status()).as(predicted.body()).isEqualTo(200);
        assertThat(predicted.json().get("predictions").get(0).get("label").asString()).isEqualTo("setosa");
        assertThat(predicted.json().get("predictions").get(1).get("label").asString()).isEqualTo("virginica");
        assertThat(predicted.json().get("predictions").get(0).get("probabilities").has("versicolor")).isTrue();

        var wrong = api.post("/api/v1/runs/" + id + "/predict", "{\"rows\": [[5.1, 3.5]]}");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("detail").asString()).contains("row 1 has 2 values; the model takes 4");
        assertThat(api.post("/api/v1/runs/" + id + "/predict", "{\"rows\": [[5.1, \"big\", 1.4, 0.2]]}").status()).isEqualTo(400);

        // A CSV: by header name in any order, the label column left out; or, without a header, in the model's order.
        String features = String.join(",", predicted.json().get("features").valueStream().map(JsonNode::asString).toList());
        var byName = api.post("/api/v1/runs/" + id + "/predict", "species," + reversed(features) + "\n"
                + "x,0.2,1.4,3.5,5.1\nx,2.5,6.0,3.3,6.3\n", "text/csv");
        assertThat(byName.status()).as(byName.body()).isEqualTo(200);
        assertThat(byName.json().get("predictions").valueStream().map(p -> p.get("label").asString()))
                .containsExactly("setosa", "virginica");
        var positional = api.post("/api/v1/runs/" + id + "/predict", "5.1;3.5;1.4;0.2\n", "text/csv");
        assertThat(positional.json().get("predictions").get(0).get("label").asString()).as(positional.body()).isEqualTo("setosa");
        assertRefused(api.post("/api/v1/runs/" + id + "/predict", "a,b,c,d\n1,2,3,4\n", "text/csv"), "file",
                "the header has no column '" + features.split(",")[0] + "'");
        assertRefused(api.post("/api/v1/runs/" + id + "/predict", features + "\n5.1,3.5,1.4,0.2\n5.1,big,1.4,0.2\n", "text/csv"),
                "file", "line 3, column 2", "holds 'big', not a number");

        var confusion = api.get("/api/v1/runs/" + id + "/confusion");
        assertThat(confusion.status()).isEqualTo(200);
        assertThat(confusion.json().get("classes").size()).isEqualTo(3);
        assertThat(confusion.json().get("epoch").asInt()).isEqualTo(40);

        var model = api.get("/api/v1/runs/" + id + "/model");
        assertThat(model.status()).isEqualTo(200);
        assertThat(model.body()).startsWith("PK"); // ModelSerializer's zip
    }

    @Test
    void theConvolutionTemplateIsAcceptedOnTheWavesAndTrainsThroughTheQueue() {
        var api = new Api(port);
        var created = submit("dl4j-waves", dl4j(Dl4jTemplates.sequenceConv().toJson(), "\"dataset\": \"builtin:waves\", \"epochs\": 2"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();
        await().atMost(Duration.ofSeconds(120)).until(() -> api.get("/api/v1/runs/" + id).json().get("state").asString(),
                s -> s.equals("FINISHED") || s.equals("FAILED"));
        JsonNode run = api.get("/api/v1/runs/" + id).json();
        assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("FINISHED");
        assertThat(run.get("summary").has("val_accuracy")).isTrue();
        assertThat(api.get("/launch/dl4j").body()).contains("1-D convolution over sequences");
    }

    private static String reversed(String commaList) {
        var names = new java.util.ArrayList<>(java.util.List.of(commaList.split(",")));
        java.util.Collections.reverse(names);
        return String.join(",", names);
    }

    @Test
    void aRegressionJobPredictsValuesAndACancelStopsALongJob() {
        var api = new Api(port);
        var created = submit("dl4j-reg", dl4j(Dl4jTemplates.mlpRegressor().toJson(),
                "\"dataset\": \"builtin:regression\", \"epochs\": 30, \"seed\": 3"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();
        await().atMost(Duration.ofSeconds(180)).until(() -> api.get("/api/v1/runs/" + id).json().get("state").asString(),
                s -> s.equals("FINISHED") || s.equals("FAILED"));
        assertThat(api.get("/api/v1/runs/" + id).json().get("summary").get("val_r2").asDouble()).isGreaterThan(0.8);
        var predicted = api.post("/api/v1/runs/" + id + "/predict", "{\"rows\": [[0.5, -0.5, 0.2, 0.3]]}");
        assertThat(predicted.status()).as(predicted.body()).isEqualTo(200);
        assertThat(predicted.json().get("predictions").get(0).get("values").get("y").asDouble()).isBetween(1.6, 2.7);
        var fromCsv = api.post("/api/v1/runs/" + id + "/predict", "0.5,-0.5,0.2,0.3\n", "text/csv");
        assertThat(fromCsv.json().get("predictions").get(0).get("values").get("y").asDouble()).as(fromCsv.body())
                .isEqualTo(predicted.json().get("predictions").get(0).get("values").get("y").asDouble());
        assertThat(api.get("/api/v1/runs/" + id + "/confusion").status()).isEqualTo(404);

        var longJob = submit("dl4j-reg", dl4j(Dl4jTemplates.mlpRegressor().toJson(), "\"dataset\": \"builtin:regression\", \"epochs\": 5000"));
        String longId = longJob.json().get("id").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/v1/runs/" + longId).json().path("job").path("progress")
                .path("step").asInt() >= 2);
        assertThat(api.post("/api/v1/runs/" + longId + "/cancel", "").json().get("state").asString()).isEqualTo("CANCELLED");
        assertThat(api.get("/api/v1/runs/" + longId + "/model").status()).isEqualTo(409);
    }
}
