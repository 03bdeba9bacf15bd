package dev.trainyard.training;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.records.reader.impl.transform.TransformProcessRecordReader;
import org.datavec.api.split.InputStreamInputSplit;
import org.datavec.api.transform.TransformProcess;
import org.datavec.api.transform.schema.Schema;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerMinMaxScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;

/**
 * A table read for training: DataVec's {@link CSVRecordReader} and {@link RecordReaderDataSetIterator},
 * with a {@link TransformProcess} that maps a text class label to its index and puts the labels last.
 * The rows are shuffled with the job's seed and split; the normaliser is fitted on the train split only
 * and applied to both. For regression it also scales the targets (DL4J reverts them for predictions).
 *
 * @param validationLabels the validation split's labels before any scaling, which regression metrics are
 *                         measured against
 * @param normalizer       null for {@code none}
 */
record TabularData(Tabular.Plan plan, DataSet train, DataSet validation, INDArray validationLabels,
        DataNormalization normalizer) {

    static TabularData load(byte[] csv, TabularSchema schema, Tabular.Plan plan, double validationFraction, long seed,
            String normalizerName) {
        if (schema.rows() < 2) {
            throw new TrainingException("the table needs at least two rows, one to train on and one to validate on");
        }
        var builder = new Schema.Builder();
        for (TabularSchema.Column c : schema.columns()) {
            if (c.numeric()) {
                builder.addColumnDouble(c.name());
            } else {
                builder.addColumnString(c.name());
            }
        }
        var transform = new TransformProcess.Builder(builder.build());
        if (plan.classification() && plan.textLabel()) {
            String label = plan.labels().get(0);
            transform.stringToCategorical(label, plan.classes()).categoricalToInteger(label);
        }
        transform.reorderColumns(plan.features().toArray(String[]::new));
        DataSet all;
        try (CSVRecordReader csvReader = new CSVRecordReader(schema.header() ? 1 : 0, schema.delimiter(), schema.quote())) {
            csvReader.initialize(new InputStreamInputSplit(new ByteArrayInputStream(csv)));
            var reader = new TransformProcessRecordReader(csvReader, transform.build());
            int features = plan.features().size();
            RecordReaderDataSetIterator iterator = plan.classification()
                    ? new RecordReaderDataSetIterator(reader, schema.rows(), features, plan.classes().size())
                    : new RecordReaderDataSetIterator(reader, schema.rows(), features, features + plan.labels().size() - 1, true);
            all = iterator.next();
        } catch (IOException | InterruptedException e) {
            throw new TrainingException("the table could not be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new TrainingException("the table could not be read (was it changed since upload?): " + e.getMessage(), e);
        }
        all.setFeatures(all.getFeatures().castTo(DataType.FLOAT));
        all.setLabels(all.getLabels().castTo(DataType.FLOAT));
        all.shuffle(seed);
        int rows = all.numExamples();
        int held = (int) Math.max(1, Math.min(rows - 1, Math.round(rows * validationFraction)));
        SplitTestAndTrain split = all.splitTestAndTrain(rows - held);
        DataSet train = split.getTrain();
        DataSet validation = split.getTest();
        INDArray labels = validation.getLabels().dup();
        DataNormalization normalizer = switch (normalizerName) {
            case "standardize" -> new NormalizerStandardize();
            case "minmax" -> new NormalizerMinMaxScaler();
            default -> null;
        };
        if (normalizer != null) {
            normalizer.fitLabel(!plan.classification());
            normalizer.fit(train);
            normalizer.preProcess(train);
            normalizer.preProcess(validation);
        }
        return new TabularData(plan, train, validation, labels, normalizer);
    }

    /** The train split in mini-batches of {@code batch} rows, shuffled with {@code seed}: one epoch's worth. */
    List<DataSet> epoch(int batch, long seed) {
        DataSet copy = train.copy();
        copy.shuffle(seed);
        return new ArrayList<>(copy.batchBy(batch));
    }
}
