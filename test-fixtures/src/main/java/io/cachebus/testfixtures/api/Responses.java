package io.cachebus.testfixtures.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Checks and reads of responses that many tests share. */
public final class Responses {

    private Responses() {
    }

    /** The response, after checking it has {@code status} (the whole response is in the failure message). */
    public static ApiResponse expect(ApiResponse response, int status) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        return response;
    }

    /** The values of one field of every item of a page ({@code {"items": [...]}}), as text. */
    public static List<String> itemValues(ApiResponse page, String field) {
        List<String> values = new ArrayList<>();
        for (JsonNode item : page.json().get("items")) {
            values.add(item.get(field).asString());
        }
        return values;
    }

    /** The {@code unread} of an unread-count response. */
    public static long unread(ApiResponse count) {
        return count.json().get("unread").asLong();
    }
}
