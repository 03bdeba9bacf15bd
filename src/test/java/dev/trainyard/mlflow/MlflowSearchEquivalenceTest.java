package dev.trainyard.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;

import dev.trainyard.mlflow.Messages.Metric;
import dev.trainyard.mlflow.Messages.Param;
import dev.trainyard.mlflow.Messages.Tag;
import dev.trainyard.tracking.NewRun;
import dev.trainyard.tracking.RunManagement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * runs/search in SQL against the in-memory evaluator it replaced: hundreds of generated filters
 * and order_bys over a generated corpus (MLflow runs and Trainyard's own, NaN and infinities,
 * ties, every point at step 0, missing values, deleted runs, a config key too long for SQL), paged
 * through with the tokens the SQL path hands out, must give the oracle's runs in the oracle's order.
 */
@SpringBootTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MlflowSearchEquivalenceTest {

    private static final int CASES = 400;
    /** Longer than run_config keeps, so a filter or order on it is evaluated in memory. */
    private static final String LONG_KEY = "deep." + "k".repeat(260);

    @Autowired
    MlflowRuns runs;
    @Autowired
    MlflowExperiments experiments;
    @Autowired
    RunManagement management;

    final Random random = new Random(16);
    final List<String> experimentIds = new ArrayList<>();
    final List<Messages.Run> corpus = new ArrayList<>();

    /** Once per class (fields live as long as the class's instance); not @BeforeAll, which would run before PostgreSQL is checked. */
    @BeforeEach
    void corpus() {
        if (!corpus.isEmpty()) {
            return;
        }
        String prefix = "eq" + System.nanoTime() % 1_000_000;
        for (int e = 0; e < 2; e++) {
            experimentIds.add(experiments.create(prefix + " experiment " + e, List.of()));
        }
        double[] values = {0, 0.25, 0.5, 0.5, 1, 2.5, -1, 1e300, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        String[] cells = {"lstm", "gru", "rnn", "LSTM", "g_u", "50%", "a\\b", ""};
        String[] teams = {"rnn", "cnn", "Rnn", "", "r%n"};
        for (int i = 0; i < 90; i++) {
            String experiment = experimentIds.get(i % 2);
            var tags = new ArrayList<Tag>();
            if (random.nextInt(3) > 0) {
                tags.add(new Tag("team", pick(teams)));
            }
            // Some start times as the client gave them, close enough to tie; the others are the moment of creation.
            Long startTime = random.nextInt(4) == 0 ? null : 1_700_000_000_000L + random.nextInt(50);
            String runId = runs.create(experiment, random.nextBoolean() ? "user" + random.nextInt(3) : null, startTime,
                    random.nextInt(5) == 0 ? null : "run-" + random.nextInt(40), tags).info().runId();
            var metrics = new ArrayList<Metric>();
            if (random.nextInt(6) > 0) {
                int steps = 1 + random.nextInt(3);
                for (int s = 0; s < steps; s++) {
                    metrics.add(new Metric("loss", values[random.nextInt(values.length)], 1000 + s, s));
                }
            }
            if (random.nextBoolean()) {
                // MLflow's loop without steps: every value at step 0.
                for (int s = 0; s < 3; s++) {
                    metrics.add(new Metric("train loss", values[random.nextInt(values.length)], 2000 + s, 0));
                }
            }
            var params = new ArrayList<Param>();
            if (random.nextInt(4) > 0) {
                params.add(new Param("cell", pick(cells)));
            }
            if (random.nextBoolean()) {
                params.add(new Param("lr", pick(new String[] {"0.01", "0.1", "1e-3", "3"})));
            }
            var more = new ArrayList<Tag>();
            if (random.nextInt(4) == 0) {
                more.add(new Tag(MlflowRuns.NOTE, pick(new String[] {"a note", "another"})));
            }
            runs.logBatch(runId, metrics, params, more);
            switch (random.nextInt(5)) {
                case 0 -> runs.update(runId, "FINISHED", null);
                case 1 -> runs.update(runId, "FAILED", null);
                case 2 -> runs.update(runId, "KILLED", null);
                default -> {
                }
            }
            if (random.nextInt(8) == 0) {
                runs.delete(runId);
            }
        }
        // Trainyard's own runs: a nested config (params as dotted keys, numbers as JSON text), labels as valueless tags.
        for (int i = 0; i < 20; i++) {
            String config = "{\"optimizer\": {\"lr\": " + pick(new String[] {"0.001", "0.01", "1"}) + ", \"name\": \""
                    + pick(new String[] {"adam", "sgd"}) + "\"}, \"cell\": \"" + pick(cells).replace("\\", "\\\\") + "\""
                    + (i % 3 == 0 ? ", \"deep\": {\"" + LONG_KEY.substring(5) + "\": \"" + pick(new String[] {"x", "y"}) + "\"}" : "")
                    + ", \"layers\": [1, 2]}";
            var labels = new LinkedHashSet<String>();
            if (random.nextBoolean()) {
                labels.add("baseline");
            }
            if (random.nextBoolean()) {
                labels.add("team");
            }
            String project = experiments.project(experimentIds.get(i % 2)).getName();
            String runId = management.start(new NewRun(project, "native-" + i, config, labels, i % 4 == 0 ? "notes " + i : null, null))
                    .run().getId();
            if (random.nextBoolean()) {
                runs.logMetrics(runId, List.of(new Metric("loss", values[random.nextInt(values.length)], 5, 3)));
            }
        }
        for (String experiment : experimentIds) {
            corpus.addAll(runs.searchInMemory(List.of(experiment), "", ViewType.ALL, List.of(), MlflowRuns.MAX_SEARCH_PAGE, null).items());
        }
        assertThat(corpus).hasSize(110);
    }

    @Test
    void generatedFiltersAndOrdersGiveTheOraclesRunsInItsOrder() {
        int nonEmpty = 0;
        int inMemory = 0;
        for (int i = 0; i < CASES; i++) {
            String filter = filter();
            List<String> order = orderBy();
            ViewType view = ViewType.values()[random.nextInt(3)];
            List<String> experimentsAsked = random.nextInt(4) == 0 ? experimentIds : List.of(experimentIds.get(random.nextInt(2)));
            String what = "case " + i + ": filter [" + filter + "] order " + order + " " + view;
            List<String> expected = ids(runs.searchInMemory(experimentsAsked, filter, view, order, MlflowRuns.MAX_SEARCH_PAGE, null).items());

            int size = 1 + random.nextInt(25);
            var paged = new ArrayList<String>();
            String token = null;
            do {
                var page = runs.search(experimentsAsked, filter, view, order, size, token);
                assertThat(page.items().size()).as("%s", what).isLessThanOrEqualTo(size);
                paged.addAll(ids(page.items()));
                token = page.nextPageToken();
            } while (token != null && paged.size() <= expected.size());
            assertThat(paged).as("%s, %d a page", what, size).containsExactlyElementsOf(expected);
            nonEmpty += expected.isEmpty() ? 0 : 1;
            inMemory += filter.contains(LONG_KEY) || order.toString().contains(LONG_KEY) ? 1 : 0;
        }
        // The generator must reach what it is meant to test, or the comparison proves little.
        assertThat(nonEmpty).as("cases with a non-empty answer").isGreaterThan(CASES / 3);
        assertThat(inMemory).as("cases evaluated partly in memory").isGreaterThan(5);
    }

    /** A page token handed out before the search moved into SQL (an offset) still pages on from there. */
    @Test
    void anOffsetTokenPagesOnFromThatOffset() {
        var all = ids(runs.searchInMemory(experimentIds, "", ViewType.ALL, List.of("metrics.loss DESC"), MlflowRuns.MAX_SEARCH_PAGE, null).items());
        String token = java.util.Base64.getUrlEncoder().encodeToString("7".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(ids(runs.search(experimentIds, "", ViewType.ALL, List.of("metrics.loss DESC"), 5, token).items()))
                .containsExactlyElementsOf(all.subList(7, 12));
    }

    /** A text compared with a metric or a time is refused whether or not any run has the value. */
    @Test
    void aNumericValueComparedWithTextIsRefusedUpFront() {
        for (String filter : List.of("metrics.nosuchkey = 'x'", "metrics.loss LIKE '1%'", "attributes.end_time IN ('1')",
                "attributes.start_time = 'yesterday'")) {
            assertThatThrownBy(() -> runs.search(experimentIds, filter, ViewType.ALL, List.of(), 10, null)).as(filter)
                    .isInstanceOfSatisfying(MlflowException.class, e -> assertThat(e.getMessage()).contains("Invalid filter"));
        }
    }

    private String filter() {
        int clauses = random.nextInt(4);
        var parts = new ArrayList<String>();
        for (int i = 0; i < clauses; i++) {
            parts.add(clause());
        }
        return String.join(random.nextBoolean() ? " AND " : " and ", parts);
    }

    private String clause() {
        return switch (random.nextInt(4)) {
            case 0 -> "metrics." + pick(new String[] {"loss", "`train loss`", "acc"}) + " " + numberOp() + " "
                    + pick(new String[] {"0", "0.5", "1", "-1", "2.5", "1e300", "1e999", "-0"});
            case 1 -> "params." + pick(new String[] {"cell", "lr", "optimizer.lr", "optimizer.name", "layers", "`" + LONG_KEY + "`", "nothing"})
                    + " " + textTest(new String[] {"lstm", "gru", "LSTM", "0.01", "1e-3", "3", "0.001", "adam", "[1,2]", "x", "", "50%", "a\\b"},
                            new String[] {"l%", "%u", "_ru", "G%", "%\\%", "50%", "%", "a\\b", "%a%"});
            case 2 -> "tags." + pick(new String[] {"team", "mlflow.user", "mlflow.runName", "`mlflow.note.content`", "baseline", "nothing"})
                    + " " + textTest(new String[] {"rnn", "Rnn", "", "user1", "run-3", "native-4", "a note", "notes 4", "r%n"},
                            new String[] {"r%", "R%", "%n", "run-1%", "native%", "%note%", "r\\%n", "user_"});
            default -> attributeClause();
        };
    }

    private String attributeClause() {
        Messages.Run someRun = corpus.get(random.nextInt(corpus.size()));
        return switch (random.nextInt(7)) {
            case 0 -> "attributes.status " + textTest(new String[] {"FINISHED", "FAILED", "KILLED", "RUNNING", "SCHEDULED"},
                    new String[] {"F%", "%ED", "run%"});
            case 1 -> "attributes.run_name " + textTest(new String[] {"run-1", "run-12", someRun.info().runName()},
                    new String[] {"run-1%", "native-_", "%-3%", "RUN%"});
            case 2 -> "attributes.start_time " + numberOp() + " " + (someRun.info().startTime() + random.nextInt(3) - 1);
            case 3 -> "attributes.end_time " + numberOp() + " "
                    + (someRun.info().endTime() == null ? "0" : Long.toString(someRun.info().endTime() + random.nextInt(3) - 1));
            case 4 -> "attributes.run_id " + textTest(new String[] {someRun.info().runId(), corpus.get(0).info().runId()},
                    new String[] {someRun.info().runId().substring(0, 3) + "%"});
            case 5 -> "attributes.user_id " + textTest(new String[] {"user0", "user1", ""}, new String[] {"user%", "%2"});
            default -> pick(new String[] {"attributes.lifecycle_stage = 'deleted'", "attributes.lifecycle_stage != 'deleted'",
                    "attributes.artifact_uri LIKE '%/artifacts'", "attributes.artifact_uri LIKE 'mlflow-artifacts:/0/%'"});
        };
    }

    private String numberOp() {
        return pick(new String[] {"=", "!=", "<", "<=", ">", ">="});
    }

    private String textTest(String[] values, String[] patterns) {
        return switch (random.nextInt(6)) {
            case 0 -> pick(new String[] {"=", "!="}) + " '" + pick(values) + "'";
            case 1 -> pick(new String[] {"<", "<=", ">", ">="}) + " '" + pick(values) + "'";
            case 2 -> pick(new String[] {"LIKE", "ILIKE"}) + " '" + pick(patterns) + "'";
            case 3 -> pick(new String[] {"IN", "NOT IN"}) + " ('" + pick(values) + "', '" + pick(values) + "')";
            default -> "= '" + pick(values) + "'";
        };
    }

    private List<String> orderBy() {
        var order = new ArrayList<String>();
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            order.add(pick(new String[] {"metrics.loss", "metrics.`train loss`", "params.cell", "params.optimizer.lr", "params.`" + LONG_KEY + "`",
                    "tags.team", "tags.`mlflow.note.content`", "attributes.start_time", "attributes.end_time", "attributes.run_name",
                    "attributes.status", "attributes.user_id"}) + pick(new String[] {"", " ASC", " DESC", " desc"}));
        }
        return order;
    }

    private <T> T pick(T[] options) {
        return options[random.nextInt(options.length)];
    }

    private static List<String> ids(List<Messages.Run> page) {
        return page.stream().map(r -> r.info().runId()).toList();
    }
}
