package dev.trainyard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;

import dev.trainyard.support.Api;
import dev.trainyard.support.HtmlTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The runs table's pages against the real store: chosen config and summary columns kept in the
 * address, conditions on config values and summaries, a condition that cannot be read shown beside
 * its field, and runs folded into groups with counts that open in place.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "trainyard.workers.count=0")
class RunsTableTest {

    @LocalServerPort
    int port;
    Api api;
    String project;

    @BeforeEach
    void runs() {
        api = new Api(port);
        project = "tbl-" + System.nanoTime();
        run("alpha", "{\"lr\": 0.01, \"model\": \"gru\", \"opt\": {\"name\": \"adam\"}}", "[\"seed1\"]", "3", "1", "2");
        run("beta", "{\"lr\": 0.1, \"model\": \"lstm\"}", "[\"seed1\"]", "0.5", "4");
        run("gamma", "{\"lr\": 0.1, \"model\": \"gru\"}", "[]", "5", "0.2");
    }

    @Test
    void chosenColumnsShowConfigValuesAndTheSummaryPickedAndStayInTheLinks() {
        String page = page("col=config.lr&col=summary.loss:min&col=config.opt.name");
        assertThat(page).contains("data-column=\"config.lr\"").contains(">lr</a>").contains(">loss (min)</a>")
                .contains("data-column=\"config.opt.name\"");
        assertThat(HtmlTable.row(page, "alpha")).contains(">0.01<").contains(">1.000<").contains(">adam<");
        assertThat(HtmlTable.row(page, "gamma")).contains(">0.1<").contains(">0.2000<");
        // sorting by a chosen column keeps the columns, and sorts by what the column shows
        assertThat(page).contains("col=config.lr&amp;col=summary.loss%3Amin&amp;col=config.opt.name&amp;sort=summary.loss%3Amin\"");
        String sorted = page("col=summary.loss:min&sort=summary.loss:min");
        assertThat(sorted.indexOf(">gamma<")).isLessThan(sorted.indexOf(">beta<"));
        assertThat(sorted.indexOf(">beta<")).isLessThan(sorted.indexOf(">alpha<"));
        String byMax = page("col=summary.loss:max&sort=summary.loss:max,desc");
        assertThat(HtmlTable.row(byMax, "gamma")).contains(">5.000<");
        assertThat(byMax.indexOf(">gamma<")).isLessThan(byMax.indexOf(">beta<"));
    }

    @Test
    void theColumnMenuOffersTheConfigAndMetricKeysOfTheProject() {
        String page = page("col=summary.loss:mean");
        assertThat(page).contains("name=\"col\" value=\"config.lr\"").contains("value=\"config.model\"")
                .contains("value=\"config.opt.name\"").contains("data-key=\"loss\"")
                .containsPattern("value=\"summary.loss:mean\" selected");
        assertThat(HtmlTable.row(page, "alpha")).contains(">2.000<");
        assertThat(page("")).as("by default, a few metric columns and no config").doesNotContain("data-column=\"config.");
    }

    @Test
    void conditionsOnConfigValuesAndSummariesFilterTheTable() {
        String page = page("f=" + Api.encode("config.lr>0.05"));
        assertThat(page).contains(">beta<").contains(">gamma<").doesNotContain(">alpha<");
        assertThat(page).as("the condition in use, with a link without it").contains("<code>config.lr&gt;0.05</code>");
        assertThat(page("f=" + Api.encode("loss:min<0.3"))).contains(">gamma<").doesNotContain(">beta<").doesNotContain(">alpha<");
        assertThat(page("f=" + Api.encode("config.model=gru") + "&f=" + Api.encode("summary.loss:last>1")))
                .contains(">alpha<").doesNotContain(">gamma<").doesNotContain(">beta<");
    }

    @Test
    void aConditionThatCannotBeReadIsA400WithTheMessageBesideTheField() {
        var response = api.get("/projects/" + project + "?f=" + Api.encode("config.lr>fast"), "text/html");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("text/html");
        assertThat(response.body()).contains("id=\"filter-error\"").contains("only a number can be compared with &gt;")
                .contains("aria-invalid=\"true\"").contains("value=\"config.lr&gt;fast\"")
                .as("the table still shows, unfiltered").contains(">alpha<").contains(">beta<");
        var groupBy = api.get("/projects/" + project + "?groupBy=colour", "text/html");
        assertThat(groupBy.status()).isEqualTo(400);
        assertThat(groupBy.body()).contains("&#39;colour&#39; is not something to group by");
    }

    @Test
    void groupingFoldsRunsIntoRowsWithCountsThatOpenInPlace() {
        String page = page("groupBy=config.model");
        assertThat(page).contains("data-group=\"gru\"").contains("data-group=\"lstm\"").contains("2 runs").contains("1 run<")
                .doesNotContain(">alpha<");
        assertThat(page.indexOf("data-group=\"gru\"")).as("the largest first").isLessThan(page.indexOf("data-group=\"lstm\""));
        String open = page("groupBy=config.model&open=v:gru");
        assertThat(open).contains(">alpha<").contains(">gamma<").doesNotContain(">beta<").contains("aria-expanded=\"true\"");
        assertThat(open).as("only these: the group's runs as a filter").contains("f=config.model%3Dgru");

        String tags = page("groupBy=tag&open=none");
        assertThat(tags).contains("data-group=\"seed1\"").contains("data-group=\"(none)\"").contains(">gamma<").doesNotContain(">alpha<");
        assertThat(page("groupBy=model")).contains("data-group=\"external\"").contains("3 runs");
        assertThat(page("groupBy=sweep")).contains("data-group=\"(none)\"").contains("3 runs");
    }

    @Test
    void aRunPageHasASummaryTableWithTheStepsOfItsMinAndMax() {
        String id = api.get("/api/v1/runs?project=" + project + "&q=alpha").json().get("content").get(0).get("id").asString();
        var response = api.get("/runs/" + id, "text/html");
        assertThat(response.status()).isEqualTo(200);
        String body = response.body();
        String table = body.substring(body.indexOf("id=\"summary-table\""), body.indexOf("</table>", body.indexOf("id=\"summary-table\"")));
        // loss 3, 1, 2 at steps 0, 1, 2: last 2 at 2, min 1 at 1, max 3 at 0, mean 2, 3 points
        assertThat(table.replaceAll("\\s+", " ")).contains("<th scope=\"row\">loss</th>")
                .containsPattern("<td class=\"num\">2.000</td> <td class=\"num\">2</td> <td class=\"num\">1.000</td> "
                        + "<td class=\"num\">1</td> <td class=\"num\">3.000</td> <td class=\"num\">0</td> "
                        + "<td class=\"num\">2.000</td> <td class=\"num\">3</td>");
    }

    private void run(String name, String config, String tags, String... values) {
        var created = api.post("/api/v1/runs", "{\"project\": \"" + project + "\", \"name\": \"" + name + "\", \"config\": " + config
                + ", \"tags\": " + tags + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();
        var points = new ArrayList<String>();
        for (int step = 0; step < values.length; step++) {
            points.add("{\"key\": \"loss\", \"step\": " + step + ", \"value\": " + values[step] + "}");
        }
        assertThat(api.post("/api/v1/runs/" + id + "/metrics", "{\"points\": [" + String.join(", ", points) + "]}").status())
                .isEqualTo(200);
    }

    private String page(String query) {
        var response = api.get("/projects/" + project + "?" + query, "text/html");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
