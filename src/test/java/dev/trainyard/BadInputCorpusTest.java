package dev.trainyard;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import java.nio.charset.StandardCharsets;

import dev.trainyard.support.Api;
import dev.trainyard.support.Multipart;
import dev.trainyard.training.JobSpec;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Hundreds of bad requests, each of which must get a clear 4xx problem+json while the server stays
 * healthy and existing data untouched. The job spec's cases are generated from its validation
 * annotations: every bounded field at, just inside and just outside its bounds, and in every wrong
 * shape, so a new field is covered without touching this test. Nothing trains here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "trainyard.workers.count=0")
class BadInputCorpusTest {

    private static final String BASE = "\"model\": \"gru\", \"dataset\": \"memorize:8\"";
    /** What a dl4j-only field is tried on: the Iris template on the built-in Iris table (issue #19). */
    private static final String DL4J_BASE = "\"model\": \"dl4j\", \"dataset\": \"builtin:iris\", \"network\": "
            + dev.trainyard.training.Dl4jTemplates.irisMlp().toJson().replaceAll("\\s+", "");

    @LocalServerPort
    int port;
    Api api;
    String sentinel;
    String sentinelBefore;

    record Case(String name, String method, String path, String body, int status, String field) {
    }

    /** The caller: a script with no credentials in local mode; the team-mode subclasses give it a member's token. */
    Api caller() {
        return new Api(port);
    }

    @BeforeEach
    void sentinelRun() {
        api = caller();
        sentinel = api.post("/api/v1/runs", "{\"project\": \"corpus\", \"name\": \"sentinel\", \"tags\": [\"keep\"]}")
                .json().get("id").asString();
        api.post("/api/v1/runs/" + sentinel + "/metrics", "{\"points\": [{\"key\": \"loss\", \"step\": 1, \"value\": 0.5}]}");
        sentinelBefore = snapshot();
    }

    @AfterEach
    void dataIsUntouched() {
        assertThat(api.get("/actuator/health").body()).contains("UP");
        assertThat(snapshot()).isEqualTo(sentinelBefore);
    }

    private String snapshot() {
        JsonNode run = api.get("/api/v1/runs/" + sentinel).json();
        return run.get("name").asString() + run.get("tags") + run.get("state").asString() + run.get("summary")
                + api.get("/api/v1/runs/" + sentinel + "/metrics/loss").json().get("points");
    }

