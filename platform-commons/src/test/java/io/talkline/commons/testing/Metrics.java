package io.talkline.commons.testing;

import static io.restassured.RestAssured.given;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Values of the service's own /q/metrics, as a scraper sees them. */
public final class Metrics {

    private Metrics() {
    }

    /**
     * The value of the first series of {@code name} carrying every label given as {@code key=value};
     * 0 when there is none (a counter before its first increment).
     */
    public static double value(String name, String... labels) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher series = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{([^}]*)\\})? (\\S+)$").matcher(text);
        while (series.find()) {
            String set = "," + (series.group(1) == null ? "" : series.group(1)) + ",";
            if (Arrays.stream(labels).allMatch(label -> set.contains("," + label.replaceFirst("=", "=\"") + "\","))) {
                return Double.parseDouble(series.group(2));
            }
        }
        return 0;
    }

    /** The sum over every series of {@code name}, whatever their labels. */
    public static double sum(String name) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher series = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)$").matcher(text);
        double sum = 0;
        while (series.find()) {
            sum += Double.parseDouble(series.group(1));
        }
        return sum;
    }
}
