package io.cachebus.api.notifications;

import io.cachebus.api.web.InvalidRequestException;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.Set;

/**
 * The body of the bulk {@code PATCH /api/notifications}: either {@code {"all": true}} (every unread
 * notification of the tenant) or {@code {"ids": [1, 2]}} (exactly these; an id the tenant does not have makes
 * the whole request a 404 and changes nothing).
 */
public record MarkReadRequest(Boolean all, @Size(max = MarkReadRequest.MAX_IDS) Set<@NotNull @Positive Long> ids) {

    public static final int MAX_IDS = 1000;

    /** Refuses a body that names no target or both. */
    void requireOneTarget() {
        boolean allGiven = Boolean.TRUE.equals(all);
        boolean idsGiven = ids != null && !ids.isEmpty();
        if (allGiven == idsGiven) {
            throw InvalidRequestException.of(allGiven ? "ids" : "all",
                    "give either \"all\": true or a non-empty \"ids\" list, not both");
        }
    }
}
