package io.cachebus.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** RFC 7386 semantics on a record, and the errors a client gets for a patch that cannot apply. */
class MergePatchTest {

    record Settings(String colour, Integer size) {
    }

    record Resource(@NotBlank @Size(max = 5) String name, @NotNull Boolean enabled, String note, Settings settings) {
    }

    private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Resource CURRENT = new Resource("abc", true, "a note", new Settings("red", 3));

    private final MergePatch mergePatch = new MergePatch(JSON, VALIDATION.getValidator());

    @AfterAll
    static void close() {
        VALIDATION.close();
    }

    @Test
    void presentMembersReplaceNullRemovesAbsentStay() {
        assertThat(apply("{\"enabled\": false, \"note\": null}"))
                .isEqualTo(new Resource("abc", false, null, new Settings("red", 3)));
        assertThat(apply("{}")).isEqualTo(CURRENT);
    }

    @Test
    void nestedObjectsAreMergedMemberByMember() {
        assertThat(apply("{\"settings\": {\"size\": null, \"colour\": \"blue\"}}"))
                .isEqualTo(new Resource("abc", true, "a note", new Settings("blue", null)));
    }

    @Test
    void aPatchThatBreaksAConstraintOrATypeIsRefusedNamingTheField() {
        assertField("{\"name\": null}", "name");
        assertField("{\"name\": \"too long\"}", "name");
        assertField("{\"enabled\": null}", "enabled");
        assertField("{\"settings\": {\"size\": \"big\"}}", "settings.size");
        assertField("{\"id\": 7}", "id");
        assertField("[{\"op\": \"remove\"}]", "");
    }

    private Resource apply(String patch) {
        return mergePatch.apply(CURRENT, JSON.readTree(patch), Resource.class);
    }

    private void assertField(String patch, String field) {
        JsonNode node = JSON.readTree(patch);
        assertThatThrownBy(() -> mergePatch.apply(CURRENT, node, Resource.class))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field).as("fields named for %s", patch).contains(field));
    }
}
