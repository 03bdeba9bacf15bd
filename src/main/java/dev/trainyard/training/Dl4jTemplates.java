package dev.trainyard.training;

import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Networks the launch page offers to start from. Each is real DL4J builder code, shown beside the JSON it
 * produces, so that users see how to write their own in Java.
 */
public final class Dl4jTemplates {

    /**
     * @param java the builder code, as shown
     * @param json what {@code toJson()} of it gives
     */
    public record Template(String id, String title, String dataset, String java, String json) {
    }

    private Dl4jTemplates() {
    }

    /** An MLP for Iris: 4 features, 16 tanh units, 3 classes. */
    public static MultiLayerConfiguration irisMlp() {
        return new NeuralNetConfiguration.Builder()
                .seed(42)
                .updater(new Adam(0.01))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(16).nOut(3).activation(Activation.SOFTMAX).build())
                .build();
    }

    /** An MLP regressor for builtin:regression: 4 features, two layers of 32 tanh units, one target. */
    public static MultiLayerConfiguration mlpRegressor() {
        return new NeuralNetConfiguration.Builder()
                .seed(42)
                .updater(new Adam(0.005))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(32).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(32).nOut(32).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(32).nOut(1).activation(Activation.IDENTITY).build())
                .build();
    }

    /**
     * A small convolutional net for builtin:waves: the 32 samples of a row as a 1 × 32 image of one channel, two
     * convolutions of 1 × 5 kernels along time with a pooling between, then the class.
     */
    public static MultiLayerConfiguration sequenceConv() {
        return new NeuralNetConfiguration.Builder()
                .seed(42)
                .updater(new Adam(0.005))
                .weightInit(WeightInit.RELU)
                .list()
                .layer(new ConvolutionLayer.Builder(1, 5).nOut(8).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(1, 2).stride(1, 2).build())
                .layer(new ConvolutionLayer.Builder(1, 5).nOut(16).activation(Activation.RELU).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(1, Tabular.WAVE_LENGTH, 1))
                .build();
    }

    private static final String IRIS_JAVA = """
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                    .seed(42)
                    .updater(new Adam(0.01))
                    .weightInit(WeightInit.XAVIER)
                    .list()
                    .layer(new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.TANH).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                            .nIn(16).nOut(3).activation(Activation.SOFTMAX).build())
                    .build();
            String json = conf.toJson();""";

    private static final String REGRESSOR_JAVA = """
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                    .seed(42)
                    .updater(new Adam(0.005))
                    .weightInit(WeightInit.XAVIER)
                    .list()
                    .layer(new DenseLayer.Builder().nIn(4).nOut(32).activation(Activation.TANH).build())
                    .layer(new DenseLayer.Builder().nIn(32).nOut(32).activation(Activation.TANH).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                            .nIn(32).nOut(1).activation(Activation.IDENTITY).build())
                    .build();
            String json = conf.toJson();""";

    private static final String CONV_JAVA = """
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                    .seed(42)
                    .updater(new Adam(0.005))
                    .weightInit(WeightInit.RELU)
                    .list()
                    .layer(new ConvolutionLayer.Builder(1, 5).nOut(8).activation(Activation.RELU).build())
                    .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(1, 2).stride(1, 2).build())
                    .layer(new ConvolutionLayer.Builder(1, 5).nOut(16).activation(Activation.RELU).build())
                    .layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                    // each row's 32 time steps as a 1 x 32 image of one channel; DL4J adds the reshape and the nIns
                    .setInputType(InputType.convolutionalFlat(1, 32, 1))
                    .build();
            String json = conf.toJson();""";

    private static volatile List<Template> all;

    public static List<Template> all() {
        if (all == null) {
            all = List.of(new Template("iris-mlp", "Iris MLP (classification)", Tabular.IRIS, IRIS_JAVA, irisMlp().toJson()),
                    new Template("mlp-regressor", "MLP regressor", Tabular.REGRESSION, REGRESSOR_JAVA, mlpRegressor().toJson()),
                    new Template("sequence-conv", "1-D convolution over sequences (classification)", Tabular.WAVES, CONV_JAVA,
                            sequenceConv().toJson()));
        }
        return all;
    }
}
