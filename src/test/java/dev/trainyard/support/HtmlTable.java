package dev.trainyard.support;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a rendered dashboard page's tables as text. */
public final class HtmlTable {

    private HtmlTable() {
    }

    /** The table row that holds the text {@code name} as an element's whole content (a run's name in the runs table). */
    public static String row(String page, String name) {
        int at = page.indexOf(">" + name + "<");
        assertThat(at).as(name + " is on the page").isPositive();
        int start = page.lastIndexOf("<tr", at);
        return page.substring(start, page.indexOf("</tr>", at));
    }
}
