package dev.trainyard.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** CSV detection and the checks a table must pass before a network trains on it. */
class TabularCsvTest {

    private static TabularSchema detect(String csv) {
        return TabularCsv.detect(csv.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void detectsDelimiterQuotesHeaderAndColumnTypes() {
        TabularSchema schema = detect("\"name\";\"size\";\"kind\"\n\"a;b\";1.5;x\n\"c\";2;y\n\n");

        assertThat(schema.delimiter()).isEqualTo(';');
        assertThat(schema.header()).isTrue();
        assertThat(schema.rows()).isEqualTo(2);
        assertThat(schema.names()).containsExactly("name", "size", "kind");
        assertThat(schema.column("size").orElseThrow().numeric()).isTrue();
        assertThat(schema.column("name").orElseThrow().values()).containsExactly("a;b", "c");
    }

    @Test
    void aFileWithoutHeaderGetsColumnNames() {
        TabularSchema schema = detect("1\t2\t0\n3\t4\t1\n");

        assertThat(schema.delimiter()).isEqualTo('\t');
        assertThat(schema.header()).isFalse();
        assertThat(schema.names()).containsExactly("c1", "c2", "c3");
        assertThat(schema.column("c3").orElseThrow().integral()).isTrue();
    }

    @Test
    void raggedRowsAreRefusedNamingTheLine() {
        assertThatThrownBy(() -> detect("a,b,c\n1,2,3\n4,5,6\n7,8\n"))
                .isInstanceOf(JobRefusal.class)
                .hasMessageContaining("ragged rows: line 4 has 2 fields, line 1 has 3");
    }

    @Test
    void aNonNumericFeatureIsRefusedNamingLineAndColumn() {
        TabularSchema schema = detect("a,b,label\n1,2,x\n3,4,y\n5,oops,x\n");

        assertThatThrownBy(() -> Tabular.Plan.of(schema, "label", "classification"))
                .isInstanceOf(JobRefusal.class)
                .hasMessageContaining("feature 'b' (column 2) is not numeric: line 4, column 2 holds 'oops'")
                .extracting(e -> ((JobRefusal) e).field()).isEqualTo("dataset");
    }

    @Test
    void aMissingLabelColumnIsRefusedListingTheColumns() {
        TabularSchema schema = detect("a,b,label\n1,2,x\n3,4,y\n");

        assertThatThrownBy(() -> Tabular.Plan.of(schema, "species", "classification"))
                .isInstanceOf(JobRefusal.class)
                .hasMessageContaining("the table has no column 'species'; its columns are [a, b, label]")
                .extracting(e -> ((JobRefusal) e).field()).isEqualTo("label");
    }

    @Test
    void aTextLabelBecomesSortedClassesAndAClassIndexItsRange() {
        var text = Tabular.Plan.of(detect("a,b,label\n1,2,dog\n3,4,cat\n"), "label", "classification");
        var index = Tabular.Plan.of(detect("a,b,label\n1,2,2\n3,4,0\n"), "label", "classification");

        assertThat(text.classes()).containsExactly("cat", "dog");
        assertThat(text.features()).containsExactly("a", "b");
        assertThat(index.classes()).containsExactly("0", "1", "2");
    }

    @Test
    void dataVecReadsATextLabelAsItsClassIndex() {
        String csv = "kind,x1,x2\ndog,0.5,1\ncat,1.5,2\ndog,2.5,3\ncat,3.5,4\n";
        TabularSchema schema = detect(csv);
        var data = TabularData.load(csv.getBytes(StandardCharsets.UTF_8), schema, Tabular.Plan.of(schema, "kind",
                "classification"), 0.25, 1, "none");

        assertThat(data.train().numExamples()).isEqualTo(3);
        assertThat(data.validation().numExamples()).isEqualTo(1);
        for (var set : java.util.List.of(data.train(), data.validation())) {
            for (int i = 0; i < set.numExamples(); i++) {
                double x1 = set.getFeatures().getDouble(i, 0);
                assertThat(set.getFeatures().getDouble(i, 1)).isEqualTo(x1 + 0.5);
                // classes sorted: cat = 0, dog = 1; dog's rows have x1 0.5 and 2.5
                int expected = x1 == 0.5 || x1 == 2.5 ? 1 : 0;
                assertThat(set.getLabels().getDouble(i, expected)).as("row with x1 " + x1).isEqualTo(1.0);
            }
        }
    }

    @Test
    void dataVecPutsSeveralRegressionTargetsAfterTheFeatures() {
        String csv = "y1,x,y2\n1,0.5,10\n2,1.5,20\n3,2.5,30\n4,3.5,40\n";
        TabularSchema schema = detect(csv);
        var plan = Tabular.Plan.of(schema, "y1, y2", "regression");
        var data = TabularData.load(csv.getBytes(StandardCharsets.UTF_8), schema, plan, 0.25, 1, "none");

        assertThat(plan.features()).containsExactly("x");
        assertThat(plan.outputs()).isEqualTo(2);
        var train = data.train();
        assertThat(train.getLabels().columns()).isEqualTo(2);
        for (int i = 0; i < train.numExamples(); i++) {
            double x = train.getFeatures().getDouble(i, 0);
            assertThat(train.getLabels().getDouble(i, 0)).isEqualTo(x + 0.5);
            assertThat(train.getLabels().getDouble(i, 1)).isEqualTo(10 * (x + 0.5));
        }
    }

    @Test
    void builtinTablesHaveTheStatedShape() {
        assertThat(Tabular.builtinSchema(Tabular.IRIS).rows()).isEqualTo(150);
        assertThat(Tabular.builtinSchema(Tabular.IRIS).column("species").orElseThrow().values())
                .containsExactly("setosa", "versicolor", "virginica");
        assertThat(Tabular.builtinSchema(Tabular.REGRESSION).rows()).isEqualTo(1000);
        assertThat(Tabular.builtinSchema(Tabular.REGRESSION).names()).containsExactly("x1", "x2", "x3", "x4", "y");
    }

    private static java.util.List<java.util.List<Double>> featureRows(String csv, String... features) {
        return TabularCsv.featureRows(csv.getBytes(StandardCharsets.UTF_8), java.util.List.of(features));
    }

    @Test
    void predictRowsTakeAHeadersColumnsByNameAndLeaveTheOthersOut() {
        assertThat(featureRows("\"id\";\"b\";\"a\"\n\"r;1\";2;1\n\"r2\";4;3\n", "a", "b"))
                .containsExactly(java.util.List.of(1.0, 2.0), java.util.List.of(3.0, 4.0));
        assertThat(featureRows("1\t2\n3\t4\n", "a", "b")).as("no header: the model's order")
                .containsExactly(java.util.List.of(1.0, 2.0), java.util.List.of(3.0, 4.0));
    }

    @Test
    void predictRowsThatDoNotFitNameTheLineAndColumn() {
        assertThatThrownBy(() -> featureRows("a,c\n1,2\n", "a", "b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the header has no column 'b'");
        assertThatThrownBy(() -> featureRows("1,2,3\n", "a", "b")).hasMessageContaining("line 1 has 3 values; the model takes 2");
        assertThatThrownBy(() -> featureRows("a,b\n1,2\n\n3\n", "a", "b")).hasMessageContaining("ragged rows: line 4 has 1 fields");
        assertThatThrownBy(() -> featureRows("a,b\n1,2\n3,x\n", "a", "b")).hasMessageContaining("line 3, column 2 (b) holds 'x'");
        assertThatThrownBy(() -> featureRows("a,b\n", "a", "b")).hasMessageContaining("a header and no rows");
    }
}