    @TestFactory
    Stream<DynamicTest> everyCaseIsAClearClientError() {
        var cases = new ArrayList<Case>();
        jobSpecBounds(cases);
        jobSpecShapes(cases);
        malformedBodies(cases);
        metricCases(cases);
        idAndQueryCases(cases);
        jobSizeCases(cases);
        textCases(cases);
        assertThat(cases).hasSizeGreaterThanOrEqualTo(200);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    @Test
    void aDatasetNameOrFileNameWithNulIsAClearClientError() {
        for (var upload : List.of(
                Multipart.post(api.uri("/api/v1/datasets?name=a%00b"), "a.txt", "text/plain", "hello hello".getBytes(StandardCharsets.UTF_8),
                        api.authorization()),
                Multipart.post(api.uri("/api/v1/datasets"), "a\u0000b.txt", "text/plain", "hello hello".getBytes(StandardCharsets.UTF_8),
                        api.authorization()))) {
            assertThat(upload.status()).as(upload.body()).isEqualTo(400);
            assertThat(upload.contentType()).startsWith("application/problem+json");
            assertThat(upload.json().get("errors")).as(upload.body()).anyMatch(e -> e.get("field").asString().matches("name|file"));
        }
    }

    @Test
    void oddContentTypesAreAClearClientError() {
        for (String type : new String[] {"application/*", "*/*", "*/json", "text/plain", "application/json; charset=nosuch",
                "not a type", "multipart/form-data", "application/x-www-form-urlencoded"}) {
            for (String path : new String[] {"/api/v1/runs", "/api/v1/runs/" + sentinel + "/metrics"}) {
                var r = api.post(path, "{\"project\": \"corpus\"}", type);
                assertThat(r.status()).as("%s to %s → %s", type, path, r.body()).isBetween(400, 499);
                assertThat(r.contentType()).as(type).startsWith("application/problem+json");
            }
        }
    }

    private void check(Case c) {
        String path = c.path().replace("{sentinel}", sentinel);
        Api.Response r = switch (c.method()) {
            case "GET" -> api.get(path);
            case "PATCH" -> api.patch(path, c.body());
            case "DELETE" -> api.delete(path);
            default -> api.post(path, c.body());
        };
        assertThat(r.status()).as("%s → %s", c.name(), r.body()).isEqualTo(c.status());
        if (c.status() >= 400) {
            assertThat(r.contentType()).as(c.name()).startsWith("application/problem+json");
            assertThat(r.json().get("status").asInt()).isEqualTo(c.status());
            assertThat(r.json().get("detail").asString()).as(c.name()).isNotBlank()
                    .as("%s names no server class: %s", c.name(), r.body()).doesNotContainPattern("dev\\.trainyard|java\\.|tools\\.jackson|\\$[A-Z]");
            assertThat(r.body()).as("%s names no server class", c.name()).doesNotContainPattern("dev\\.trainyard\\.|java\\.lang|tools\\.jackson");
            if (c.field() != null) {
                assertThat(r.json().get("errors")).as("%s names %s: %s", c.name(), c.field(), r.body())
                        .anyMatch(e -> e.get("field").asString().equals(c.field()));
            }
        }
    }

    private static Case job(String name, String fields, int status, String field) {
        var base = new ArrayList<String>();
        String tried = fields.startsWith("\"") ? fields.substring(1, fields.indexOf('"', 1)) : "";
        boolean dl4j = JobSpec.DL4J_FIELDS.contains(tried);
        // the network's JSON has ", " nowhere once its whitespace is gone, so the base splits into its three fields
        for (String part : (dl4j ? DL4J_BASE : BASE).split(", ")) {
            String key = part.substring(0, part.indexOf(':'));
            boolean replaced = fields.startsWith(key) || (tried.equals("networkFile") && key.equals("\"network\""));
            if (!replaced) {
                base.add(part);
            }
        }
        String all = String.join(", ", base) + (fields.isEmpty() ? "" : (base.isEmpty() ? "" : ", ") + fields);
        return new Case(name, "POST", "/api/v1/runs", "{\"project\": \"corpus\", \"job\": {" + all + "}}", status, field);
    }

    private static <A extends java.lang.annotation.Annotation> A annotation(RecordComponent c, Class<A> type) {
        try {
            return JobSpec.class.getDeclaredField(c.getName()).getAnnotation(type);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    /** At, just inside and just outside every bound, from the annotations. */
    private static void jobSpecBounds(List<Case> cases) {
        for (RecordComponent c : JobSpec.class.getRecordComponents()) {
            String f = c.getName();
            boolean integral = c.getType() == Integer.class || c.getType() == Long.class;
            Min min = annotation(c, Min.class);
            Max max = annotation(c, Max.class);
            DecimalMin dmin = annotation(c, DecimalMin.class);
            DecimalMax dmax = annotation(c, DecimalMax.class);
            if (min != null) {
                cases.add(job(f + " at its minimum " + min.value(), "\"" + f + "\": " + min.value(), 201, null));
                cases.add(job(f + " just inside its minimum", "\"" + f + "\": " + (min.value() + 1), 201, null));
                cases.add(job(f + " just below its minimum", "\"" + f + "\": " + (min.value() - 1), 400, "job." + f));
            }
            if (max != null) {
                cases.add(job(f + " at its maximum " + max.value(), "\"" + f + "\": " + max.value(), 201, null));
                cases.add(job(f + " just inside its maximum", "\"" + f + "\": " + (max.value() - 1), 201, null));
                cases.add(job(f + " just above its maximum", "\"" + f + "\": " + (max.value() + 1), 400, "job." + f));
            }
            if (dmin != null) {
                var bound = new BigDecimal(dmin.value());
                cases.add(job(f + " at its lower bound " + bound, "\"" + f + "\": " + bound, dmin.inclusive() ? 201 : 400,
                        dmin.inclusive() ? null : "job." + f));
                cases.add(job(f + " just above its lower bound", "\"" + f + "\": " + bound.add(new BigDecimal("0.0001")), 201, null));
                cases.add(job(f + " below its lower bound", "\"" + f + "\": " + bound.subtract(new BigDecimal("0.0001")), 400, "job." + f));
            }
            if (dmax != null) {
                var bound = new BigDecimal(dmax.value());
                cases.add(job(f + " at its upper bound " + bound, "\"" + f + "\": " + bound, 201, null));
                cases.add(job(f + " just below its upper bound", "\"" + f + "\": " + bound.subtract(new BigDecimal("0.0001")), 201, null));
                cases.add(job(f + " above its upper bound", "\"" + f + "\": " + bound.add(new BigDecimal("0.0001")), 400, "job." + f));
            }
            if (min != null || max != null || dmin != null || dmax != null) {
                for (String bad : new String[] {"\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "1e400", "-1e400", "\"12\"", "true",
                        "[1]", "{\"v\": 1}", "\"\""}) {
                    cases.add(job(f + " = " + bad, "\"" + f + "\": " + bad, 400, "job." + f));
                }
                if (integral) {
                    cases.add(job(f + " = 1.5", "\"" + f + "\": 1.5", 400, "job." + f));
                    cases.add(job(f + " = 99999999999999999999999", "\"" + f + "\": 99999999999999999999999", 400, "job." + f));
                }
            }
        }
    }

    /** Every pattern-constrained field with values it does not admit. */
    private static void jobSpecShapes(List<Case> cases) {
        for (RecordComponent c : JobSpec.class.getRecordComponents()) {
            if (annotation(c, Pattern.class) == null) {
                continue;
            }
            String f = c.getName();
            for (String bad : new String[] {"\"\"", "\"x\"", "\"../../etc/passwd\"", "\"<script>\"", "42", "true", "[]",
                    "\"" + "a".repeat(10_000) + "\""}) {
                cases.add(job(f + " = " + (bad.length() > 30 ? bad.substring(0, 30) + "…" : bad), "\"" + f + "\": " + bad, 400,
                        "job." + f));
            }
        }
        for (String length : new String[] {"0", "4097", "999999999"}) {
            cases.add(job("memorize:" + length, "\"dataset\": \"memorize:" + length + "\"", 400, null));
        }
        cases.add(new Case("seed-rnn with layers", "POST", "/api/v1/runs",
                "{\"project\": \"corpus\", \"job\": {\"model\": \"seed-rnn\", \"layers\": 2}}", 400, null));
        cases.add(job("an unknown field", "\"hiden\": 10", 400, "job.hiden"));
        cases.add(job("dataset:<unknown upload>", "\"dataset\": \"dataset:nosuchupload\"", 400, "job.dataset"));
    }

    private static void malformedBodies(List<Case> cases) {
        String valid = "{\"project\": \"corpus\", \"name\": \"n\", \"job\": {\"model\": \"gru\", \"epochs\": 5}}";
        for (int cut = 1; cut < valid.length(); cut += 3) {
            cases.add(new Case("truncated at " + cut, "POST", "/api/v1/runs", valid.substring(0, cut), 400, null));
        }
        for (String body : new String[] {"", "null", "[]", "42", "\"x\"", "{,}", "{\"project\": }", "{'project': 'x'}",
                "{\"project\": \"x\"}}", "\u0000\u0001"}) {
            cases.add(new Case("malformed body " + body.replace("\u0000", "\\0"), "POST", "/api/v1/runs", body, 400, null));
        }
        String huge = "x".repeat(1_000_000);
        cases.add(new Case("1 MB name", "POST", "/api/v1/runs", "{\"project\": \"corpus\", \"name\": \"" + huge + "\"}", 400, "name"));
        cases.add(new Case("1 MB notes", "POST", "/api/v1/runs", "{\"project\": \"corpus\", \"notes\": \"" + huge + "\"}", 400, "notes"));
        cases.add(new Case("1 MB tag", "POST", "/api/v1/runs", "{\"project\": \"corpus\", \"tags\": [\"" + huge + "\"]}", 400, null));
        cases.add(new Case("1 MB project", "POST", "/api/v1/runs", "{\"project\": \"" + huge + "\"}", 400, "project"));
        cases.add(new Case("1 MB rename", "PATCH", "/api/v1/runs/{sentinel}", "{\"name\": \"" + huge + "\"}", 400, "name"));
        cases.add(new Case("1 MB notes patch", "PATCH", "/api/v1/runs/{sentinel}", "{\"notes\": \"" + huge + "\"}", 400, "notes"));
        cases.add(new Case("blank project", "POST", "/api/v1/runs", "{\"project\": \"   \"}", 400, "project"));
        cases.add(new Case("201-character project", "POST", "/api/v1/runs", "{\"project\": \"" + "p".repeat(201) + "\"}", 400, "project"));
        cases.add(new Case("run id with a slash", "POST", "/api/v1/runs", "{\"project\": \"corpus\", \"id\": \"a/b\"}", 400, "id"));
        cases.add(new Case("unknown resume", "POST", "/api/v1/runs", "{\"project\": \"corpus\", \"id\": \"ab\", \"resume\": \"maybe\"}", 400, null));
        cases.add(new Case("resume must, no such run", "POST", "/api/v1/runs", "{\"project\": \"corpus\", \"id\": \"nosuchrun\", \"resume\": \"must\"}", 404, null));
        cases.add(new Case("config as a list", "PATCH", "/api/v1/runs/{sentinel}", "{\"config\": []}", 400, null));
        cases.add(new Case("summary of text", "PATCH", "/api/v1/runs/{sentinel}", "{\"summary\": {\"acc\": \"high\"}}", 400, null));
        cases.add(new Case("summary of a bad key", "PATCH", "/api/v1/runs/{sentinel}", "{\"summary\": {\"a:b\": 1}}", 400, "summary.a:b"));
        cases.add(new Case("unknown summary mode", "PATCH", "/api/v1/runs/{sentinel}", "{\"metrics\": {\"loss\": {\"summary\": \"median\"}}}", 400, "metrics.loss.summary"));
        cases.add(new Case("definition of null", "PATCH", "/api/v1/runs/{sentinel}", "{\"metrics\": {\"loss\": null}}", 400, "metrics.loss"));
        cases.add(new Case("alert without a title", "POST", "/api/v1/runs/{sentinel}/alerts", "{\"text\": \"x\"}", 400, "title"));
        cases.add(new Case("alert of an unknown level", "POST", "/api/v1/runs/{sentinel}/alerts", "{\"title\": \"x\", \"level\": \"PANIC\"}", 400, null));
        cases.add(new Case("duplicate project", "POST", "/api/v1/projects", "{\"name\": \"corpus\"}", 409, null));
    }

    private static void metricCases(List<Case> cases) {
        String path = "/api/v1/runs/{sentinel}/metrics";
        for (String key : new String[] {"\"\"", "\"a:b\"", "\" loss\"", "\"loss \"", "\"a\\tb\"", "\"../x\"", "\"/x\"", "\"x/\"", "\"a//b\"", "\"./a\"", "\"ü\"",
                "\"" + "k".repeat(251) + "\"", "null", "1", "[\"loss\"]"}) {
            cases.add(new Case("metric key " + (key.length() > 20 ? key.substring(0, 20) : key), "POST", path,
                    "{\"points\": [{\"key\": " + key + ", \"step\": 2, \"value\": 1}]}", 400, "points[0].key"));
        }
        for (String step : new String[] {"-1", "9007199254740992", "1e30", "1.5", "\"2\"", "null", "true"}) {
            cases.add(new Case("step " + step, "POST", path, "{\"points\": [{\"key\": \"loss\", \"step\": " + step + ", \"value\": 1}]}",
                    400, null));
        }
        for (String value : new String[] {"\"nan\"", "\"inf\"", "\"1.0\"", "true", "null", "[1]", "{}", "1e400"}) {
            cases.add(new Case("value " + value, "POST", path, "{\"points\": [{\"key\": \"loss\", \"step\": 2, \"value\": " + value + "}]}",
                    400, null));
        }
        cases.add(new Case("no points", "POST", path, "{\"points\": []}", 400, "points"));
        cases.add(new Case("points not a list", "POST", path, "{\"points\": 3}", 400, null));
        cases.add(new Case("point time not a time", "POST", path,
                "{\"points\": [{\"key\": \"loss\", \"step\": 2, \"value\": 1, \"time\": \"yesterday\"}]}", 400, null));
        for (String time : new String[] {"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
                "-0001-12-31T23:59:59Z"}) {
            cases.add(new Case("point time " + time, "POST", path,
                    "{\"points\": [{\"key\": \"tm\", \"step\": 1, \"value\": 1, \"time\": \"" + time + "\"}]}", 400, "points[0].time"));
        }
        String tooMany = "{\"points\": [" + "{\"key\": \"a\", \"step\": 1, \"value\": 1},".repeat(100_000) + "{\"key\": \"a\", \"step\": 1, \"value\": 1}]}";
        cases.add(new Case("a batch over the point limit", "POST", path, tooMany, 413, null));
    }

    /** Jobs within every field's range whose size together is over a limit, at the default limits. */
    private static void jobSizeCases(List<Case> cases) {
        // ~2.4 × 10^15 of work: epochs 100000 × 200 steps × 4 sequences × 29.7 M parameters
        String days = "\"model\": \"lstm\", \"dataset\": \"builtin:tales\", \"hidden\": 1024, \"layers\": 4, \"embedding\": 512, "
                + "\"sequenceLength\": 200, \"batchSize\": 4, \"epochs\": 100000";
        cases.add(new Case("a job that books the machine for days", "POST", "/api/v1/runs",
                "{\"project\": \"corpus\", \"job\": {" + days + "}}", 400, "job"));
        cases.add(new Case("the same job for 10 epochs", "POST", "/api/v1/runs",
                "{\"project\": \"corpus\", \"job\": {" + days.replace("100000", "10") + "}}", 201, null));
        cases.add(new Case("a job too large for memory", "POST", "/api/v1/runs", "{\"project\": \"corpus\", \"job\": {"
                + days.replace("\"batchSize\": 4", "\"batchSize\": 1024").replace("100000", "1") + "}}", 400, "job"));
        cases.add(new Case("a sweep with one run that books the machine for days", "POST", "/api/v1/sweeps",
                "{\"project\": \"corpus\", \"models\": [\"lstm\"], \"datasets\": [\"builtin:tales\"], \"grid\": {\"epochs\": [10, 100000]}, "
                        + "\"base\": {\"hidden\": 1024, \"layers\": 4, \"embedding\": 512, \"sequenceLength\": 200, \"batchSize\": 4}}",
                400, "grid"));
    }

    /**
     * NUL and lone surrogates: PostgreSQL refuses the first (a 500 once) and mangles the second into
     * '?', H2 stores both; on either database they are a 400 naming the field.
     */
    private static void textCases(List<Case> cases) {
        for (String[] bad : new String[][] {{"NUL", "a\\u0000b"}, {"lone high surrogate", "a\\ud800b"},
                {"lone low surrogate", "\\udc00"}, {"reversed pair", "\\udc00\\ud800"}}) {
            String v = "\"" + bad[1] + "\"";
            cases.add(new Case(bad[0] + " in a name", "POST", "/api/v1/runs", "{\"project\": \"corpus\", \"name\": " + v + "}", 400, "name"));
            cases.add(new Case(bad[0] + " in notes", "POST", "/api/v1/runs", "{\"project\": \"corpus\", \"notes\": " + v + "}", 400, "notes"));
            cases.add(new Case(bad[0] + " in a tag", "POST", "/api/v1/runs", "{\"project\": \"corpus\", \"tags\": [\"ok\", " + v + "]}", 400,
                    "tags[1]"));
            cases.add(new Case(bad[0] + " in a project", "POST", "/api/v1/runs", "{\"project\": " + v + "}", 400, "project"));
            cases.add(new Case(bad[0] + " in a config value", "POST", "/api/v1/runs",
                    "{\"project\": \"corpus\", \"config\": {\"lr\": {\"text\": " + v + "}}}", 400, "config.lr.text"));
            cases.add(new Case(bad[0] + " in a config key", "POST", "/api/v1/runs",
                    "{\"project\": \"corpus\", \"config\": {" + v + ": 1}}", 400, "config"));
            cases.add(new Case(bad[0] + " in a rename", "PATCH", "/api/v1/runs/{sentinel}", "{\"name\": " + v + "}", 400, "name"));
            cases.add(new Case(bad[0] + " in a notes patch", "PATCH", "/api/v1/runs/{sentinel}", "{\"notes\": " + v + "}", 400, "notes"));
            cases.add(new Case(bad[0] + " in an alert", "POST", "/api/v1/runs/{sentinel}/alerts", "{\"title\": " + v + "}", 400, "title"));
            cases.add(new Case(bad[0] + " in a new project", "POST", "/api/v1/projects", "{\"name\": " + v + "}", 400, "name"));
        }
        // A URL carries UTF-8, which cannot hold a lone surrogate; NUL it can.
        for (String param : new String[] {"q", "tag", "project", "state"}) {
            cases.add(new Case("NUL in ?" + param, "GET", "/api/v1/runs?" + param + "=a%00b", null, 400, param));
        }
        cases.add(new Case("NUL in the runs page's search", "GET", "/runs?q=a%00b", null, 400, "q"));
        cases.add(new Case("NUL in a parameter's name", "GET", "/api/v1/runs?a%00=1", null, 400, null));
    }

    private static void idAndQueryCases(List<Case> cases) {
        for (String id : new String[] {"nope", "0", "%20", "a%2Fb", "..", "x".repeat(300)}) {
            // The security firewall refuses encoded slashes and '..' before any controller: a 400.
            int status = id.contains("%2F") || id.equals("..") ? 400 : 404;
            cases.add(new Case("GET run " + id.substring(0, Math.min(id.length(), 10)), "GET", "/api/v1/runs/" + id, null, status, null));
            cases.add(new Case("log to run " + id.substring(0, Math.min(id.length(), 10)), "POST", "/api/v1/runs/" + id + "/metrics",
                    "{\"points\": [{\"key\": \"loss\", \"step\": 1, \"value\": 1}]}", status, null));
        }
        cases.add(new Case("cancel an external run", "POST", "/api/v1/runs/{sentinel}/cancel", "", 409, null));
        cases.add(new Case("set state RUNNING", "PATCH", "/api/v1/runs/{sentinel}", "{\"state\": \"RUNNING\"}", 409, null));
        cases.add(new Case("set state ASLEEP", "PATCH", "/api/v1/runs/{sentinel}", "{\"state\": \"ASLEEP\"}", 400, null));
        cases.add(new Case("blank rename", "PATCH", "/api/v1/runs/{sentinel}", "{\"name\": \"\"}", 400, "name"));
        for (String q : new String[] {"size=0", "size=-1", "size=100000", "page=-1", "page=x", "sort=shoeSize", "sort=name,sideways",
                "state=ASLEEP"}) {
            cases.add(new Case("list with " + q, "GET", "/api/v1/runs?" + q, null, 400, null));
        }
        for (String q : new String[] {"maxPoints=0", "maxPoints=100001", "maxPoints=x", "fromStep=x"}) {
            cases.add(new Case("history with " + q, "GET", "/api/v1/runs/{sentinel}/metrics/loss?" + q, null, 400, null));
        }
        cases.add(new Case("history of a bad key", "GET", "/api/v1/runs/{sentinel}/metrics/a%3Ab", null, 400, "key"));
        cases.add(new Case("history of a key ending in a space", "GET", "/api/v1/runs/{sentinel}/metrics/loss%20", null, 400, "key"));
        cases.add(new Case("generate for an external run", "POST", "/api/v1/runs/{sentinel}/generate", "{}", 409, null));
        cases.add(new Case("generate with length 0", "POST", "/api/v1/runs/{sentinel}/generate", "{\"length\": 0}", 400, null));
        cases.add(new Case("model of an external run", "GET", "/api/v1/runs/{sentinel}/model", null, 409, null));
        cases.add(new Case("compare with no runs", "GET", "/api/v1/metrics?runs=&key=loss", null, 400, null));
        cases.add(new Case("sweep too large", "POST", "/api/v1/sweeps",
                "{\"project\": \"corpus\", \"lengths\": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,"
                        + "31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64], "
                        + "\"grid\": {\"hidden\": [8, 16]}}", 400, "grid"));
    }
}
